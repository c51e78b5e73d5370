"""The revalidation pack download (``reflection.portfolio.pack``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from learning.middleware import client_ip
from reflection.portfolio import pack


@login_required
@require_GET
def revalidation_pack(request):
    body = pack.revalidation_pack_pdf(request.user)
    pack.revalidation_pack_record(user=request.user, ip_address=client_ip(request))
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"revalidation-pack-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
