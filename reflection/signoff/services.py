"""Writes for supervisor sign-off. Each service checks permission, changes state and writes its
audit row (ids and outcomes, never text) in one transaction; emails go out after commit and say
only that something is waiting or decided, with a link."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning import permissions
from learning.guard import guard, html_to_text
from learning.models import Membership, Role, User
from learning.notify import action_key, notify, notify_resolve
from learning.queue import enqueue_on_commit
from learning.sanitise import sanitise_text
from learning.services import audit_record
from reflection.models import JournalEntry
from reflection.signoff.models import SignOffRequest, summary_hash
from reflection.signoff.selectors import (
    kept_after_entry_delete,
    signoff_requests_for_supervisor,
    supervisors_for,
)

NOTE_MAX = 2000
COMMENT_MAX = 4000


def _clean(text: str, *, limit: int, field: str, label: str) -> str:
    text = sanitise_text(text or "").strip()
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("The %(label)s must be %(n)s characters or fewer.")
                % {"label": label, "n": limit}
            }
        )
    return text


def _signer_role(supervisor: User, request: SignOffRequest) -> str:
    """A snapshot of the role the signer held: supervisor, in the organisations they share with
    the author (one query)."""
    org_ids = [
        o.pk for o in permissions.roles_for(supervisor).organisations_with_role(Role.SUPERVISOR)
    ]
    names = sorted(
        set(
            Membership.objects.active()
            .filter(user_id=request.author_id, organisation_id__in=org_ids)
            .values_list("organisation__name", flat=True)
        )
    )
    return (_("Supervisor, %(orgs)s") % {"orgs": ", ".join(names)})[:200]


def _addressed_and_locked(supervisor: User, request: SignOffRequest) -> SignOffRequest:
    """The row again through the supervisor's scoped selector, locked so that two decisions
    cannot race; PermissionDenied if it is not addressed to them (one query)."""
    found = (
        signoff_requests_for_supervisor(supervisor)
        .select_for_update(of=("self",))
        .filter(pk=request.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied
    return found


@transaction.atomic
def signoff_request_create(
    *,
    author: User,
    entry: JournalEntry,
    supervisor: User,
    note: str = "",
    confirm_identifiers: bool = False,
    ip_address: str | None = None,
) -> SignOffRequest:
    """Freeze the entry's learning summary as a new version and ask ``supervisor`` to sign it
    off. An earlier version still waiting is withdrawn (replaced by this one)."""
    if not permissions.can_change_journal_entry(author, entry):
        raise PermissionDenied
    if not supervisors_for(author).filter(pk=supervisor.pk).exists():
        raise ValidationError({"supervisor": _("Choose one of your supervisors from the list.")})
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    summary = (entry.summary or "").strip()
    if not summary:
        raise ValidationError(
            _(
                "Add a learning summary to this reflection before you share it. Only the "
                "summary is shared."
            )
        )
    note = _clean(note, limit=NOTE_MAX, field="note", label=_("note"))
    # The summary as the author sees it as text, so every match can be highlighted.
    checked = guard({"summary": html_to_text(summary), "note": note}, confirmed=confirm_identifiers)
    withdrawn = SignOffRequest.objects.filter(entry=entry, status=SignOffRequest.Status.PENDING)
    withdrawn_ids = list(withdrawn.values_list("pk", flat=True))
    withdrawn.update(status=SignOffRequest.Status.WITHDRAWN)
    for withdrawn_id in withdrawn_ids:  # nothing left for the supervisor to decide on these
        notify_resolve(action_on=action_key("signoff.request", withdrawn_id))
    # Sharing again is what a returned version asked the author for.
    notify_resolve(action_on=action_key("signoff.entry", entry.pk, "returned"), recipient=author)
    last = SignOffRequest.objects.filter(entry=entry).aggregate(n=Max("version"))["n"] or 0
    request = SignOffRequest.objects.create(
        entry=entry,
        author=author,
        supervisor=supervisor,
        version=last + 1,
        summary=summary,
        content_hash=summary_hash(summary),
        note=note,
    )
    audit_record(
        action="signoff.shared",
        actor=author,
        target=request,
        ip_address=ip_address,
        data={
            "entry_id": entry.pk,
            "supervisor_id": supervisor.pk,
            "version": request.version,
            "content_hash": request.content_hash,
            **checked.audit,
            "withdrawn": withdrawn_ids,
        },
    )
    from reflection.signoff import tasks as signoff_tasks

    enqueue_on_commit(signoff_tasks.signoff_notify_supervisor, request.pk)
    return request


def signoff_view_record(
    *, supervisor: User, request: SignOffRequest, ip_address: str | None = None
) -> None:
    """Record that the supervisor opened the request (one insert, so no transaction needed).
    ``request`` must come from ``signoff_requests_for_supervisor(supervisor)``."""
    if not permissions.is_signed_in(supervisor) or request.supervisor_id != supervisor.pk:
        raise PermissionDenied
    audit_record(
        action="signoff.viewed",
        actor=supervisor,
        target=request,
        ip_address=ip_address,
        data={"version": request.version},
    )


def _decide(
    *, supervisor: User, request: SignOffRequest, comment: str, status: str, ip_address: str | None
) -> SignOffRequest:
    request = _addressed_and_locked(supervisor, request)
    if request.status not in SignOffRequest.OPEN:
        raise ValidationError(_("This version has already been decided and cannot be changed."))
    comment = _clean(comment, limit=COMMENT_MAX, field="comment", label=_("comment"))
    if status == SignOffRequest.Status.RETURNED and not comment:
        raise ValidationError({"comment": _("Say what more you would like to see.")})
    request.status = status
    request.comment = comment
    request.decided_at = timezone.now()
    request.signer_role = (
        _signer_role(supervisor, request) if status == SignOffRequest.Status.SIGNED_OFF else ""
    )
    request.author_notified_at = None
    request.save(
        update_fields=["status", "comment", "decided_at", "signer_role", "author_notified_at"]
    )
    audit_record(
        action="signoff.signed_off"
        if status == SignOffRequest.Status.SIGNED_OFF
        else "signoff.returned",
        actor=supervisor,
        target=request,
        ip_address=ip_address,
        data={"version": request.version, "content_hash": request.content_hash},
    )
    notify_resolve(action_on=action_key("signoff.request", request.pk))
    from reflection.signoff import tasks as signoff_tasks

    enqueue_on_commit(signoff_tasks.signoff_notify_author, request.pk)
    return request


@transaction.atomic
def signoff_sign(
    *, supervisor: User, request: SignOffRequest, comment: str = "", ip_address: str | None = None
) -> SignOffRequest:
    """Sign off the frozen version: records signer, role, time, comment and hash, and locks it."""
    return _decide(
        supervisor=supervisor,
        request=request,
        comment=comment,
        status=SignOffRequest.Status.SIGNED_OFF,
        ip_address=ip_address,
    )


@transaction.atomic
def signoff_return(
    *, supervisor: User, request: SignOffRequest, comment: str, ip_address: str | None = None
) -> SignOffRequest:
    """Return the version to the author with a comment asking for more."""
    return _decide(
        supervisor=supervisor,
        request=request,
        comment=comment,
        status=SignOffRequest.Status.RETURNED,
        ip_address=ip_address,
    )


@transaction.atomic
def signoff_reopen(
    *, supervisor: User, request: SignOffRequest, reason: str, ip_address: str | None = None
) -> SignOffRequest:
    """Only the signer reopens a signed-off version, with a reason. The frozen summary and its
    hash never change; the version can then be decided again."""
    request = _addressed_and_locked(supervisor, request)
    if request.status != SignOffRequest.Status.SIGNED_OFF:
        raise ValidationError(_("Only a signed-off version can be reopened."))
    reason = _clean(reason, limit=COMMENT_MAX, field="reason", label=_("reason"))
    if not reason:
        raise ValidationError({"reason": _("Give a reason for reopening this sign-off.")})
    request.status = SignOffRequest.Status.REOPENED
    request.reopen_reason = reason
    request.reopened_at = timezone.now()
    request.save(update_fields=["status", "reopen_reason", "reopened_at"])
    audit_record(
        action="signoff.reopened",
        actor=supervisor,
        target=request,
        ip_address=ip_address,
        data={"version": request.version, "content_hash": request.content_hash},
    )
    return request


def signoff_discard_unsigned(*, entry: JournalEntry) -> list[int]:
    """When an entry is deleted, its shared versions go too, except those its supervisor still
    holds (``kept_after_entry_delete``: signed off, or reopened), which stay with the sign-off
    record as the supervisor saw them. Runs inside the delete's transaction (connected to
    ``pre_delete``); returns the ids removed."""
    kept = kept_after_entry_delete(entry).values("pk")
    doomed = SignOffRequest.objects.filter(entry_id=entry.pk).exclude(pk__in=kept)
    ids = list(doomed.values_list("pk", flat=True))
    if ids:
        doomed.delete()
        for request_id in ids:  # the notice would lead to a version that is gone
            notify_resolve(action_on=action_key("signoff.request", request_id))
        audit_record(
            action="signoff.discarded_with_entry",
            actor=entry.author,
            target=entry,
            data={"entry_id": entry.pk, "requests": ids},
        )
    return ids


def discard_unsigned_on_entry_delete(
    sender: type[JournalEntry], instance: JournalEntry, **kwargs: Any
) -> None:
    """``pre_delete`` receiver for ``JournalEntry``: thin, calls the service."""
    signoff_discard_unsigned(entry=instance)


# --- notices (called by the tasks; never any reflective text) --------------------------------


def _claim(request_id: int, field: str, **conditions: Any) -> SignOffRequest | None:
    claimed = SignOffRequest.objects.filter(pk=request_id, **{field: None}, **conditions).update(
        **{field: timezone.now()}
    )
    if not claimed:
        return None
    return SignOffRequest.objects.select_related("author", "supervisor").get(pk=request_id)


@transaction.atomic
def signoff_supervisor_email_send(*, request_id: int) -> bool:
    """Tell the supervisor, on the site and by email as they chose, that something is waiting
    (once: the claim and the notice are written together)."""
    request = _claim(request_id, "supervisor_notified_at", status__in=SignOffRequest.OPEN)
    if request is None:
        return False
    notify(
        recipient=request.supervisor,
        kind="signoff.waiting",
        message=lambda: _("A reflection is waiting for your sign-off."),
        url=reverse("signoff_detail", args=[request.pk]),
        key=f"signoff.waiting.{request.pk}",
        action_on=action_key("signoff.request", request.pk),
    )
    return True


@transaction.atomic
def signoff_author_email_send(*, request_id: int) -> bool:
    """Tell the author, on the site and by email as they chose, that their shared summary has
    been decided (once per decision: the claim and the notice are written together)."""
    request = _claim(
        request_id,
        "author_notified_at",
        status__in=[SignOffRequest.Status.SIGNED_OFF, SignOffRequest.Status.RETURNED],
    )
    if request is None:
        return False
    notify(
        recipient=request.author,
        kind="signoff.decided",
        message=gettext_lazy("Your supervisor has signed off a reflection you shared.")
        if request.status == SignOffRequest.Status.SIGNED_OFF
        else gettext_lazy(
            "Your supervisor has returned a reflection you shared and asked for more."
        ),
        url=reverse("signoff_detail", args=[request.pk]),
        key=f"signoff.decided.{request.pk}.{request.decided_at.timestamp():.0f}",
        # A returned version asks the author to share the entry again.
        action_on=action_key("signoff.entry", request.entry_id, "returned")
        if request.status == SignOffRequest.Status.RETURNED and request.entry_id
        else "",
    )
    return True
