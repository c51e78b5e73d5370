"""Certificate tasks (thin: fetch by id, call a service). Safe to run twice."""

from __future__ import annotations

from celery import shared_task

from modules.certificates import services as certificates


@shared_task(name="hope.certificates.pdf_build", acks_late=True, ignore_result=True)
def certificate_generate_pdf(certificate_id: int) -> None:
    """Build the certificate's PDF and tell its holder it is ready (once)."""
    certificates.certificate_pdf_build(certificate_id=certificate_id)


__all__ = ["certificate_generate_pdf"]
