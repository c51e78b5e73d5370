"""On-site notifications: a person's own list, opening one, and how often to email them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from learning import notify_groups, selectors, services
from learning.models import EMAIL_CHOICES, NOTIFICATION_GROUP_FIELDS
from learning.notify import unread_count
from learning.pagination import keyset_page

PAGE_SIZE = 25


class NotificationSettingsForm(forms.Form):
    """How often to email about each group of notices, and quiet hours for email."""

    quiet_from = forms.TimeField(
        label=gettext_lazy("Start"),
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        error_messages={
            "invalid": gettext_lazy("Enter the start of quiet hours as a time, like 22:00.")
        },
    )
    quiet_until = forms.TimeField(
        label=gettext_lazy("End"),
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        error_messages={
            "invalid": gettext_lazy("Enter the end of quiet hours as a time, like 07:00.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = {}
        for key, legend, hint in notify_groups.GROUPS:
            groups[key] = forms.ChoiceField(
                label=legend,
                help_text=hint,
                choices=EMAIL_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how often we should email you about %(what)s.")
                    % {"what": str(legend).lower()},
                    "invalid_choice": _("Choose one of the options for %(what)s.")
                    % {"what": str(legend).lower()},
                },
            )
        # The groups come first on the page, then quiet hours.
        self.fields = {**groups, **self.fields}

    def group_fields(self):
        return [self[key] for key, _legend, _hint in notify_groups.GROUPS]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if "quiet_from" in self.errors or "quiet_until" in self.errors:
            return cleaned
        if start is not None and end is None:
            self.add_error("quiet_until", _("Enter the time quiet hours end, like 07:00."))
        elif end is not None and start is None:
            self.add_error("quiet_from", _("Enter the time quiet hours start, like 22:00."))
        elif start is not None and start == end:
            self.add_error(
                "quiet_until", _("Enter an end time that is different from the start time.")
            )
        return cleaned


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
    user = request.user
    preference = notify_groups.preference_of(user)
    initial = {
        key: (getattr(preference, key, "") if preference else "") or user.email_notifications
        for key in NOTIFICATION_GROUP_FIELDS
    }
    if preference is not None:
        for name in ("quiet_from", "quiet_until"):
            moment = getattr(preference, name)
            initial[name] = moment.strftime("%H:%M") if moment else ""
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.notification_settings_set(
            user=user,
            choices={key: data[key] for key in NOTIFICATION_GROUP_FIELDS},
            quiet_from=data["quiet_from"],
            quiet_until=data["quiet_until"],
        )
        messages.success(request, _("Your email settings are saved."))
        return redirect("notification_list")
    return render(request, "learning/notification_settings.html", {"form": form})


def notifications_dashboard_panel(request) -> dict | None:
    """ "New notifications: N" at the top of My home (one query; nothing when there are none)."""
    unread = unread_count(request.user)  # the header's cached count: no query of its own
    if not unread:
        return None
    return {"template": "learning/notifications_panel.html", "context": {"unread": unread}}
