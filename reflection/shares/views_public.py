"""The shared portfolio as its recipient sees it: no account, the secret token in the link.

An unknown, expired or revoked token gets the same not-found page, so the page tells a stranger
nothing about which tokens exist. Openings are limited per client address, logged for the
person who shared and audited. The page is never indexed, never cached (by the browser, a proxy
or the public page cache) and never sends its address on as a referrer.
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from learning.middleware import client_ip
from learning.ratelimit import rate_limit_address
from reflection.portfolio.views import EVIDENCE_CONTENT_TYPES
from reflection.shares import selectors, services
from reflection.shares.bundle import bundle_read
from reflection.shares.models import PortfolioShareOpening

RATE_ACTION = "share_view"


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _not_found(request):
    return _private(render(request, "404.html", status=404))


def _limited(request):
    minutes = rate_limit_address(client_ip(request), RATE_ACTION)
    if minutes is None:
        return None
    response = render(request, "reflection/shares/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return _private(response)


def _opened(request, share, kind: str) -> bool:
    """Log the opening; ``False`` if the share stopped working a moment ago (it expired
    between the look-up and now)."""
    try:
        services.share_opening_record(share=share, kind=kind, ip_address=client_ip(request))
    except PermissionDenied:
        return False
    return True


@require_GET
def shared_portfolio(request, token: str):
    if (limited := _limited(request)) is not None:
        return limited
    share = selectors.share_for_token(token)
    if share is None or not _opened(request, share, PortfolioShareOpening.Kind.PAGE):
        return _not_found(request)
    owner = share.owner
    return _private(
        render(
            request,
            "reflection/shares/public.html",
            {
                "share": share,
                "holder_name": owner.display_name or owner.get_short_name(),
                "registration": owner.registration_shown(),
                "bundle": bundle_read(share.bundle),
                "token": token,
            },
        )
    )


@require_GET
def shared_evidence(request, token: str, item_id: int):
    """An evidence file the person ticked for this share, as a download."""
    if (limited := _limited(request)) is not None:
        return limited
    share = selectors.share_for_token(token)
    item = selectors.share_evidence_file(share, item_id) if share is not None else None
    if item is None or not _opened(request, share, PortfolioShareOpening.Kind.EVIDENCE):
        return _not_found(request)
    suffix = PurePath(item.evidence.name).suffix.lower()
    response = FileResponse(
        item.evidence.open("rb"),
        as_attachment=True,
        filename=item.evidence_name,
        content_type=EVIDENCE_CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
