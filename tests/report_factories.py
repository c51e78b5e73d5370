"""Builders for report tests: an organisation with members, progress, supervision and posts.
Tests build their own data; they never use the demo seed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from learning.models import Role
from learning.reports.models import ReportExport
from modules.models import Assignment, Certificate, ConfidenceRating, Enrolment

from .data_builders import builds_test_data
from .factories import MembershipFactory, OrganisationFactory


@builds_test_data
def add_members(organisation, n: int, *, role: str = Role.PRACTITIONER) -> list:
    return [MembershipFactory(organisation=organisation, role=role).user for _ in range(n)]


@builds_test_data
def complete(user, module, *, days_ago: int = 10, code: str | None = None) -> Enrolment:
    when = timezone.now() - timedelta(days=days_ago)
    enrolment = Enrolment.objects.create(
        user=user, module=module, started_at=when - timedelta(days=1), completed_at=when
    )
    if code:
        Certificate.objects.create(
            user=user,
            module=module,
            code=code,
            holder_name=str(user),
            module_title=module.title,
            cpd_minutes=30,
            completed_on=when.date(),
            status=Certificate.Status.READY,
        )
    return enrolment


@builds_test_data
def start(user, module, *, days_ago: int = 5) -> Enrolment:
    return Enrolment.objects.create(
        user=user, module=module, started_at=timezone.now() - timedelta(days=days_ago)
    )


@builds_test_data
def assign(organisation, user, module, *, due_in_days: int) -> Assignment:
    return Assignment.objects.create(
        organisation=organisation,
        user=user,
        module=module,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
    )


@builds_test_data
def rate(user, module, *, before: int, after: int) -> None:
    for outcome in module.learning_outcomes.all():
        ConfidenceRating.objects.create(
            user=user, module=module, outcome=outcome, phase="before", rating=before
        )
        ConfidenceRating.objects.create(
            user=user, module=module, outcome=outcome, phase="after", rating=after
        )


@builds_test_data
def ready_export(user, organisation=None, *, section: str = "training", hours: int = 24):
    now = timezone.now()
    export = ReportExport.objects.create(
        requested_by=user,
        organisation=organisation,
        section_key=section,
        filters={"date_from": "2026-01-01", "date_to": "2026-12-31", "group_by": "kind"},
        status=ReportExport.Status.READY,
        progress=100,
        finished_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    export.file.save(f"matrix-{export.pk}.csv", ContentFile(b"Module,Enrolled\n"))
    return export


@builds_test_data
def organisation_of_kind(kind: str, region: str = "london", **kw):
    return OrganisationFactory(kind=kind, region=region, **kw)


@builds_test_data
def populated_organisation(n: int, *, organisation=None, modules=None):
    """An organisation with an admin and ``n`` practitioners who each have progress, an
    assignment, confidence ratings, supervision and a community post. Returns
    ``(organisation, admin, members, modules)``."""
    from .community_factories import SpaceFactory, member, thread
    from .module_factories import make_module
    from .supervision_factories import make_relationship, make_session

    organisation = organisation or OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    if modules is None:
        from modules.models import Topic

        topic, _ = Topic.objects.get_or_create(name="HOPE Boxes", slug="hope-boxes")
        modules = [make_module(lessons=1, topic=topic), make_module(lessons=1)]
        modules[0].qualifies_for = "HOPE Box delivery"
        modules[0].save(update_fields=["qualifies_for"])
    space = SpaceFactory()
    members = add_members(organisation, n)
    for i, user in enumerate(members):
        complete(user, modules[0], code=f"HH-TEST-{organisation.pk:04d}-{i:04d}")
        start(user, modules[1])
        assign(organisation, user, modules[1], due_in_days=-3 if i % 2 else 10)
        rate(user, modules[0], before=2, after=4)
        rel = make_relationship(user, admin if i == 0 else None)
        make_session(rel, locked=True)
        thread(space, member(space, user).user, title=f"Question {i}")
    return organisation, admin, members, modules


# National figures are only given for months and quarters that have ended: tests make their data
# on DATA_DAY (in the first quarter of 2026) and read the figures on READ_DAY, after it.
DATA_DAY = datetime(2026, 3, 20, 12, tzinfo=UTC)
READ_DAY = datetime(2026, 4, 2, 12, tzinfo=UTC)
QUARTER = "2026-Q1"


def on_data_day():
    return time_machine.travel(DATA_DAY, tick=False)


def on_read_day():
    return time_machine.travel(READ_DAY, tick=False)


@builds_test_data
def ready_esr_export(user, organisation, *, hours: int = 24):
    from modules.esr.models import EsrExport

    now = timezone.now()
    export = EsrExport.objects.create(
        requested_by=user,
        organisation=organisation,
        status=EsrExport.Status.READY,
        progress=100,
        finished_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    export.file.save(f"matrix-esr-{export.pk}.csv", ContentFile(b"Name,Employee number\n"))
    return export
