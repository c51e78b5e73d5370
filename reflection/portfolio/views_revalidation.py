"""The revalidation task list, the practice-related feedback log and the declaration of what
the platform cannot count (practice hours, the discussion, health and character, indemnity,
confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning.details.services import DECLARATION_FIELDS, details_revalidation_set
from learning.formviews import call_service
from learning.submissions import once_per_submission
from reflection.portfolio import feedback, selectors
from reflection.portfolio.forms import DeclarationForm, FeedbackForm
from reflection.portfolio.revalidation import revalidation_task_list


@login_required
@require_GET
def portfolio_home(request):
    return render(
        request,
        "reflection/portfolio/home.html",
        {"task_list": revalidation_task_list(request.user)},
    )


@login_required
@require_GET
def feedback_list(request):
    return render(
        request,
        "reflection/portfolio/feedback_list.html",
        {"items": selectors.feedback_log(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def feedback_new(request):
    form = FeedbackForm(request.POST or None)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result = call_service(
            form,
            lambda: feedback.feedback_create(
                owner=request.user,
                received_on=d["received_on"],
                source=d["source"],
                summary=d["summary"],
                learnt=d["learnt"],
                confirm_identifiers=d["confirm_identifiers"],
            ),
        )
        if result.ok:
            messages.success(request, _("The feedback is added to your log."))
            return redirect("feedback_list")
        extra = result.context
    return render(
        request,
        "reflection/portfolio/feedback_form.html",
        {"form": form, **extra},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def feedback_edit(request, item_id: int):
    item = selectors.feedback_get(request.user, item_id)
    initial = {
        "received_on": item.received_on,
        "source": item.source,
        "summary": item.summary,
        "learnt": item.learnt,
    }
    form = FeedbackForm(request.POST or None, initial=initial)
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result = call_service(
            form,
            lambda: feedback.feedback_update(
                owner=request.user,
                item=item,
                received_on=d["received_on"],
                source=d["source"],
                summary=d["summary"],
                learnt=d["learnt"],
                confirm_identifiers=d["confirm_identifiers"],
            ),
        )
        if result.ok:
            messages.success(request, _("The feedback is saved."))
            return redirect("feedback_list")
        extra = result.context
    return render(
        request,
        "reflection/portfolio/feedback_form.html",
        {"form": form, "item": item, **extra},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_delete(request, item_id: int):
    item = selectors.feedback_get(request.user, item_id)
    if request.method == "POST":
        feedback.feedback_delete(owner=request.user, item=item)
        messages.success(request, _("The feedback is deleted from your log."))
        return redirect("feedback_list")
    return render(request, "reflection/portfolio/feedback_delete.html", {"item": item})


@login_required
@require_http_methods(["GET", "POST"])
def revalidation_declaration(request):
    user = request.user
    initial = {name: getattr(user, name) for name in DECLARATION_FIELDS}
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result = call_service(
            form,
            lambda: details_revalidation_set(
                user=user, **{name: d[name] for name in DECLARATION_FIELDS}
            ),
        )
        if result.ok:
            messages.success(request, _("Your declaration is saved."))
            return redirect("portfolio_home")
    return render(
        request,
        "reflection/portfolio/declaration.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
