"""Stable Celery task names, and the module-path names that still lead to them.

Celery names a task after the module that defines it unless the task says otherwise, so moving a
task module would rename the task, and rows waiting in the outbox (or messages on the broker)
under the module-path name could not run. Every task of ours sets ``name="hope.<area>.<task>"``;
the name stays when the code moves.

``LEGACY_TASK_NAMES`` maps every module-path name a task can be queued under (before and after
its module moved) to its stable name. The outbox translates a legacy name when it publishes a row,
and the Celery app registers each legacy name as an alias of its task, so a message already on
the broker under an old name still runs. Strings only: the core imports no other app.
"""

from __future__ import annotations

PREFIX = "hope."

LEGACY_TASK_NAMES: dict[str, str] = {
    # learning (the core)
    "learning.tasks.invitation_send_email": "hope.accounts.invitation_email_send",
    "learning.tasks.echo": "hope.ops.echo",
    "learning.tasks.notification_email_send": "hope.notify.email_send",
    "learning.tasks.notification_digests_send": "hope.notify.digests_send",
    "learning.tasks.notification_digest_send": "hope.notify.digest_send",
    "learning.tasks.outbox_relay": "hope.ops.outbox_relay",
    "learning.privacy_tasks.data_export_build_task": "hope.privacy.data_export_build",
    "learning.privacy_tasks.account_erase_task": "hope.privacy.account_erase",
    "learning.privacy_tasks.privacy_retention_apply": "hope.privacy.retention_apply",
    "learning.reports.tasks.report_export_build_task": "hope.reports.export_build",
    # modules
    "modules.tasks.publish_scheduled_pages": "hope.pages.publish_scheduled",
    "modules.assignment_tasks.assignment_notice_send_email": "hope.assignments.notice_send",
    "modules.assignments.tasks.assignment_notice_send_email": "hope.assignments.notice_send",
    "modules.assignment_tasks.assignment_reminders": "hope.assignments.reminders_send",
    "modules.assignments.tasks.assignment_reminders": "hope.assignments.reminders_send",
    "modules.certificate_tasks.certificate_generate_pdf": "hope.certificates.pdf_build",
    "modules.certificates.tasks.certificate_generate_pdf": "hope.certificates.pdf_build",
    # community
    "community.tasks.session_send_invitation": "hope.community.session_invitation_send",
    "community.tasks.session_reminders_send": "hope.community.session_reminders_send",
    # reflection
    "reflection.signoff_tasks.signoff_notify_supervisor": "hope.signoff.supervisor_notify",
    "reflection.signoff.tasks.signoff_notify_supervisor": "hope.signoff.supervisor_notify",
    "reflection.signoff_tasks.signoff_notify_author": "hope.signoff.author_notify",
    "reflection.signoff.tasks.signoff_notify_author": "hope.signoff.author_notify",
    "reflection.supervision.tasks.supervision_reminders_send": "hope.supervision.reminders_send",
    "reflection.supervision.tasks.supervision_confirmation_notify": (
        "hope.supervision.confirmation_notify"
    ),
}


def task_name_resolve(name: str) -> str:
    """The stable name for ``name`` (itself if it is not a legacy name)."""
    return LEGACY_TASK_NAMES.get(name, name)


def legacy_aliases_register(app) -> None:
    """Register every legacy name as another key for its task in ``app``'s registry, so the
    worker runs a message sent under the old name. Called once the app is finalised."""
    for legacy, stable in LEGACY_TASK_NAMES.items():
        task = app.tasks.get(stable)
        if task is not None and legacy not in app.tasks:
            app.tasks[legacy] = task
