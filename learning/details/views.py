from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.details import services
from learning.details.forms import DetailsForm, ProfessionalDetailsForm
from learning.formviews import call_service
from learning.middleware import language_cookie_set


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: no host is allowed, so no other site can be named.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=set()):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def details(request):
    """Your details: the name shown to others. Reached from the account area, or once after
    signing in by someone without a name (``?next=`` then says where they were going)."""
    user = request.user
    next_url = _next_url(request)
    asking = bool(next_url) and not user.display_name
    # Someone asked for their name after signing in sees the name alone; the page itself has
    # their professional details too.
    form_class = DetailsForm if asking else ProfessionalDetailsForm
    initial = {"display_name": user.display_name}
    if not asking:
        initial.update({name: getattr(user, name) for name in services.PROFESSIONAL_FIELDS})
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = call_service(form, lambda: _save(user, data, professional=not asking))
        if result.ok:
            messages.success(request, _("Your details are saved."))
            return redirect(next_url or "account_details")
    return render(
        request,
        "learning/details.html",
        {"form": form, "next_url": next_url, "asking": asking},
    )


@transaction.atomic
def _save(user, data: dict, *, professional: bool) -> None:
    services.details_name_set(user=user, display_name=data["display_name"])
    if professional:
        services.details_professional_set(
            user=user, **{name: data[name] for name in services.PROFESSIONAL_FIELDS}
        )


@require_GET
def language_switch(request, code: str):
    """The header's "Cymraeg" / "English" link: a plain link, so it works without JavaScript.
    The choice is kept in this browser (the language cookie) and, for someone signed in, on
    their account. ``next`` is followed only if it is a path on this site."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    if request.user.is_authenticated:
        services.details_language_set(user=request.user, language=code)
    translation.activate(code)
    response = redirect(_next_url(request) or "/")
    language_cookie_set(response, code)
    return response
