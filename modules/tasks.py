"""Celery tasks of the modules app (thin: fetch by id, call a service)."""

from celery import shared_task
from django.core.management import call_command

from modules.assignments.tasks import assignment_notice_send_email, assignment_reminders  # noqa: F401
from modules.certificates.tasks import certificate_generate_pdf  # noqa: F401
from modules.esr.tasks import esr_export_build_task  # noqa: F401


@shared_task(name="hope.pages.publish_scheduled", acks_late=True, ignore_result=True)
def publish_scheduled_pages() -> None:
    """Publish and unpublish pages whose scheduled times have come (Wagtail's own command,
    which is idempotent)."""
    call_command("publish_scheduled")
