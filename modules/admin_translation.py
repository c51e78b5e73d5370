"""The admin's "Submit translation for review" screen and its button, on a translated page's
header and in page listings (see ``modules.pages.translation_review``), and "Sync translated
pages" without "Publish immediately" for those who may not publish."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import ListingButton
from wagtail.models import Locale, Page
from wagtail_localize.views.update_translations import UpdateTranslationsView

from learning import request_memo
from modules.pages.translation import SOURCE_LANGUAGE
from modules.pages.translation_review import (
    TranslationNotSubmitted,
    can_submit_translation,
    submit_translation_for_review,
    translation_of,
)

URL_NAME = "modules_translation_submit"


def submit_translation_view(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    if translation_of(page) is None:
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if request.method == "POST":
        try:
            submit_translation_for_review(page=page, user=request.user)
        except TranslationNotSubmitted:
            messages.error(
                request,
                _("This translation cannot be submitted: it is already in review."),
            )
        else:
            messages.success(
                request,
                _("'%(title)s' in %(language)s has been submitted for review.")
                % {"title": page.get_admin_display_title(), "language": page.locale},
            )
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "modules/admin/submit_translation.html",
        {
            "page": page,
            "header_title": _("Submit translation for review"),
            "page_title": _("Submit translation for review"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "wagtail-localize-language",
            "can_submit": can_submit_translation(request.user, page),
            "submit_url": request.path,
            "edit_url": edit_url,
        },
    )


def _source_locale_id() -> int | None:
    """The English locale's id, looked up once a request (a listing asks for every row)."""
    memo = request_memo.current()
    found = getattr(memo, "hope_source_locale_id", None)
    if found is None:
        found = (
            Locale.objects.filter(language_code=SOURCE_LANGUAGE)
            .values_list("pk", flat=True)
            .first()
        )
        if memo is not None:
            memo.hope_source_locale_id = found
    return found


def submit_translation_buttons(page: Page, user, view_name=None, next_url=None):
    """The button "Submit translation for review" on a translated page that can be submitted.
    English pages (most rows of a listing) are passed over without a query."""
    if page.is_root() or page.alias_of_id or page.locale_id == _source_locale_id():
        return
    if translation_of(page) is not None and can_submit_translation(user, page):
        yield ListingButton(
            gettext_lazy("Submit translation for review"),
            reverse(URL_NAME, args=[page.pk]),
            priority=61,
            icon_name="resubmit",
        )


class SyncTranslationsView(UpdateTranslationsView):
    """wagtail-localize's "Sync translated pages", where "Publish immediately" is offered only
    to someone who may publish every translated page: for anyone else (content editors) it is
    shown switched off, and the synced translations stay drafts to submit for review."""

    def get_form(self):
        form = super().get_form()
        if not self._may_publish_translations():
            form.fields["publish_translations"].disabled = True
            form.fields["publish_translations"].help_text = gettext_lazy(
                "Publishing a translation goes through review: submit each translation for "
                "review after syncing it."
            )
        return form

    def _may_publish_translations(self) -> bool:
        user = self.request.user
        for translation in self.object.translations.filter(enabled=True):
            target = translation.get_target_instance()
            if isinstance(target, Page) and not target.permissions_for_user(user).can_publish():
                return False
        return True
