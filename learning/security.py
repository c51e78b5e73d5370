"""Security headers django-csp does not cover.

* The Wagtail and Django admins get their own Content Security Policy, with scripts from this
  site only: no inline script runs at all. The one inline script Wagtail writes (beside each
  date and time picker) is replaced by a data attribute that ``static/js/admin-choosers.js``
  reads (``templates/wagtailadmin/widgets/``), so nothing injected into an admin page can run,
  whatever its shape.
* A ``Permissions-Policy`` that turns off browser features the platform never uses.
"""

from __future__ import annotations

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)


def admin_policy() -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
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


ADMIN_POLICY = admin_policy()


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
        ):
            response["Content-Security-Policy"] = ADMIN_POLICY
        return response
