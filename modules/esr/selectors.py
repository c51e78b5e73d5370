"""Reads for the ESR export, scoped so that "not yours" and "does not exist" are the same 404:
the completions of an organisation's members, and a person's own exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from learning.models import Membership, Organisation, User
from learning.permissions import is_signed_in
from learning.selectors import administered_organisation, organisations_administered_by
from modules.certificates.models import Certificate
from modules.esr.models import EsrExport
from modules.progress.models import Enrolment


@dataclass(frozen=True)
class EsrRow:
    """One completion, as the ESR external learning load reads it."""

    name: str
    employee_number: str
    course: str
    completed_on: date
    hours: str
    certificate_code: str


def cpd_hours(minutes: int) -> str:
    """Minutes as hours with at most two decimal places ("1.5", "0.25", "2")."""
    hours = (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format(hours.normalize(), "f")


def esr_organisation_for(user: User, slug: str) -> Organisation:
    """The organisation ``slug`` if ``user`` administers it; 404 otherwise (one query)."""
    organisation = administered_organisation(user, slug)
    if organisation is None:
        raise Http404
    return organisation


def esr_completion_rows(
    organisation: Organisation, *, date_from: date | None = None, date_to: date | None = None
) -> list[EsrRow]:
    """Every module completed by a current member of ``organisation`` (completed on a day in
    the period, when one is given), ordered by name then date. Two queries."""
    members = Membership.objects.active().filter(organisation=organisation).values("user_id")
    enrolments = Enrolment.objects.filter(
        user_id__in=members, completed_at__isnull=False, user__is_active=True
    )
    if date_from:
        enrolments = enrolments.filter(completed_at__date__gte=date_from)
    if date_to:
        enrolments = enrolments.filter(completed_at__date__lte=date_to)
    enrolments = enrolments.select_related("user", "module").order_by("user_id", "completed_at")
    found = list(enrolments)
    certificates = {
        (c.user_id, c.module_id): c
        for c in Certificate.objects.filter(
            user_id__in={e.user_id for e in found}, module_id__in={e.module_id for e in found}
        ).only("user_id", "module_id", "code", "cpd_minutes", "module_title")
    }
    rows = []
    for enrolment in found:
        certificate = certificates.get((enrolment.user_id, enrolment.module_id))
        minutes = certificate.cpd_minutes if certificate else enrolment.module.cpd_minutes
        rows.append(
            EsrRow(
                name=enrolment.user.get_full_name(),
                employee_number=enrolment.user.employee_number,
                course=certificate.module_title if certificate else enrolment.module.title,
                completed_on=timezone.localtime(enrolment.completed_at).date(),
                hours=cpd_hours(minutes),
                certificate_code=certificate.code if certificate else "",
            )
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.completed_on, r.course.casefold()))
    return rows


def esr_exports_visible_to(user: User) -> QuerySet[EsrExport]:
    """The person's own exports, and only while they still administer the organisation."""
    if not is_signed_in(user):
        return EsrExport.objects.none()
    return EsrExport.objects.filter(
        requested_by=user, organisation__in=organisations_administered_by(user)
    )


def esr_export_for(user: User, pk: int) -> EsrExport:
    export = esr_exports_visible_to(user).filter(pk=pk).select_related("organisation").first()
    if export is None:
        raise Http404
    return export
