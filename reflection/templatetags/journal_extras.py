"""Template helpers for the journal's scripts."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def journal_idle_seconds() -> int:
    """Seconds without input before the journal hides its text (the server's idle timeout)."""
    return int(settings.HOPE_SESSION_IDLE_MINUTES) * 60
