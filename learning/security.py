"""Security headers django-csp does not cover.

* The Wagtail and Django admins get their own Content Security Policy, with scripts from this
  site only: no inline script runs at all. The one inline script Wagtail writes (beside each
  date and time picker) is replaced by a data attribute that ``static/js/admin-choosers.js``
  reads (``templates/wagtailadmin/widgets/``), so nothing injected into an admin page can run,
  whatever its shape.
* A ``Permissions-Policy`` that turns off browser features the platform never uses.
"""

from __future__ import annotations

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

from learning.cache import local_memo
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the site's policy built once per process.

    django-csp builds the header from the settings on every response. For a response that asks
    for nothing of its own (no ``csp_update``/``csp_replace``/config on it, no nonce used, no
    report-only policy configured) the header is always the same, so it is built once and kept
    (``learning.cache.local_memo``, emptied when a test changes a setting). Anything else goes
    through django-csp as before."""

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or any(getattr(response, name, None) is not None for name in _CSP_RESPONSE_PARTS)
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response
        policy = local_memo("content_security_policy", "site", build_policy)
        config = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        excluded = request.path_info.startswith(tuple(config.get("EXCLUDE_URL_PREFIXES") or ()))
        if (
            policy
            and CSP_HEADER not in response
            and getattr(response, "_csp_exempt", False) is False
            and not excluded
        ):
            response[CSP_HEADER] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_CSP_RESPONSE_PARTS = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
