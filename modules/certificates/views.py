"""Certificates: public verification and the holder's download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from modules.certificates import services as certificates
from modules.cpd import selectors as cpd
from modules.models import Certificate


@require_GET
def certificate_verify(request, code: str):
    """Public: only what verifies the certificate, nothing else about the person."""
    certificate = certificates.certificate_for_verification(code)
    if certificate is None:
        return render(request, "modules/certificates/not_found.html", status=404)
    return render(
        request,
        "modules/certificates/verify.html",
        {"certificate": certificate, "duration": cpd.duration_text(certificate.cpd_minutes)},
    )


@login_required
@require_GET
def certificate_download(request, code: str):
    """The holder's PDF. Anyone else's code is simply not there (404)."""
    certificate = get_object_or_404(
        certificates.certificates_visible_to(request.user),
        code=certificates.certificate_code_normalise(code),
    )
    if certificate.status != Certificate.Status.READY or not certificate.pdf:
        return render(
            request,
            "modules/certificates/preparing.html",
            {"certificate": certificate},
            status=202,
        )
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )
