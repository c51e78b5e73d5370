"""The one way to notify a person (learning.notify): on the site in the caller's transaction,
email only through the outbox and by the person's preference; stable task names; the relay's
handling of task names it does not know."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from learning import notify
from learning.celery import app
from learning.models import Notification, OutboxMessage
from learning.outbox import outbox_relay_once, outbox_unknown
from learning.queue import UNKNOWN, publish
from learning.task_names import LEGACY_TASK_NAMES, PREFIX

from .factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _committed():
    """Run what would run once the caller's transaction commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def _age_outbox() -> None:
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=1))


# --- preferences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preference", "emails_now"), [("immediately", 1), ("daily", 0), ("off", 0)]
)
def test_the_email_follows_the_persons_preference(preference, emails_now):
    user = UserFactory(email_notifications=preference)
    with _committed():
        notice = notify.notify(recipient=user, kind="test", message=lambda: "Something.", url="/")
    assert notice is not None and Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == emails_now
    queued = OutboxMessage.objects.filter(task_name="hope.notify.email_send").count()
    assert queued == emails_now  # nothing is queued for a summary or for never


def test_always_email_is_the_one_flag_that_overrides_never():
    user = UserFactory(email_notifications="off")
    with _committed():
        notify.notify(
            recipient=user, kind="test.security", message=lambda: "Sign-in.", url="/", key="a"
        )
        notify.notify(recipient=user, kind="test", message=lambda: "Ordinary.", url="/", key="b")
        notify.notify(
            recipient=user,
            kind="test.security",
            message=lambda: "Again.",
            url="/",
            always_email=True,
        )
    assert [m.subject for m in mail.outbox] == ["Holding Hope: Again."]


def test_the_email_task_checks_the_preference_again_when_it_runs():
    user = UserFactory(email_notifications="immediately")
    notice = notify.notify(recipient=user, kind="test", message=lambda: "Later.", url="/")
    user.email_notifications = "off"
    user.save(update_fields=["email_notifications"])
    assert notify.notification_email_send(notification_id=notice.pk) is False
    assert mail.outbox == []


def test_the_email_task_run_twice_sends_one_email():
    from learning import tasks

    user = UserFactory()
    notice = notify.notify(recipient=user, kind="test", message=lambda: "Once.", url="/")
    tasks.notification_email_send(notice.pk)
    tasks.notification_email_send(notice.pk)
    assert len(mail.outbox) == 1


def test_an_attachment_is_built_when_the_email_goes_and_must_be_registered():
    notify.attachment_register(
        "tests.calendar",
        lambda pk: notify.Attachment(f"{pk}.ics", "BEGIN:VCALENDAR", "text/calendar"),
    )
    user = UserFactory()
    with _committed():
        notify.notify(
            recipient=user,
            kind="test",
            message=lambda: "Place.",
            url="/",
            attachment=("tests.calendar", 7),
        )
    assert mail.outbox[0].attachments == [("7.ics", "BEGIN:VCALENDAR", "text/calendar")]
    message = OutboxMessage.objects.get(task_name="hope.notify.email_send")
    assert message.kwargs == {"attachment": ["tests.calendar", 7]}  # ids only, never content
    with pytest.raises(ValueError):
        notify.notify(
            recipient=user, kind="t", message=lambda: "M.", url="/", attachment=("nope", 1)
        )


# --- assignments and certificates in the inbox --------------------------------------------------


@pytest.fixture
def assigned(people, organisation, home_page):
    from .test_assignments import make_assignable_module

    def run(preference: str):
        from modules.assignments.services import assignment_create

        member = MembershipFactory(
            organisation=organisation, user__email_notifications=preference
        ).user
        module = make_assignable_module(f"Module for {preference}")
        with _committed():
            assignment_create(
                actor=people["org_admin"],
                organisation=organisation,
                module=module,
                due_on=timezone.localdate() + timedelta(days=3),
                users=[member],
            )
        return member

    return run


@pytest.mark.parametrize(("preference", "emails"), [("immediately", 1), ("daily", 0), ("off", 0)])
def test_an_assignment_is_in_the_inbox_and_emailed_by_preference(assigned, preference, emails):
    member = assigned(preference)
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == "assignment.assigned" and notice.url.startswith("/modules/")
    assert len(mail.outbox) == emails


def test_a_daily_person_gets_assignment_notices_in_the_summary_only(assigned):
    from learning import tasks

    member = assigned("daily")
    assert mail.outbox == []
    with _committed():
        tasks.notification_digests_send()
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Holding Hope: your daily summary"
    assert "You have been asked to complete" in mail.outbox[0].body
    assert mail.outbox[0].to == [member.email]


@pytest.mark.parametrize(("preference", "emails"), [("immediately", 1), ("daily", 0), ("off", 0)])
def test_a_ready_certificate_is_in_the_inbox_and_emailed_by_preference(
    people, home_page, preference, emails
):
    from modules.certificates import services as certificates

    from .test_certificates_cpd import make_module

    user = UserFactory(email_notifications=preference)
    certificate = certificates.certificate_issue(
        user=user, module=make_module(), completed_on=timezone.localdate()
    )
    with _committed():
        certificates.certificate_pdf_build(certificate_id=certificate.pk)
    notice = Notification.objects.get(recipient=user)
    assert notice.kind == "certificate.ready" and notice.url == reverse(
        "module_complete", args=[certificate.module_id]
    )
    assert len(mail.outbox) == emails


# --- surviving a process that stops right after commit -----------------------------------------


def test_a_supervision_proposal_survives_when_after_commit_callbacks_never_run():
    """The notice and the outbox row for its email are written in the proposal's transaction:
    if the process dies between commit and callbacks, the relay still sends it, once."""
    from reflection.supervision.services import relationship_propose

    supervisor, supervisee = UserFactory(), UserFactory()
    MembershipFactory(user=supervisor, role="supervisor")
    MembershipFactory(user=supervisee, role="practitioner")
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        relationship_propose(
            actor=supervisor,
            other_email=supervisee.email,
            actor_is_supervisor=True,
            kind="clinical",
            frequency_min_weeks=4,
            frequency_max_weeks=6,
            started_on=timezone.localdate(),
            confidentiality="What we discuss stays between us.",
            recording="We both confirm the record.",
            escalation="Safeguarding concerns go to the named lead.",
        )
    assert callbacks  # ... which are dropped here, as if the process had died
    notice = Notification.objects.get(recipient=supervisee, kind="supervision.proposed")
    row = OutboxMessage.objects.get(task_name="hope.notify.email_send")
    assert row.args == [notice.pk] and row.sent_at is None
    assert mail.outbox == []

    _age_outbox()
    assert outbox_relay_once() == 1
    assert outbox_relay_once() == 0
    assert publish(row.pk) == "skipped"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [supervisee.email]


# --- task names ---------------------------------------------------------------------------------


def _our_tasks() -> dict:
    app.loader.import_default_modules()
    return {
        key: task
        for key, task in app.tasks.items()
        if key == task.name
        and not key.startswith("celery.")
        # Probe tasks that tests define for themselves are not the platform's.
        and not task.run.__module__.startswith("tests.")
    }


def test_every_task_of_ours_has_an_explicit_stable_name():
    ours = _our_tasks()
    assert len(ours) >= 19
    for name, task in ours.items():
        derived = f"{task.run.__module__}.{task.run.__name__}"
        assert name.startswith(PREFIX), name
        assert name != derived, f"{derived} takes its name from its module"


def test_every_beat_entry_names_a_registered_task(settings):
    ours = _our_tasks()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in ours, entry["task"]


def test_every_legacy_name_maps_to_a_task_and_is_registered_as_its_alias():
    ours = _our_tasks()
    for legacy, stable in LEGACY_TASK_NAMES.items():
        assert stable in ours, stable
        assert app.tasks[legacy] is ours[stable]


def test_a_row_queued_under_an_old_module_path_name_still_runs():
    from learning.models import Invitation

    from .factories import InvitationFactory

    invitation = InvitationFactory()
    row = OutboxMessage.objects.create(
        task_name="learning.tasks.invitation_send_email", args=[invitation.pk]
    )
    assert publish(row.pk) == "sent"
    assert len(mail.outbox) == 1
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at is not None


# --- unknown task names ---------------------------------------------------------------------------


def test_an_unknown_task_is_logged_kept_counted_and_reported(client, caplog):
    row = OutboxMessage.objects.create(
        task_name="modules.gone.tasks.vanished", created_at=timezone.now() - timedelta(minutes=1)
    )
    with caplog.at_level(logging.ERROR):
        assert outbox_relay_once() == 0
    assert any(r.levelno == logging.ERROR and "unknown task" in r.message for r in caplog.records)
    row.refresh_from_db()
    assert row.sent_at is None and row.last_error == UNKNOWN and row.attempts == 1
    assert outbox_unknown() == {"modules.gone.tasks.vanished": 1}

    body = client.get(reverse("healthz")).json()
    assert body["status"] == "alert" and body["alerts"] == ["outbox"]
    assert body["checks"]["outbox"]["unknown"] == 1

    # The command says so on its error stream (logging may be set up differently by then).
    errors = io.StringIO()
    call_command("outbox_relay", "--once", stderr=errors, stdout=io.StringIO())
    assert "modules.gone.tasks.vanished (1)" in errors.getvalue()
    assert OutboxMessage.objects.filter(pk=row.pk).exists()  # kept, not skipped or deleted


def test_a_set_aside_row_runs_once_its_name_is_known_again():
    from .factories import InvitationFactory

    invitation = InvitationFactory()
    row = OutboxMessage.objects.create(
        task_name="modules.assignment_tasks.assignment_notice_send_email",
        args=[0],
        last_error=UNKNOWN,
        created_at=timezone.now() - timedelta(minutes=1),
    )
    other = OutboxMessage.objects.create(
        task_name="learning.tasks.invitation_send_email",
        args=[invitation.pk],
        last_error=UNKNOWN,
        created_at=timezone.now() - timedelta(minutes=1),
    )
    assert outbox_relay_once() == 2
    assert not OutboxMessage.objects.filter(pk__in=[row.pk, other.pk], sent_at=None).exists()
    assert len(mail.outbox) == 1
