"""Celery finds the app's tasks here (``autodiscover_tasks``)."""

from reflection.signoff.tasks import signoff_notify_author, signoff_notify_supervisor

__all__ = ["signoff_notify_author", "signoff_notify_supervisor"]
