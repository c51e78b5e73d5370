"""Community spaces in the Wagtail admin: content editors (and national coordinators, where
they have admin access) create and edit spaces: their pages and settings. The facilitators are
shown to everyone but changed only by those the rulebook lets appoint them (the national
coordinator, an admin of the space's organisation), never by themselves, and each change goes
through the service that audits it and tells the person. Posts are never registered in any
admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from community.models import Space
from community.resources.selectors import may_download
from learning import permissions


class SpacePermissionPolicy(ModelPermissionPolicy):
    """Who may add, change, delete or list spaces in the admin: the rulebook decides
    (``can_manage_community_spaces``), not each person's model permissions."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return permissions.can_manage_community_spaces(user)


class SpaceAdminForm(WagtailAdminModelForm):
    """The space's form: its facilitators locked for anyone who may not appoint them, and
    changed through ``space_facilitator_appoint``/``space_facilitator_remove``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("facilitators")
        if field is not None and not self._may_appoint():
            field.disabled = True
            field.help_text = _(
                "Facilitators are appointed by the national coordinator or an admin of the "
                "space's organisation."
            )

    def _may_appoint(self) -> bool:
        return permissions.can_appoint_facilitators(self.for_user, self.instance)

    def clean_facilitators(self) -> Any:
        chosen = self.cleaned_data.get("facilitators")
        user = self.for_user
        current = set(self.instance.facilitator_ids()) if self.instance.pk else set()
        if chosen is not None and user is not None and user.pk is not None:
            wanted = {person.pk for person in chosen}
            if (user.pk in wanted) != (user.pk in current):
                raise forms.ValidationError(
                    _("You cannot appoint yourself, or remove yourself, as a facilitator.")
                )
        return chosen

    def clean(self) -> dict[str, Any]:
        from community.spaces.services import outside_organisation

        cleaned = super().clean()
        chosen = cleaned.get("facilitators")
        organisation = cleaned.get("organisation")
        if (
            chosen is not None
            and organisation is not None
            and not self.fields["facilitators"].disabled
        ):
            current = set(self.instance.facilitator_ids()) if self.instance.pk else set()
            new = [person for person in chosen if person.pk not in current]
            if outside_organisation(organisation.pk, new):
                self.add_error(
                    "facilitators",
                    _("Choose facilitators from the members of the space's organisation."),
                )
        return cleaned

    def _save_m2m(self) -> None:
        from community.spaces.services import space_facilitator_appoint, space_facilitator_remove

        chosen = self.cleaned_data.pop("facilitators", None)
        super()._save_m2m()
        if chosen is None or self.fields["facilitators"].disabled:
            return
        space = self.instance
        wanted = {person.pk: person for person in chosen}
        current = set(space.facilitator_ids())
        for person in wanted.values():
            if person.pk not in current:
                space_facilitator_appoint(actor=self.for_user, space=space, person=person)
        for person in space.facilitators.exclude(pk__in=list(wanted)):
            space_facilitator_remove(actor=self.for_user, space=space, person=person)


class SpaceViewSet(SnippetViewSet):
    model = Space
    icon = "group"
    menu_label = _("Community spaces")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "membership_policy", "premoderation"]
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("guidelines"),
            FieldPanel("membership_policy"),
            FieldPanel("premoderation"),
            FieldPanel("premoderation_posts"),
            FieldPanel("flag_threshold"),
            FieldPanel("questions_and_answers"),
            FieldPanel("organisation"),
            FieldPanel("facilitators"),
            InlinePanel(
                "resources",
                label=_("Resources"),
                help_text=_(
                    "Documents members of the space can read and download. Only people who "
                    "can read the space can download them."
                ),
            ),
        ],
        base_form_class=SpaceAdminForm,
    )


register_permission_policy(Space, SpacePermissionPolicy(Space), exact_class=True)
register_snippet(SpaceViewSet)


@hooks.register("before_serve_document")
def space_documents_for_readers_only(document: Any, request: Any) -> None:
    """A document in a space's library is served only to those who can read the space; anyone
    else gets the same 404 as for a document that does not exist."""
    if not may_download(request.user, document.pk):
        raise Http404
