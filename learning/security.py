"""Security headers django-csp does not cover.

* The Wagtail and Django admins get their own Content Security Policy, with scripts from this
  site only: no inline script runs at all. The one inline script Wagtail writes (beside each
  date and time picker) is replaced by a data attribute that ``static/js/admin-choosers.js``
  reads (``templates/wagtailadmin/widgets/``), so nothing injected into an admin page can run,
  whatever its shape.
* A ``Permissions-Policy`` that turns off browser features the platform never uses.
"""

from __future__ import annotations

from django.conf import settings

from learning.content_policy import policy_directives, policy_header

PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)


def admin_policy() -> str:
    """The admins' policy, from the same function as the site's (learning/content_policy.py),
    so images in the configured storage and the providers' videos show in the choosers too."""
    directives = policy_directives(
        storages=settings.STORAGES, media_url=settings.MEDIA_URL, admin=True
    )
    site = settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {})
    if site.get("upgrade-insecure-requests"):
        directives["upgrade-insecure-requests"] = True
    return policy_header(directives)


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
            response["Content-Security-Policy"] = admin_policy()
        return response
