"""Writes for supervisory relationships: propose, accept, decline, end. Each service checks
permission, changes state and writes its audit row (ids and outcomes, never text) in one
transaction. Ending a relationship keeps every record made under it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.models import User
from learning.notify import Text
from learning.services import audit_record
from reflection.supervision.models import SupervisionRelationship
from reflection.supervision.text import clean_text

Rel = SupervisionRelationship
AGREEMENT_MAX = 4000


def _forget(*users: User) -> None:
    """Drop the cached "has supervision" flag of each person, now and again after commit (so a
    request that read the old state meanwhile cannot keep it)."""
    from reflection.supervision.panels import forget_party_flag

    ids = [user.pk for user in users]

    def forget_all() -> None:
        for pk in ids:
            forget_party_flag(pk)

    forget_all()
    transaction.on_commit(forget_all)


def _notify(
    *,
    recipient: User,
    kind: str,
    message: Text,
    url: str,
    dedupe_key: str = "",
    action_on: str = "",
) -> None:
    """Tell ``recipient`` in this transaction: the notice and its queued email commit with the
    change, so neither is lost if the process stops right after the commit."""
    from learning.notify import notify

    notify(
        recipient=recipient,
        kind=kind,
        message=message,
        url=url,
        key=dedupe_key,
        action_on=action_on,
    )


def _resolve(*parts: object) -> None:
    """What a notice asked for is done (``learning.notify.notify_resolve``)."""
    from learning.notify import action_key, notify_resolve

    notify_resolve(action_on=action_key(*parts))


@transaction.atomic
def relationship_propose(
    *,
    actor: User,
    other_email: str,
    actor_is_supervisor: bool,
    kind: str,
    frequency_min_weeks: int,
    frequency_max_weeks: int,
    started_on: date,
    confidentiality: str,
    recording: str,
    escalation: str,
) -> SupervisionRelationship:
    """Propose a relationship to a signed-up person, chosen by their email address. The
    proposer agrees to the agreement as they propose it; the other person accepts or declines."""
    if not permissions.can_use_supervision(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    email = (other_email or "").strip().lower()
    other = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if other is None:
        errors["other_email"] = _(
            "Enter the email address of someone who has signed up to Holding Hope."
        )
    elif other.pk == actor.pk:
        errors["other_email"] = _("Enter someone else's email address, not your own.")
    if kind not in Rel.Kind.values:
        errors["kind"] = _("Choose the type of supervision.")
    if not 1 <= (frequency_min_weeks or 0) <= 52:
        errors["frequency_min_weeks"] = _("Enter a number of weeks from 1 to 52.")
    elif not frequency_min_weeks <= (frequency_max_weeks or 0) <= 52:
        errors["frequency_max_weeks"] = _("Enter a number of weeks from the first number up to 52.")
    if started_on is None:
        errors["started_on"] = _("Enter the date supervision starts.")
    raw = {"confidentiality": confidentiality, "recording": recording, "escalation": escalation}
    terms = {}
    for name, label in (
        ("confidentiality", _("confidentiality section")),
        ("recording", _("recording section")),
        ("escalation", _("escalation section")),
    ):
        try:
            terms[name] = clean_text(raw[name], limit=AGREEMENT_MAX, field=name, label=label)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
            continue
        if not terms[name]:
            errors[name] = _("Write this part of the agreement.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    supervisee, supervisor = (other, actor) if actor_is_supervisor else (actor, other)
    try:
        with transaction.atomic():
            rel = Rel.objects.create(
                supervisee=supervisee,
                supervisor=supervisor,
                proposed_by=actor,
                kind=kind,
                frequency_min_weeks=frequency_min_weeks,
                frequency_max_weeks=frequency_max_weeks,
                started_on=started_on,
                supervisor_agreed_at=now if actor_is_supervisor else None,
                supervisee_agreed_at=None if actor_is_supervisor else now,
                **terms,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {
                "kind": _(
                    "You already have this type of supervision with this person, or are waiting "
                    "for a reply. Choose another type, or end the existing one first."
                )
            }
        ) from exc
    audit_record(
        action="supervision.relationship_proposed",
        actor=actor,
        target=rel,
        data={"kind": kind, "supervisee_id": supervisee.pk, "supervisor_id": supervisor.pk},
    )
    _notify(
        recipient=other,
        kind="supervision.proposed",
        message=lambda: (
            _("%(name)s has proposed a supervisory relationship with you.") % {"name": str(actor)}
        ),
        url=reverse("supervision_relationship", args=[rel.pk]),
        dedupe_key=f"supervision:proposed:{rel.pk}",
        action_on=f"supervision.relationship.{rel.pk}.answer",
    )
    _forget(supervisee, supervisor)
    return rel


def _locked(actor: User, relationship: Rel) -> Rel:
    rel = Rel.objects.select_for_update().filter(pk=relationship.pk).first()
    if rel is None or not permissions.is_supervision_party(actor, rel):
        raise PermissionDenied
    return rel


@transaction.atomic
def relationship_accept(*, actor: User, relationship: Rel) -> Rel:
    """The other person accepts, confirming the agreement; the relationship becomes active."""
    rel = _locked(actor, relationship)
    if not permissions.can_answer_supervision_proposal(actor, rel):
        raise ValidationError(_("This proposal has already been answered."))
    now = timezone.now()
    if actor.pk == rel.supervisee_id:
        rel.supervisee_agreed_at = now
    else:
        rel.supervisor_agreed_at = now
    rel.status = Rel.Status.ACTIVE
    rel.decided_at = now
    rel.save(update_fields=["supervisee_agreed_at", "supervisor_agreed_at", "status", "decided_at"])
    audit_record(action="supervision.relationship_accepted", actor=actor, target=rel)
    _resolve("supervision.relationship", rel.pk, "answer")
    _notify(
        recipient=rel.proposed_by,
        kind="supervision.accepted",
        message=lambda: (
            _("%(name)s has accepted your supervision agreement.") % {"name": str(actor)}
        ),
        url=reverse("supervision_relationship", args=[rel.pk]),
        dedupe_key=f"supervision:accepted:{rel.pk}",
    )
    _forget(rel.supervisee, rel.supervisor)
    return rel


@transaction.atomic
def relationship_decline(*, actor: User, relationship: Rel) -> Rel:
    rel = _locked(actor, relationship)
    if not permissions.can_answer_supervision_proposal(actor, rel):
        raise ValidationError(_("This proposal has already been answered."))
    rel.status = Rel.Status.DECLINED
    rel.decided_at = timezone.now()
    rel.save(update_fields=["status", "decided_at"])
    audit_record(action="supervision.relationship_declined", actor=actor, target=rel)
    _resolve("supervision.relationship", rel.pk, "answer")
    return rel


@transaction.atomic
def relationship_end(*, actor: User, relationship: Rel, ended_on: date | None = None) -> Rel:
    """Either party ends an active relationship (or withdraws a proposal). Past sessions,
    actions and addenda are kept and stay readable by both."""
    rel = _locked(actor, relationship)
    if rel.status not in (Rel.Status.ACTIVE, Rel.Status.PROPOSED):
        raise ValidationError(_("This relationship has already ended."))
    rel.status = Rel.Status.ENDED
    rel.ended_on = max(ended_on or timezone.localdate(), rel.started_on)
    rel.save(update_fields=["status", "ended_on"])
    audit_record(action="supervision.relationship_ended", actor=actor, target=rel)
    _resolve("supervision.relationship", rel.pk, "answer")
    _resolve("supervision.relationship", rel.pk, "session_due")
    return rel
