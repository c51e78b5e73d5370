"""Supervision reminders: a session is due by the agreed frequency; a record waits for your
confirmation; an action is due.

Each reminder is claimed with a unique ``SupervisionReminderSent`` row before it is sent, in the
same transaction as the notification, so it is sent once per due event whoever runs the scan and
however often; a failed send releases the claim. The key names the due event (a relationship's
last session date, a record's revision, an action's due date), so a new event gets a new
reminder and a finished one gets none. Messages carry names and dates only, never content.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.dates import nhs_date
from learning.models import User
from learning.notify import Text, action_key
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionRelationship,
    SupervisionReminderSent,
    SupervisionSession,
)
from reflection.supervision.selectors import _with_dates


def _send(
    *, key: str, recipient: User, kind: str, message: Text, url: str, action_on: str = ""
) -> bool:
    from learning.notify import notify

    try:
        with transaction.atomic():
            SupervisionReminderSent.objects.create(key=key, recipient=recipient)
            notify(
                recipient=recipient,
                kind=kind,
                message=message,
                url=url,
                key=key,
                action_on=action_on,
            )
    except IntegrityError:
        return False
    return True


def _already(keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(SupervisionReminderSent.objects.filter(key__in=keys).values_list("key", flat=True))


def _due_session_reminders(today: date) -> list[dict]:
    rels = _with_dates(
        SupervisionRelationship.objects.filter(
            status=SupervisionRelationship.Status.ACTIVE
        ).select_related("supervisee", "supervisor")
    )
    out = []
    for rel in rels:
        base = rel.last_held_on or rel.started_on
        if today < base + timedelta(weeks=rel.frequency_min_weeks):
            continue
        if rel.next_on and rel.next_on >= today:
            continue  # a session is already planned
        for person in (rel.supervisee, rel.supervisor):
            other = rel.other_party(person)
            out.append(
                {
                    "key": f"supervision:due:{rel.pk}:{base.isoformat()}:{person.pk}",
                    "recipient": person,
                    "kind": "supervision.session_due",
                    # Bound now (the loop moves on), written later in the person's language.
                    "message": lambda other=other: (
                        _("A supervision session with %(name)s is due.") % {"name": str(other)}
                    ),
                    "url": reverse("supervision_relationship", args=[rel.pk]),
                    "action_on": action_key("supervision.relationship", rel.pk, "session_due"),
                }
            )
    return out


def confirmation_reminder(session: SupervisionSession) -> dict | None:
    if session.status != SupervisionSession.Status.SUBMITTED:
        return None
    rel = session.relationship
    recipient = rel.supervisor if session.author_id == rel.supervisee_id else rel.supervisee
    return {
        "key": f"supervision:confirm:{session.pk}:{session.revision}",
        "recipient": recipient,
        "kind": "supervision.awaiting_confirmation",
        "message": lambda: (
            _("A record of your supervision session on %(date)s is waiting for you to confirm it.")
            % {"date": nhs_date(session.held_on)}
        ),
        "url": reverse("supervision_confirm", args=[session.pk]),
        "action_on": action_key("supervision.session", session.pk, "confirm"),
    }


def _confirmation_reminders() -> list[dict]:
    sessions = SupervisionSession.objects.filter(
        status=SupervisionSession.Status.SUBMITTED
    ).select_related("relationship__supervisee", "relationship__supervisor")
    return [r for s in sessions if (r := confirmation_reminder(s))]


def _action_reminders(today: date) -> list[dict]:
    actions = SupervisionAction.objects.filter(
        status=SupervisionAction.Status.OPEN, due_on__lte=today
    ).select_related("owner", "session")
    return [
        {
            "key": f"supervision:action:{a.pk}:{a.due_on.isoformat()}",
            "recipient": a.owner,
            "kind": "supervision.action_due",
            "message": lambda a=a: (
                _("An action from your supervision session on %(date)s is due.")
                % {"date": nhs_date(a.session.held_on)}
            ),
            "url": reverse("supervision_detail", args=[a.session_id]),
            "action_on": action_key("supervision.action", a.pk),
        }
        for a in actions
    ]


def supervision_reminders_send(*, today: date | None = None) -> int:
    """Send every reminder that is due and not yet sent; returns how many were sent."""
    today = today or timezone.localdate()
    candidates = (
        _due_session_reminders(today) + _confirmation_reminders() + _action_reminders(today)
    )
    sent_before = _already([c["key"] for c in candidates])
    return sum(_send(**c) for c in candidates if c["key"] not in sent_before)


def confirmation_notify(*, session_id: int) -> bool:
    """Tell the other party straight away that a record waits for them (once per revision)."""
    session = (
        SupervisionSession.objects.select_related(
            "relationship__supervisee", "relationship__supervisor"
        )
        .filter(pk=session_id)
        .first()
    )
    reminder = confirmation_reminder(session) if session else None
    return bool(reminder) and _send(**reminder)
