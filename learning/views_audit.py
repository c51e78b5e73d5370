"""The audit log viewer: superusers only, read only, filterable, keyset-paginated. Audit rows
hold who did what to which record and when — never reflective or free-text content."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from learning import permissions
from learning.dates import DatePartsField
from learning.models import AuditEvent
from learning.pagination import keyset_page

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=60,
        help_text=_("For example: signoff, journal_entry.deleted, auth."),
    )
    actor = forms.EmailField(label=_("Done by (email address)"), required=False)
    target = forms.CharField(
        label=_("Record type"),
        required=False,
        max_length=60,
        help_text=_("For example: reflection.journalentry"),
    )
    date_from = DatePartsField(label=_("From"), label_text=_("The start date"), required=False)
    date_to = DatePartsField(label=_("To"), label_text=_("The end date"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be the same as or after the start."))
        return data


def audit_events_matching(data: dict):
    qs = AuditEvent.objects.select_related("actor", "organisation")
    if data.get("action"):
        qs = qs.filter(action__startswith=data["action"])
    if data.get("actor"):
        qs = qs.filter(actor__email__iexact=data["actor"])
    if data.get("target"):
        qs = qs.filter(target_type=data["target"].lower())
    if data.get("date_from"):
        qs = qs.filter(created_at__date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(created_at__date__lte=data["date_to"])
    return qs


@login_required
@require_GET
def audit_log(request):
    if not permissions.can_view_audit_log(request.user):
        raise Http404
    filtering = any(k != "after" for k in request.GET)
    form = AuditFilterForm(request.GET if filtering else None)
    page = None
    if not form.is_bound or form.is_valid():
        page = keyset_page(
            audit_events_matching(form.cleaned_data if form.is_bound else {}),
            order=("-created_at", "-pk"),
            cursor=request.GET.get("after"),
            size=PAGE_SIZE,
        )
    return render(request, "learning/audit_log.html", {"form": form, "page": page})
