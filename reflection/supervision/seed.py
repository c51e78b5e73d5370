"""Demo supervision: the demo practitioner and supervisor have an
accepted clinical relationship with a confirmed agreement (every 4–6 weeks), one earlier locked
session with an action still open, and a next session booked. Made through the real services.
Idempotent: nothing is made if the relationship exists."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from learning.models import User
from reflection.supervision import services, sessions
from reflection.supervision.forms import (
    DEFAULT_CONFIDENTIALITY,
    DEFAULT_ESCALATION,
    DEFAULT_RECORDING,
)
from reflection.supervision.models import SupervisionRelationship, SupervisionTheme

PRACTITIONER = "practitioner@demo.holdinghope.test"
SUPERVISOR = "supervisor@demo.holdinghope.test"


@transaction.atomic
def seed_demo_supervision(stdout=None) -> None:
    supervisee = User.objects.filter(email=PRACTITIONER).first()
    supervisor = User.objects.filter(email=SUPERVISOR).first()
    if supervisee is None or supervisor is None:
        return
    if SupervisionRelationship.objects.filter(
        supervisee=supervisee, supervisor=supervisor
    ).exists():
        return
    today = timezone.localdate()
    rel = services.relationship_propose(
        actor=supervisor,
        other_email=supervisee.email,
        actor_is_supervisor=True,
        kind=SupervisionRelationship.Kind.CLINICAL,
        frequency_min_weeks=4,
        frequency_max_weeks=6,
        started_on=today - timedelta(weeks=12),
        confidentiality=str(DEFAULT_CONFIDENTIALITY),
        recording=str(DEFAULT_RECORDING),
        escalation=str(DEFAULT_ESCALATION),
    )
    services.relationship_accept(actor=supervisee, relationship=rel)
    themes = SupervisionTheme.objects.filter(
        name__in=["Care proceedings", "Vicarious trauma"]
    ).values_list("pk", flat=True)
    session = sessions.session_create(
        author=supervisor,
        relationship=rel,
        data=sessions.SessionInput(
            held_on=today - timedelta(weeks=3),
            duration_minutes=60,
            format="one_to_one",
            functions=frozenset({"formative", "restorative"}),
            theme_ids=tuple(themes),
            summary=(
                "We talked about preparing for a first pre-birth planning meeting and how "
                "unsettling it is not to know the court timetable. We also talked about the "
                "weight of a recent separation and what helps after a hard shift."
            ),
            next_on=today + timedelta(weeks=2),
            actions=(
                sessions.ActionInput(
                    text="Read the family justice module's lesson on the Public Law Outline.",
                    owner="supervisee",
                    due_on=today + timedelta(weeks=1),
                ),
            ),
        ),
        confirm_identifiers=True,
    )
    sessions.session_confirm(actor=supervisee, session=session)
    if stdout:
        stdout.write(f"  {PRACTITIONER}: supervision with {SUPERVISOR}, one confirmed session\n")
