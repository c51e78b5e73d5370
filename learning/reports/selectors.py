"""Reads for reports, scoped so that "not yours" and "does not exist" are the same 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from learning.models import Organisation, User
from learning.permissions import can_view_national_reports, is_signed_in
from learning.reports.models import ReportExport
from learning.selectors import administered_organisation, organisations_administered_by


def report_organisation_for(user: User, slug: str) -> Organisation:
    """The organisation ``slug`` if ``user`` administers it; 404 otherwise (one query)."""
    organisation = administered_organisation(user, slug)
    if organisation is None:
        raise Http404
    return organisation


def require_national(user: User) -> None:
    if not can_view_national_reports(user):
        raise Http404


def report_exports_visible_to(user: User) -> QuerySet[ReportExport]:
    """The person's own exports, and only while they still hold the role that allowed them."""
    if not is_signed_in(user):
        return ReportExport.objects.none()
    allowed = Q(organisation__in=organisations_administered_by(user))
    if can_view_national_reports(user):
        allowed |= Q(organisation__isnull=True)
    return ReportExport.objects.filter(allowed, requested_by=user)


def report_export_for(user: User, pk: int) -> ReportExport:
    export = report_exports_visible_to(user).filter(pk=pk).select_related("organisation").first()
    if export is None:
        raise Http404
    return export
