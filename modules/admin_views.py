"""Editors' screens in the Wagtail admin: the "Modules due for review" report and its dashboard
panel. Both show modules whose next review date falls on or before today plus
``REVIEW_WINDOW_DAYS``, the most overdue first, with who owns each one."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import ReportView

from learning.permissions import can_use_cms
from modules.models import ModulePage

REVIEW_WINDOW_DAYS = 30
PANEL_LIMIT = 5


def can_view_review_report(user) -> bool:
    """Content editors and superusers, the people who keep the curriculum current."""
    return can_use_cms(user)


def modules_due_for_review(today: datetime.date | None = None):
    """ModulePages due for review within the window (overdue ones included), most overdue
    first. Drafts are included: an unpublished module is still the team's to keep current."""
    today = today or timezone.localdate()
    return (
        ModulePage.objects.filter(
            next_review_date__isnull=False,
            next_review_date__lte=today + datetime.timedelta(days=REVIEW_WINDOW_DAYS),
        )
        .only("id", "title", "draft_title", "live", "content_owner", "next_review_date")
        .order_by("next_review_date", "title", "id")
    )


def _mark(module: ModulePage, today: datetime.date) -> ModulePage:
    module.is_overdue = module.next_review_date < today
    module.days_overdue = (today - module.next_review_date).days
    module.days_left = -module.days_overdue
    return module


class ModulesDueForReviewView(ReportView):
    """A Wagtail report (Reports ▸ Modules due for review), with CSV and Excel export."""

    page_title = _("Modules due for review")
    header_icon = "date"
    template_name = "modules/admin/modules_due_for_review.html"
    results_template_name = "modules/admin/modules_due_for_review_results.html"
    index_url_name = "modules_due_for_review"
    index_results_url_name = "modules_due_for_review_results"
    paginate_by = 50
    export_filename = "modules-due-for-review"
    list_export = ["title", "content_owner", "next_review_date", "live"]
    export_headings = {
        "title": _("Module"),
        "content_owner": _("Content owner"),
        "next_review_date": _("Next review date"),
        "live": _("Published"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_review_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def today(self) -> datetime.date:
        if not hasattr(self, "_today"):
            self._today = timezone.localdate()
        return self._today

    def get_queryset(self):
        return modules_due_for_review(self.today)

    def decorate_paginated_queryset(self, object_list):
        return [_mark(module, self.today) for module in object_list]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = self.today
        context["window_days"] = REVIEW_WINDOW_DAYS
        return context


class ModulesDueForReviewPanel(Component):
    """Dashboard panel: how many modules are due for review, and the five most overdue."""

    name = "modules_due_for_review"
    template_name = "modules/admin/review_panel.html"
    order = 150

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None):
        today = timezone.localdate()
        due = modules_due_for_review(today)
        modules = [_mark(module, today) for module in due[:PANEL_LIMIT]]
        count = due.count()
        return {
            "modules": modules,
            "count": count,
            "more": max(count - len(modules), 0),
            "today": today,
            "window_days": REVIEW_WINDOW_DAYS,
            "report_url": reverse("modules_due_for_review"),
        }
