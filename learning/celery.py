"""The Celery application. Settings come from Django's (``CELERY_`` prefix); tasks are found in
every installed app's ``tasks.py``. Each task has a stable ``hope.*`` name; the names tasks had
before (their module paths) are registered as aliases once the task modules are imported, so a
message already on the broker under an old name still runs."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.dev")

app = Celery("learning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _register_legacy_names(sender=None, **kwargs) -> None:
    from learning.task_names import legacy_aliases_register

    legacy_aliases_register(sender or app)


# Connected after autodiscovery's own receiver, so it runs once every task module is imported.
signals.import_modules.connect(_register_legacy_names, sender=app, weak=False)
