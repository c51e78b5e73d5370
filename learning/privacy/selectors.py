"""Reads for "your data": a person's own downloads only."""

from __future__ import annotations

from django.http import Http404

from learning.models import DataExport
from learning.permissions import Person, is_signed_in


def data_exports_of(user: Person, *, limit: int = 5) -> list[DataExport]:
    if not is_signed_in(user):
        return []
    return list(DataExport.objects.filter(user_id=user.pk).order_by("-created_at", "-id")[:limit])


def data_export_for(user: Person, export_id: int) -> DataExport:
    """One of the person's own downloads; anyone else's is the same 404 as a missing one."""
    if not is_signed_in(user):
        raise Http404
    export = DataExport.objects.filter(pk=export_id, user_id=user.pk).first()
    if export is None:
        raise Http404
    return export
