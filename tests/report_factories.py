"""Builders for report tests: an organisation with members, progress, supervision and posts.
Tests build their own data; they never use the demo seed."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from learning.models import Role
from learning.reports.models import ReportExport
from modules.models import Assignment, Certificate, ConfidenceRating, Enrolment

from .factories import MembershipFactory, OrganisationFactory


def add_members(organisation, n: int, *, role: str = Role.PRACTITIONER) -> list:
    return [MembershipFactory(organisation=organisation, role=role).user for _ in range(n)]


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


def start(user, module, *, days_ago: int = 5) -> Enrolment:
    return Enrolment.objects.create(
        user=user, module=module, started_at=timezone.now() - timedelta(days=days_ago)
    )


def assign(organisation, user, module, *, due_in_days: int) -> Assignment:
    return Assignment.objects.create(
        organisation=organisation,
        user=user,
        module=module,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
    )


def rate(user, module, *, before: int, after: int) -> None:
    for outcome in module.learning_outcomes.all():
        ConfidenceRating.objects.create(
            user=user, module=module, outcome=outcome, phase="before", rating=before
        )
        ConfidenceRating.objects.create(
            user=user, module=module, outcome=outcome, phase="after", rating=after
        )


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


def organisation_of_kind(kind: str, region: str = "london", **kw):
    return OrganisationFactory(kind=kind, region=region, **kw)
