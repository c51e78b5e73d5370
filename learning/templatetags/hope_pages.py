"""Links between keyset pages (``learning.pagination``)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_links(context, page, param: str = "after") -> dict[str, str]:
    """The next- and first-page addresses of a keyset ``page`` shown on this request's page
    (empty when there is none). Only ``param`` changes, so a page with several lists, each
    paged on its own, keeps the others' places and any filters."""
    request = context["request"]

    def query_with(cursor: str | None):
        query = request.GET.copy()
        query.pop(param, None)
        if cursor is not None:
            query[param] = cursor
        return query

    first = query_with(None)
    return {
        # "?…" is resolved against this page's own address.
        "next": f"?{query_with(page.next_cursor).urlencode()}" if page.next_cursor else "",
        "first": (
            (f"{request.path}?{first.urlencode()}" if first else request.path)
            if page.has_previous
            else ""
        ),
    }
