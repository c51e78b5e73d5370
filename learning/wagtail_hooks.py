"""Operations screens in the Wagtail admin (the Django admin is off in production)."""

from django.contrib import messages
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from learning import account_changes, pagecache
from learning.models import Organisation


class OrganisationViewSet(ModelViewSet):
    """Organisations, for superusers (model permissions: nobody else holds them)."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 900
    add_to_admin_menu = True
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("region"),
        FieldPanel("in_wales"),
        FieldPanel("safeguarding_route"),
        MultiFieldPanel(
            [
                FieldPanel("signin_provider"),
                FieldPanel("join_on_provider_signin"),
                InlinePanel("email_domains", label=_("Email domain")),
            ],
            heading=_("Work account sign-in"),
        ),
    ]
    list_display = ["name", "kind", "region", "in_wales"]
    list_filter = ["kind", "region", "in_wales"]
    search_fields = ["name", "slug"]


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


@hooks.register("insert_global_admin_js")
def date_and_time_choosers():
    """Starts Wagtail's pickers from data attributes (the admin allows no inline script)."""
    return format_html('<script src="{}"></script>', static("js/admin-choosers.js"))


# --- changes to people's accounts (learning/account_changes.py) -----------------------------

_BEFORE_ATTR = "_hope_account_before"


@hooks.register("before_edit_user")
def remember_account_before_edit(request, user):
    if request.method == "POST":
        setattr(request, _BEFORE_ATTR, account_changes.account_snapshot(user.pk))


@hooks.register("after_edit_user")
def record_account_changes(request, user):
    before = getattr(request, _BEFORE_ATTR, None)
    if before is None:
        return
    changed = account_changes.account_admin_changes_record(
        actor=request.user, user_id=user.pk, before=before, request=request
    )
    if "email" in changed:
        messages.warning(
            request,
            _(
                "The email address has not changed yet. We have sent a link to the new address: "
                "it changes when its owner confirms it, and the person is told."
            ),
        )


# --- the public page cache (learning/pagecache.py) -------------------------------------------

pagecache.connect_signals()


@hooks.register("before_serve_page")
def page_cache_opt_in(page, request, serve_args, serve_kwargs):
    """Wagtail pages may be stored for people not signed in. Restricted pages answer with a
    redirect or a password form that sets the CSRF cookie, which the cache never stores."""
    pagecache.mark_cacheable(request)


for _hook in (
    "after_create_snippet",
    "after_edit_snippet",
    "after_delete_snippet",
    "after_publish_page",
    "after_unpublish_page",
    "after_move_page",
    "after_delete_page",
):
    hooks.register(_hook, pagecache.invalidate)
