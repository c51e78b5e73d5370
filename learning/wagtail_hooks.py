"""Operations screens in the Wagtail admin (the Django admin is off in production)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Organisation


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
