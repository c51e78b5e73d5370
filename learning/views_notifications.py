"""On-site notifications: a person's own list, opening one, and how often to email them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from learning import selectors, services
from learning.models import User
from learning.notify import unread_count
from learning.pagination import keyset_page

PAGE_SIZE = 25


class NotificationPreferenceForm(forms.Form):
    email_notifications = forms.ChoiceField(
        label=gettext_lazy("When should we email you about notifications?"),
        choices=User._meta.get_field("email_notifications").choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose how often we should email you.")},
    )


@login_required
def notification_list(request):
    page = keyset_page(
        selectors.notifications_for(request.user),
        order=("-created_at", "-pk"),
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    return render(request, "learning/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request, notification_id: int):
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=notification_id)
    return redirect(services.notification_open(user=request.user, notification=notification))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notification_list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"email_notifications": request.user.email_notifications},
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(
            user=request.user, email_notifications=form.cleaned_data["email_notifications"]
        )
        messages.success(request, _("Your email choice is saved."))
        return redirect("notification_list")
    return render(request, "learning/notification_settings.html", {"form": form})


def notifications_dashboard_panel(request) -> dict | None:
    """ "New notifications: N" at the top of My home (one query; nothing when there are none)."""
    unread = unread_count(request.user)  # the header's cached count: no query of its own
    if not unread:
        return None
    return {"template": "learning/notifications_panel.html", "context": {"unread": unread}}
