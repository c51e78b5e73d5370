"""Security headers django-csp does not cover.

* The Wagtail and Django admins get their own Content Security Policy, still with no
  ``'unsafe-inline'`` for scripts: the few inline scripts Wagtail writes (its date and time
  pickers) are allowed by their SHA-256 hash, and only when their whole text matches the exact
  shape Wagtail generates, so nothing injected into an admin page can run.
* A ``Permissions-Policy`` that turns off browser features the platform never uses.
"""

from __future__ import annotations

import base64
import hashlib
import re

from django.conf import settings

# Wagtail's widget initialisers, e.g. initDateChooser("id_x", {"dayOfWeekStart": 1, ...});
_ALLOWED_INLINE = re.compile(
    r'init(?:Date|DateTime|Time)Chooser\("[A-Za-z0-9_-]{1,100}", \{[^<>{}()\\]{0,400}\}\);'
)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def admin_policy(html: str) -> str:
    hashes = sorted(
        {_hash(s) for s in _INLINE_SCRIPT.findall(html) if _ALLOWED_INLINE.fullmatch(s)}
    )
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *hashes],
        # Wagtail's admin sets style attributes in its markup; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],  # Wagtail previews pages in a same-origin frame
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


class SecurityHeadersMiddleware:
    """Runs after django-csp; fills in the admin policy and the permissions policy."""

    ADMIN_PREFIXES = ("/admin/", "/django-admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        content_type = response.get("Content-Type", "")
        if (
            request.path.startswith(self.ADMIN_PREFIXES)
            and content_type.startswith("text/html")
            and "Content-Security-Policy" not in response
            and not getattr(response, "streaming", False)
        ):
            html = response.content.decode(response.charset or settings.DEFAULT_CHARSET, "replace")
            response["Content-Security-Policy"] = admin_policy(html)
        return response
