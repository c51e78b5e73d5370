"""The modules app in the Wagtail admin: topics and audiences as snippets, the "Modules due for
review" report in the Reports menu, and its panel on the dashboard, and "Submit translation for
review" for a translated page."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from modules.admin_translation import (
    URL_NAME as SUBMIT_TRANSLATION_URL,
)
from modules.admin_translation import (
    SyncTranslationsView,
    submit_translation_buttons,
    submit_translation_view,
)
from modules.admin_views import (
    ModulesDueForReviewPanel,
    ModulesDueForReviewView,
    can_view_review_report,
)
from modules.h5p.admin import H5PContentViewSet
from modules.models import Audience, Topic
from modules.scorm.admin import ScormPackageViewSet

# --- Snippets: the curriculum taxonomies ----------------------------------------------------


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 100
    list_display = ["name", "name_cy", "slug", "sort_order"]
    search_fields = ["name", "name_cy"]
    search_backend_name = None  # a plain "name contains" search; no index to keep in step
    ordering = ["sort_order", "name"]
    panels = ["name", "name_cy", "slug", "description", "sort_order"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Audiences")
    menu_order = 200
    list_display = ["name", "name_cy", "slug"]
    search_fields = ["name", "name_cy"]
    search_backend_name = None
    ordering = ["name"]
    panels = ["name", "name_cy", "slug"]


class CurriculumViewSetGroup(SnippetViewSetGroup):
    items = (TopicViewSet, AudienceViewSet, ScormPackageViewSet, H5PContentViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Curriculum")
    menu_name = "curriculum"
    menu_order = 250


register_snippet(CurriculumViewSetGroup)


# --- Report: modules due for review ----------------------------------------------------------


class ModulesDueForReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_review_report(request.user)


@hooks.register("register_admin_urls")
def register_review_report_urls():
    return [
        path(
            "reports/modules-due-for-review/",
            ModulesDueForReviewView.as_view(),
            name="modules_due_for_review",
        ),
        path(
            "reports/modules-due-for-review/results/",
            ModulesDueForReviewView.as_view(results_only=True),
            name="modules_due_for_review_results",
        ),
    ]


# --- Translations: submitted for review like any page change ---------------------------------


@hooks.register("register_admin_urls")
def register_translation_review_urls():
    return [
        path(
            "translations/<id:page_id>/submit-for-review/",
            submit_translation_view,
            name=SUBMIT_TRANSLATION_URL,
        )
    ]


@hooks.register("register_admin_urls", order=-10)
def register_sync_translations_url():
    """Before wagtail-localize's own URLs, so that its "Sync translated pages" address is
    served by ``SyncTranslationsView`` (the same screen, without publishing past review)."""
    return [
        path(
            "localize/update/<id:translation_source_id>/",
            SyncTranslationsView.as_view(),
            name="modules_sync_translations",
        )
    ]


hooks.register("register_page_header_buttons", submit_translation_buttons)
hooks.register("register_page_listing_more_buttons", submit_translation_buttons)


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ModulesDueForReviewMenuItem(
        _("Modules due for review"),
        reverse("modules_due_for_review"),
        name="modules-due-for-review",
        icon_name="date",
        order=650,
    )


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    if can_view_review_report(request.user):
        panels.append(ModulesDueForReviewPanel())
