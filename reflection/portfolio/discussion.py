"""The NMC reflective discussion, confirmed by another NMC registrant who has an account here.

The person records the discussion (its date, the other registrant's name and a summary, which
passes the identifier guard) and asks that colleague, by their email address, to confirm it.
The record is frozen and hashed at that moment, as a shared reflection is for sign-off. The
colleague confirms by entering their own NMC PIN: it must be in the NMC's format and the same
as the PIN their account holds under "Your details". The confirmed record keeps who confirmed
it, their PIN and when, and the task list counts it. Audit rows hold ids, hashes and outcomes,
never the summary; notices say only that something is waiting or done.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.details.registers import registration_number_error, registration_number_normalise
from learning.guard import guard
from learning.models import ProfessionalRegister, User
from learning.notify import action_key, notify, notify_resolve
from learning.permissions import Person
from learning.sanitise import sanitise_text
from learning.services import audit_record
from reflection.portfolio.models import ReflectiveDiscussion
from reflection.signoff.models import summary_hash

NAME_MAX = 200
SUMMARY_MAX = 4000
Status = ReflectiveDiscussion.Status


def frozen_text(*, discussed_on: date, partner_name: str, summary: str) -> str:
    """What the hash covers: the date, the other registrant's name and the summary."""
    return f"{discussed_on.isoformat()}\n{partner_name}\n{summary}"


# --- reads ------------------------------------------------------------------------------------


def discussions_of(user: Person) -> QuerySet[ReflectiveDiscussion]:
    """The person's own discussions, newest first."""
    if not permissions.is_signed_in(user):
        return ReflectiveDiscussion.objects.none()
    return ReflectiveDiscussion.objects.filter(owner_id=user.pk).select_related("confirmer")


def discussions_to_confirm(user: Person) -> QuerySet[ReflectiveDiscussion]:
    """Discussions addressed to ``user`` to confirm (any other person's: 404)."""
    if not permissions.is_signed_in(user):
        return ReflectiveDiscussion.objects.none()
    return ReflectiveDiscussion.objects.filter(confirmer_id=user.pk).select_related("owner")


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def discussion_request(
    *,
    owner: User,
    discussed_on: date | None,
    partner_name: str,
    summary: str,
    confirmer_email: str,
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> ReflectiveDiscussion:
    """Freeze the record and ask the colleague with ``confirmer_email`` to confirm it. A
    record still waiting is replaced by this one."""
    if not permissions.is_signed_in(owner):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if discussed_on is None:
        errors["discussed_on"] = _("Enter the date of the discussion")
    elif discussed_on > timezone.localdate():
        errors["discussed_on"] = _("The date of the discussion must be today or in the past")
    name = " ".join(sanitise_text(partner_name or "").split())
    if not name:
        errors["partner_name"] = _("Enter the name of the registrant you had the discussion with")
    elif len(name) > NAME_MAX:
        errors["partner_name"] = _("The name must be %(n)s characters or fewer") % {"n": NAME_MAX}
    text = sanitise_text(summary or "").strip()
    if not text:
        errors["summary"] = _("Enter a summary of the discussion")
    elif len(text) > SUMMARY_MAX:
        errors["summary"] = _("The summary must be %(n)s characters or fewer") % {"n": SUMMARY_MAX}
    email = (confirmer_email or "").strip()
    confirmer = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if confirmer is None:
        errors["confirmer_email"] = _(
            "Enter the email address your colleague uses to sign in to Holding Hope"
        )
    elif confirmer.pk == owner.pk:
        errors["confirmer_email"] = _("Enter your colleague's email address, not your own")
    if errors or discussed_on is None or confirmer is None:
        raise ValidationError(errors)
    checked = guard({"summary": text}, confirmed=confirm_identifiers)
    replaced = list(
        ReflectiveDiscussion.objects.filter(owner_id=owner.pk, status=Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    if replaced:
        ReflectiveDiscussion.objects.filter(pk__in=replaced).delete()
        for old in replaced:
            notify_resolve(action_on=action_key("portfolio.discussion", old))
    item = ReflectiveDiscussion.objects.create(
        owner=owner,
        discussed_on=discussed_on,
        partner_name=name,
        summary=text,
        content_hash=summary_hash(
            frozen_text(discussed_on=discussed_on, partner_name=name, summary=text)
        ),
        confirmer=confirmer,
        confirmer_notified_at=timezone.now(),
    )
    audit_record(
        action="portfolio.discussion_requested",
        actor=owner,
        target=item,
        ip_address=ip_address,
        data={
            "confirmer_id": confirmer.pk,
            "content_hash": item.content_hash,
            "replaced": replaced,
            **checked.audit,
        },
    )
    notify(
        recipient=confirmer,
        kind="portfolio.discussion_waiting",
        message=lambda: _("A colleague has asked you to confirm a reflective discussion."),
        url=reverse("discussion_confirm", args=[item.pk]),
        key=f"portfolio.discussion_waiting.{item.pk}",
        action_on=action_key("portfolio.discussion", item.pk),
    )
    return item


@transaction.atomic
def discussion_confirm(
    *,
    confirmer: User,
    item: ReflectiveDiscussion,
    registration_number: str,
    ip_address: str | None = None,
) -> ReflectiveDiscussion:
    """The colleague confirms the frozen record with their own NMC PIN, which must be in the
    NMC's format and match the PIN their account holds."""
    row = (
        discussions_to_confirm(confirmer).select_for_update(of=("self",)).filter(pk=item.pk).first()
    )
    if row is None:
        raise PermissionDenied
    if row.status != Status.PENDING:
        raise ValidationError(_("This discussion has already been confirmed."))
    number = registration_number_normalise(registration_number)
    if not number:
        raise ValidationError({"registration_number": _("Enter your NMC PIN")})
    wrong = registration_number_error(ProfessionalRegister.NMC, number)
    if wrong:
        raise ValidationError({"registration_number": wrong})
    held = (
        confirmer.registration_number
        if confirmer.professional_register == ProfessionalRegister.NMC
        else ""
    )
    if not held:
        raise ValidationError(
            {
                "registration_number": _(
                    "Add your NMC PIN to your details first: only another NMC registrant can "
                    "confirm a reflective discussion"
                )
            }
        )
    if number != held:
        raise ValidationError(
            {"registration_number": _("Enter the NMC PIN that is in your details")}
        )
    row.status = Status.CONFIRMED
    row.confirmed_at = timezone.now()
    row.confirmer_name = (confirmer.get_full_name() or confirmer.email)[:200]
    row.confirmer_pin = number
    row.owner_notified_at = timezone.now()
    row.save(
        update_fields=[
            "status",
            "confirmed_at",
            "confirmer_name",
            "confirmer_pin",
            "owner_notified_at",
        ]
    )
    audit_record(
        action="portfolio.discussion_confirmed",
        actor=confirmer,
        target=row,
        ip_address=ip_address,
        data={"content_hash": row.content_hash},
    )
    notify_resolve(action_on=action_key("portfolio.discussion", row.pk))
    notify(
        recipient=row.owner,
        kind="portfolio.discussion_confirmed",
        message=lambda: _("Your reflective discussion has been confirmed."),
        url=reverse("discussion_home"),
        key=f"portfolio.discussion_confirmed.{row.pk}",
    )
    return row


@transaction.atomic
def discussion_delete(*, owner: User, item: ReflectiveDiscussion) -> None:
    """The owner deletes one of their discussions (waiting or confirmed)."""
    row = discussions_of(owner).select_for_update(of=("self",)).filter(pk=item.pk).first()
    if row is None:
        raise PermissionDenied
    audit_record(
        action="portfolio.discussion_deleted", actor=owner, target=row, data={"id": row.pk}
    )
    notify_resolve(action_on=action_key("portfolio.discussion", row.pk))
    row.delete()
