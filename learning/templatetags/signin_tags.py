"""Template filters for the sign-in pages."""

from __future__ import annotations

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def to_json(value) -> str:
    """JSON text for a data attribute (autoescaping makes it safe inside the quotes), so a
    page's static script can read what the server prepared without any inline script."""
    return json.dumps(value, cls=DjangoJSONEncoder)


@register.simple_tag
def work_signin_offered() -> bool:
    """True if this deployment set up a work-account provider (from the settings: no query)."""
    from learning.signin.config import providers

    return bool(providers())
