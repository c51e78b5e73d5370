"""Log hygiene across the platform: one sentinel written into every free-text field people fill
in — journal narrative and summary, the note to a supervisor, a supervision summary, an action,
a check-in, an addendum, a community thread and reply, CPD and feedback in the revalidation
portfolio — through the real services, appears zero
times in captured logs, emails, queued task payloads (the outbox), audit rows, notifications,
the pages other people get (404s included) and a shared portfolio's page."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.models import MembershipPolicy
from learning.models import AuditEvent, Notification, OutboxMessage

from .community_factories import facilitated_space, member
from .factories import UserFactory
from .supervision_factories import make_relationship

pytestmark = pytest.mark.django_db

SENTINEL = "PANGOLIN-SENTINEL-31337"


def test_the_sentinel_goes_nowhere_it_should_not(
    people, caplog, django_capture_on_commit_callbacks
):
    from community.threads import services as thread_services
    from reflection.journal import services as journal
    from reflection.signoff import services as signoff_services
    from reflection.supervision import checkins
    from reflection.supervision import sessions as supervision

    practitioner, supervisor = people["practitioner"], people["supervisor"]
    step = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
    with caplog.at_level(logging.DEBUG):
        with step():
            entry = journal.journal_entry_create(
                author=practitioner,
                title="A day in court",
                experienced_on=timezone.localdate() - timedelta(days=2),
                tags="court",
                model="free",
                sections={"reflection": f"What happened. {SENTINEL}"},
                summary=f"What I learned. {SENTINEL}",
            )
        with step():
            request = signoff_services.signoff_request_create(
                author=practitioner, entry=entry, supervisor=supervisor, note=f"Note {SENTINEL}"
            )
        with step():
            signoff_services.signoff_sign(supervisor=supervisor, request=request, comment="Good.")

        rel = make_relationship(supervisee=practitioner, supervisor=supervisor)
        with step():
            session = supervision.session_create(
                author=supervisor,
                relationship=rel,
                data=supervision.SessionInput(
                    held_on=timezone.localdate() - timedelta(days=1),
                    duration_minutes=60,
                    format="one_to_one",
                    functions=frozenset({"restorative"}),
                    summary=f"We talked. {SENTINEL}",
                    actions=(
                        supervision.ActionInput(text=f"Rest. {SENTINEL}", owner="supervisee"),
                    ),
                ),
            )
        with step():
            checkins.checkin_save(
                supervisee=practitioner,
                session=session,
                workload=1,
                emotional_impact=1,
                support=1,
                notes=f"Tired. {SENTINEL}",
                share_with_supervisor=True,
            )
        with step():
            supervision.session_confirm(actor=practitioner, session=session)
        with step():
            supervision.addendum_add(actor=supervisor, session=session, text=f"Also {SENTINEL}")

        space, _facilitator = facilitated_space(membership_policy=MembershipPolicy.REQUEST)
        member(space, practitioner)
        other = member(space).user
        with step():
            thread = thread_services.thread_create(
                author=practitioner,
                space=space,
                title="Preparing a HOPE Box",
                body=f"<p>How do you start? {SENTINEL}</p>",
            )
            thread_services.thread_follow_set(user=practitioner, thread=thread, follow=True)
        with step():
            thread_services.reply_create(
                author=other, thread=thread, body=f"<p>Slowly. {SENTINEL}</p>"
            )

        from reflection.portfolio import feedback as portfolio_feedback
        from reflection.portfolio import services as portfolio

        with step():
            cpd = portfolio.external_cpd_create(
                owner=practitioner,
                done_on=timezone.localdate() - timedelta(days=3),
                title=f"Study day {SENTINEL}",
                kind="course",
                minutes=360,
                participatory=True,
                learnt=f"Screening. {SENTINEL}",
                practice_change=f"I ask. {SENTINEL}",
                themes=["nmc_people"],
            )
        with step():
            feedback_item = portfolio_feedback.feedback_create(
                owner=practitioner,
                received_on=timezone.localdate() - timedelta(days=3),
                source="colleagues",
                summary=f"Clear handover. {SENTINEL}",
                learnt=f"Keep going. {SENTINEL}",
            )

        from reflection.shares import services as shares

        # A share of everything but the CPD, feedback and reflective accounts (which hold the
        # sentinel because the person wrote it there and chose to share it): the journal,
        # supervision summaries, actions, check-ins and addenda never reach its page.
        with step():
            share, token = shares.share_create(
                owner=practitioner,
                include_cpd=False,
                include_feedback=False,
                include_supervision=True,
                accounts=[],
                evidence=[],
                days=14,
            )
        response = Client().get(reverse("shared_portfolio", args=[token]))
        assert response.status_code == 200
        assert SENTINEL not in response.content.decode()

        # What other people get: 404s for things that are not theirs.
        stranger = Client()
        stranger.force_login(UserFactory())
        for url in (
            reverse("journal_detail", args=[entry.pk]),
            reverse("signoff_detail", args=[request.pk]),
            reverse("supervision_detail", args=[session.pk]),
            reverse("community_thread", args=[space.slug, thread.pk]),
            reverse("external_cpd_edit", args=[cpd.pk]),
            reverse("feedback_delete", args=[feedback_item.pk]),
            reverse("share_detail", args=[share.pk]),
        ):
            response = stranger.get(url)
            assert response.status_code == 404, url
            assert SENTINEL not in response.content.decode()

    # Things happened...
    assert mail.outbox and OutboxMessage.objects.exists() and Notification.objects.exists()
    assert AuditEvent.objects.filter(action="supervision.session_recorded").exists()
    # ...and the sentinel is in none of them.
    assert SENTINEL not in caplog.text
    for email in mail.outbox:
        assert SENTINEL not in email.subject and SENTINEL not in email.body, email.subject
    assert SENTINEL not in repr(list(OutboxMessage.objects.values("task_name", "args", "kwargs")))
    assert SENTINEL not in repr(list(AuditEvent.objects.values()))
    assert SENTINEL not in repr(list(Notification.objects.values()))
