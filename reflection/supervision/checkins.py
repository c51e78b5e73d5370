"""The supervisee's restorative check-in for a session: private to them unless they share it
for that session, never seen by organisation admins. Audit rows hold the decision (shared, and
the kinds of identifiers confirmed), never the text or the answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from learning import permissions
from learning.guard import guard
from learning.models import User
from learning.services import audit_record
from reflection.supervision.models import SupervisionCheckIn
from reflection.supervision.sessions import COMMENT_MAX, LOCKED_MESSAGE, Session, session_for_update
from reflection.supervision.text import clean_text


@transaction.atomic
def checkin_save(
    *,
    supervisee: User,
    session: Session,
    workload: int,
    emotional_impact: int,
    support: int,
    notes: str = "",
    share_with_supervisor: bool = False,
    confirm_identifiers: bool = False,
) -> SupervisionCheckIn:
    """The supervisee's restorative check-in for a session (until the record is locked). Its
    notes pass the identifier guard: they may be shared with the supervisor."""
    row = session_for_update(session)
    if row.is_locked:
        raise ValidationError(LOCKED_MESSAGE)
    if not permissions.can_check_in(supervisee, row):
        raise PermissionDenied
    errors = {
        name: _("Choose a number from 1 to 5.")
        for name, value in (
            ("workload", workload),
            ("emotional_impact", emotional_impact),
            ("support", support),
        )
        if value not in (1, 2, 3, 4, 5)
    }
    if errors:
        raise ValidationError(errors)
    notes = clean_text(notes, limit=COMMENT_MAX, field="notes", label=_("notes"))
    checked = guard({"notes": notes}, confirmed=confirm_identifiers)
    checkin, _created = SupervisionCheckIn.objects.update_or_create(
        session=row,
        supervisee=supervisee,
        defaults={
            "workload": workload,
            "emotional_impact": emotional_impact,
            "support": support,
            "notes": notes,
            "shared_with_supervisor": bool(share_with_supervisor),
        },
    )
    audit_record(
        action="supervision.checkin_saved",
        actor=supervisee,
        target=row,
        data={"shared": bool(share_with_supervisor), **checked.audit},
    )
    return checkin
