"""Showing stored user HTML: it was sanitised when it was saved, and is sanitised again here,
so a row written by an older rule, a migration or a bug still cannot run anything."""

from __future__ import annotations

from django import template

from learning.sanitise import sanitise_html

register = template.Library()


@register.filter
def sanitised(html: str, profile: str = "post"):
    return sanitise_html(html or "", profile=profile)
