"""The author's written reflective account for one signed-off reflection (NMC form)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from learning.middleware import client_ip
from reflection.signoff import accounts


@login_required
@require_GET
def reflective_account(request, request_id: int):
    signoff = get_object_or_404(accounts.signed_off_requests_of(request.user), pk=request_id)
    themes = [t for t in request.GET.getlist("theme") if t in dict(accounts.CODE_THEMES)]
    account = accounts.account_text(signoff, themes=themes)
    export = request.GET.get("format", "")
    if export in accounts.ACCOUNT_FORMATS:
        holder = request.user.get_full_name()
        accounts.reflective_account_export_record(
            user=request.user, request=signoff, export_format=export, ip_address=client_ip(request)
        )
        filename = f"reflective-account-{timezone.localdate().isoformat()}.{export}"
        if export == "pdf":
            response = HttpResponse(
                accounts.account_pdf(account, holder_name=holder), content_type="application/pdf"
            )
        else:
            response = HttpResponse(
                accounts.account_plain_text(account, holder_name=holder),
                content_type="text/plain; charset=utf-8",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "reflection/signoff/account.html",
        {
            "signoff": signoff,
            "account": account,
            "themes": accounts.CODE_THEMES,
            "chosen": themes,
        },
    )
