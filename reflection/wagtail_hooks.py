"""The safeguarding patterns, kept by content editors as a Wagtail snippet. Journal entries are
never registered in any admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from reflection.models import SafeguardingPhrase


class SafeguardingPhraseViewSet(SnippetViewSet):
    model = SafeguardingPhrase
    icon = "warning"
    menu_label = _("Safeguarding patterns")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["phrase", "window", "not_current", "created_at"]
    search_fields = ["phrase"]
    search_backend_name = None
    ordering = ["phrase"]
    panels = ["phrase", "window", "not_current"]


register_snippet(SafeguardingPhraseViewSet)
