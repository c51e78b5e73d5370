"""The supervision themes taxonomy, kept by content editors as a Wagtail snippet. Sessions,
check-ins and actions are never registered in any admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from reflection.supervision.models import SupervisionTheme


class SupervisionThemeViewSet(SnippetViewSet):
    model = SupervisionTheme
    icon = "tag"
    menu_label = _("Supervision themes")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "name_cy", "order", "active"]
    search_fields = ["name", "name_cy"]
    search_backend_name = None
    ordering = ["order", "name"]
    panels = ["name", "name_cy", "order", "active"]
