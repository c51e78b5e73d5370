"""Holding Hope's project package and core app.

Importing the Celery app here makes ``@shared_task`` use it wherever Django is loaded.
"""

from learning.celery import app as celery_app

__all__ = ("celery_app",)
