"""Thin views for "your data": download a copy of it, delete the account."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.middleware import client_ip
from learning.models import DataExport
from learning.privacy import handlers, selectors, services
from learning.ratelimit import rate_limit_message


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and my journal will be erased and cannot be got back."
        ),
        error_messages={
            "required": _(
                "Tick the box to confirm you understand, or go back to keep your account."
            )
        },
    )


def _home(request, *, error: str = "", status: int = 200):
    return render(
        request,
        "learning/data/home.html",
        {"exports": selectors.data_exports_of(request.user), "rate_error": error},
        status=status,
    )


@login_required
@require_GET
def data_home(request):
    return _home(request)


@login_required
@require_POST
@reauthentication_required
def data_export_request(request):
    """Asking for a download needs the password typed in the last few minutes (allauth keeps
    the request and sends it on once the person has typed it)."""
    message = rate_limit_message(request.user, "export")
    if message:
        return _home(request, error=message, status=429)
    export = services.data_export_request(user=request.user, ip_address=client_ip(request))
    return redirect("data_export_detail", export_id=export.pk)


@login_required
@require_GET
def data_export_detail(request, export_id: int):
    export = selectors.data_export_for(request.user, export_id)
    return render(
        request,
        "learning/data/export.html",
        {"export": export, "expired": services.is_expired(export)},
    )


@login_required
@require_GET
def data_export_status(request, export_id: int):
    export = selectors.data_export_for(request.user, export_id)
    ready = export.status == DataExport.Status.READY and not services.is_expired(export)
    return JsonResponse(
        {
            "status": export.status,
            "progress": export.progress,
            "ready": ready,
            "download_url": reverse("data_export_file", args=[export.pk]) if ready else "",
        }
    )


@login_required
@require_GET
def data_export_file(request, export_id: int):
    export = selectors.data_export_for(request.user, export_id)
    if export.status in (DataExport.Status.PENDING, DataExport.Status.RUNNING) and not (
        services.is_expired(export)
    ):
        return redirect("data_export_detail", export_id=export.pk)
    try:
        chunks = services.data_export_download(user=request.user, export=export)
    except services.ExportExpired:
        return render(
            request, "learning/data/export.html", {"export": export, "expired": True}, status=410
        )
    # Decrypted as it streams: the clear zip exists only on its way to its owner.
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    name = f"my-data-{export.created_at:%Y-%m-%d}-{export.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user, ip_address = request.user, client_ip(request)
        # Signed out first (its audit row names them), then deactivated and queued for erasure.
        logout(request)
        services.account_erasure_request(user=user, ip_address=ip_address)
        return redirect("account_deleted")
    return render(
        request,
        "learning/data/delete.html",
        {"form": form, "handlers": handlers()},
        status=400 if form.errors else 200,
    )


@require_GET
def account_deleted(request):
    return render(request, "learning/data/deleted.html")
