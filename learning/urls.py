"""The project's URL map. Every pattern here has a row in the route × role
permission matrix (tests/test_permission_matrix.py)."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from learning import health, media, views, views_audit, views_invitations, views_notifications
from learning.metrics import metrics_view
from learning.signin import views as signin_views
from learning.signin import views_domains as domain_views


class _AdminLoginRedirect(RedirectView):
    """Staff sign in through the one front door (allauth, with two-factor)."""

    pattern_name = "account_login"
    query_string = True


urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    # NHS.UK frontend's stylesheet asks for its icons at /assets/images/; they are static files.
    re_path(
        r"^assets/(?P<path>images/[\w.-]+\.(?:svg|png|ico))$",
        RedirectView.as_view(url=settings.STATIC_URL + "nhsuk/assets/%(path)s", permanent=True),
        name="nhsuk_assets",
    ),
    # Work accounts (OpenID Connect): the email step, the provider re-check and the provider's
    # back-channel and front-channel logout. allauth's own provider URLs are under accounts/.
    path("signin/work/", signin_views.signin_work, name="signin_work"),
    path("signin/work/recheck/", signin_views.signin_work_recheck, name="signin_work_recheck"),
    path(
        "signin/oidc/<str:provider_id>/backchannel-logout/",
        signin_views.oidc_backchannel_logout,
        name="oidc_backchannel_logout",
    ),
    path(
        "signin/oidc/<str:provider_id>/frontchannel-logout/",
        signin_views.oidc_frontchannel_logout,
        name="oidc_frontchannel_logout",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("learning.details.urls")),
    path("admin/login/", _AdminLoginRedirect.as_view(), name="wagtailadmin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "organisations/<slug:slug>/members/",
        views.organisation_members,
        name="organisation_members",
    ),
    path(
        "organisations/<slug:slug>/members/invite/",
        views_invitations.organisation_invite_bulk,
        name="organisation_invite_bulk",
    ),
    path(
        "organisations/<slug:slug>/members/<id:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    # An organisation admin links email domains, each confirmed by a link sent to the domain.
    path(
        "organisations/<slug:slug>/domains/",
        domain_views.organisation_domains,
        name="organisation_domains",
    ),
    path(
        "organisations/<slug:slug>/domains/<id:domain_id>/remove/",
        domain_views.organisation_domain_remove,
        name="organisation_domain_remove",
    ),
    path(
        "signin/domains/confirm/<str:token>/",
        domain_views.domain_claim_confirm,
        name="domain_claim_confirm",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("support/", views.support, name="support"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("notifications/", views_notifications.notification_list, name="notification_list"),
    path(
        "notifications/<id:notification_id>/open/",
        views_notifications.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/read-all/",
        views_notifications.notification_read_all,
        name="notification_read_all",
    ),
    path(
        "notifications/settings/",
        views_notifications.notification_settings,
        name="notification_settings",
    ),
]

if settings.HOPE_DJANGO_ADMIN:
    admin.site.login = secure_admin_login(admin.site.login)
    urlpatterns.insert(0, path("django-admin/", admin.site.urls))

# Uploaded images (Wagtail's originals and renditions) from the storage, in development or where
# HOPE_SERVE_MEDIA says so (learning/media.py). Only those two folders: certificates and exports
# are in the same storage and are served by their signed-in download views, never by name.
if settings.DEBUG or settings.HOPE_SERVE_MEDIA:
    urlpatterns.insert(
        0,
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>(?:original_images|images)/[^/]+)$",
            media.media_file,
            name="media",
        ),
    )

urlpatterns += [
    path("", include("modules.urls")),
    path("", include("reflection.urls")),
    path("", include("community.urls")),
    path("reports/", include("learning.reports.urls")),
    path("account/data/", include("learning.privacy_urls")),
    re_path(r"", include(wagtail_urls)),
]

handler500 = "learning.views.server_error"
