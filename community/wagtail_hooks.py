"""Community spaces in the Wagtail admin: content editors (and national coordinators, where
they have admin access) create and edit spaces and choose their facilitators. Posts are never
registered in any admin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from community.models import Space
from learning import permissions


class SpacePermissionPolicy(ModelPermissionPolicy):
    """Who may add, change, delete or list spaces in the admin: the rulebook decides
    (``can_manage_community_spaces``), not each person's model permissions."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return permissions.can_manage_community_spaces(user)


class SpaceViewSet(SnippetViewSet):
    model = Space
    icon = "group"
    menu_label = _("Community spaces")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "membership_policy", "premoderation"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("guidelines"),
        FieldPanel("membership_policy"),
        FieldPanel("premoderation"),
        FieldPanel("premoderation_posts"),
        FieldPanel("flag_threshold"),
        FieldPanel("facilitators"),
    ]


register_permission_policy(Space, SpacePermissionPolicy(Space), exact_class=True)
register_snippet(SpaceViewSet)
