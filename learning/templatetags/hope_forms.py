"""Template helpers for form patterns shared by every app."""

from __future__ import annotations

from django import template

from learning.dates import PARTS, split_date

register = template.Library()


@register.simple_tag
def date_parts(field) -> dict[str, str]:
    """The three boxes of an NHS date input, exactly as the person typed them when the form
    was posted (so nothing they typed is lost), or split from the saved date."""
    form = field.form
    if form.is_bound:
        name = field.html_name
        typed = {p: form.data.get(f"{name}_{p}") for p in PARTS}
        if any(v is not None for v in typed.values()):
            return {p: (typed[p] or "")[:10] for p in PARTS}
        return split_date(form.data.get(name, ""))
    return split_date(field.value())


@register.simple_tag(takes_context=True)
def submission_token(context):
    """A hidden one-off token for a form that creates something (learning/submissions.py); in
    markup kept for later responses (``learning.fragments.render_item``), a placeholder that
    each response replaces with a token of its own."""
    from django.utils.html import format_html

    from learning.fragments import SUBMISSION_CONTEXT
    from learning.submissions import FIELD, new_token

    token = context.get(SUBMISSION_CONTEXT) or new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
