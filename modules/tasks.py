"""Celery tasks of the modules app (thin: fetch by id, call a service)."""
