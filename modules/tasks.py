"""Celery tasks of the modules app (thin: fetch by id, call a service)."""

from .assignment_tasks import assignment_notice_send_email, assignment_reminders  # noqa: F401
from .certificate_tasks import certificate_generate_pdf  # noqa: F401
