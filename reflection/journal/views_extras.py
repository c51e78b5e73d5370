"""Journal extras: export, autosave and keeping text over an expired session. Thin views: parse
input, call one selector or service, respond."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learning.dates import date_parts_value
from learning.forms import id_from
from learning.middleware import client_ip
from learning.ratelimit import rate_limit_message
from reflection.journal import drafts, exports, selectors
from reflection.journal.catalogue import ReflectiveModel
from reflection.journal.forms import JournalEntryForm

# --- export ----------------------------------------------------------------------------------


def _filename(extension: str) -> str:
    return f"journal-{timezone.localdate().isoformat()}.{extension}"


@login_required
@require_GET
def journal_export(request):
    export = request.GET.get("format", "")
    if not export:
        return render(request, "reflection/extras/export.html")
    if export not in exports.EXPORT_FORMATS:
        return render(request, "reflection/extras/export.html", {"format_error": True}, status=400)
    limited = rate_limit_message(request.user, "export")
    if limited:
        return render(request, "reflection/extras/export.html", {"limited": limited}, status=429)
    rows = exports.journal_export_rows(request.user)
    exports.journal_export_record(
        user=request.user,
        export_format=export,
        entry_count=len(rows),
        ip_address=client_ip(request),
    )
    name = request.user.get_full_name()
    if export == "json":
        response = HttpResponse(
            exports.journal_json(rows, holder_name=name),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(
            exports.journal_pdf(rows, holder_name=name), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="{_filename(export)}"'
    return response


# --- autosave --------------------------------------------------------------------------------

_DATE = forms.DateField(required=False)


def _date(value: str):
    try:
        return _DATE.clean(value)
    except ValidationError:
        return None


@login_required
@require_POST
def journal_autosave(request):
    """Save what is in the form as a draft (JavaScript posts it while the person writes)."""
    from reflection.journal.views import _lesson_prompt

    post = request.POST
    entry = None
    entry_id = post.get("entry", "")
    if entry_id:
        if id_from(entry_id) is None:
            return JsonResponse({"saved": False}, status=404)
        entry = get_object_or_404(
            selectors.journal_entries_visible_to(request.user), pk=id_from(entry_id)
        )
    if entry is not None and not entry.is_draft:
        # A saved reflection stays as it was saved: keep the changes for the edit page.
        drafts.pending_edits_store(request.session, entry_id=entry.pk, data=_kept_fields(post))
        at = time_format(timezone.localtime(), "H:i")
        return JsonResponse(
            {
                "saved": True,
                "entry": entry.pk,
                "saved_at": at,
                "message": _("Changes kept at %(time)s. Save your reflection to keep them in it.")
                % {"time": at},
                "edit_url": reverse("journal_edit", args=[entry.pk]),
            }
        )
    model = entry.model if entry else post.get("model", "")
    lesson, prompt = (
        (None, "") if entry else _lesson_prompt(post.get("lesson", ""), post.get("prompt", ""))
    )
    form = JournalEntryForm(model=model) if model in ReflectiveModel.values else None
    sections = {s.key: post.get(f"section-{s.key}", "") for s in form.sections} if form else {}
    try:
        saved = drafts.journal_draft_save(
            author=request.user,
            entry=entry,
            model=model,
            title=post.get("title", ""),
            experienced_on=_date(date_parts_value(post, "experienced_on")),
            sections=sections,
            tags=post.get("tags", ""),
            summary=post.get("summary", ""),
            lesson=lesson,
            prompt=prompt,
            ip_address=client_ip(request),
        )
    except ValidationError as exc:
        return JsonResponse({"saved": False, "message": exc.messages[0]}, status=400)
    at = time_format(timezone.localtime(saved.updated_at), "H:i")
    return JsonResponse(
        {
            "saved": True,
            "entry": saved.pk,
            "saved_at": at,
            "message": _("Draft saved at %(time)s") % {"time": at},
            "edit_url": reverse("journal_edit", args=[saved.pk]),
        }
    )


# --- keeping text over an expired session ----------------------------------------------------

_KEPT_FIELDS = (
    "model",
    "title",
    "experienced_on",
    "experienced_on_day",
    "experienced_on_month",
    "experienced_on_year",
    "tags",
    "summary",
)


def _kept_fields(post) -> dict[str, str]:
    return {k: v[:20000] for k, v in post.items() if k in _KEPT_FIELDS or k.startswith("section-")}


def kept_initial(data: dict[str, str]) -> dict[str, str]:
    """Kept form text as a form's initial values (the date's three boxes become one value)."""
    return {**data, "experienced_on": date_parts_value(data, "experienced_on")}


def _restore(request, view_kwargs: dict, data: dict[str, str]):
    """The form page again, filled with what the person wrote before they were signed out."""
    from reflection.journal.views import _form_page, _lesson_prompt

    entry_id = view_kwargs.get("entry_id")
    messages.info(
        request,
        _(
            "We kept what you wrote before you were signed out. Check it, then save your "
            "reflection."
        ),
    )
    if entry_id is not None:
        entry = get_object_or_404(selectors.journal_entries_visible_to(request.user), pk=entry_id)
        form = JournalEntryForm(initial=kept_initial(data), model=entry.model)
        return _form_page(request, form, entry=entry, lesson=None, prompt=entry.prompt)
    model = request.GET.get("model", "")
    if model not in ReflectiveModel.values:
        return None
    lesson, prompt = _lesson_prompt(request.GET.get("lesson", ""), request.GET.get("prompt", ""))
    form = JournalEntryForm(initial=kept_initial(data), model=model)
    return _form_page(request, form, entry=None, lesson=lesson, prompt=prompt)


def _return_target(request) -> str:
    query = {k: request.POST[k] for k in ("model", "lesson", "prompt") if request.POST.get(k)}
    return request.path + (f"?{urlencode(query)}" if query else "")


def _keep_and_sign_in(request, *, owner_id: int):
    drafts.kept_form_store(
        request.session, path=request.path, data=_kept_fields(request.POST), owner_id=owner_id
    )
    target = _return_target(request)
    messages.info(
        request,
        _(
            "Your session had ended, so we kept what you wrote. Sign in again to carry on "
            "where you were."
        ),
    )
    return redirect_to_login(target)


KEPT_URL_NAMES = ("journal_new", "journal_edit")


def journal_signed_out_post(request, *, signed_out_user_id: int):
    """For ``learning.middleware``: a journal form caught by the idle sign-out is kept, bound to
    the account that was signed out."""
    try:
        match = resolve(request.path)
    except Resolver404:
        return None
    if match.url_name not in KEPT_URL_NAMES:
        return None
    return _keep_and_sign_in(request, owner_id=signed_out_user_id)


def _copy_and_sign_in(request):
    """A journal form posted with no session at all: nobody knows whose it is, so nothing is
    kept on the server. The text goes back to the browser that sent it, to copy before signing
    in."""
    fields = _kept_fields(request.POST)
    texts = [value for key, value in fields.items() if value.strip() and key != "model"]
    login_url = f"{reverse('account_login')}?{urlencode({'next': _return_target(request)})}"
    return render(
        request,
        "reflection/extras/session_ended.html",
        {"texts": texts, "login_url": login_url},
    )


def keep_text_when_signed_out(view):
    """A journal form posted after the session ended. If the idle sign-out caught it, the
    middleware has kept the text for the account that wrote it; if there was no session at all,
    the text is shown back to copy (``_copy_and_sign_in``). When the writer signs in again the
    kept text is put back into the form, once."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            return _copy_and_sign_in(request)
        if request.method == "GET" and request.user.is_authenticated:
            data = drafts.kept_form_take(
                request.session, path=request.path, user_id=request.user.pk
            )
            if data is not None:
                response = _restore(request, kwargs, data)
                if response is not None:
                    return response
        return view(request, *args, **kwargs)

    return wrapper
