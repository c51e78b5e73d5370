"""Operations screens in the Wagtail admin (the Django admin is off in production)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from learning import pagecache
from learning.models import Organisation


class OrganisationViewSet(ModelViewSet):
    """Organisations, for superusers (model permissions: nobody else holds them)."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 900
    add_to_admin_menu = True
    form_fields = ["name", "slug", "kind", "region", "safeguarding_route"]
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "slug"]


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


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
