"""Notices that ask for something are done when it is done (``learning.notify.notify_resolve``,
called by the service that does it), and the header's unread count is cached per person:
a page costs no query for it once counted, and it changes after every notice created, read or
done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import notify
from learning.models import Notification
from reflection.signoff import services as signoff
from reflection.supervision import services as supervision
from reflection.supervision import sessions
from reflection.supervision.sessions import SessionInput

from .factories import UserFactory
from .journal_factories import make_entry
from .supervision_factories import make_action, make_relationship

pytestmark = pytest.mark.django_db


def _open(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind, done_at=None))


def _done(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind, done_at__isnull=False))


def _session_data(**overrides) -> SessionInput:
    fields = {
        "held_on": timezone.localdate() - timedelta(days=1),
        "duration_minutes": 60,
        "format": "one_to_one",
        "functions": frozenset({"restorative"}),
        "summary": "We talked about the week.",
    }
    fields.update(overrides)
    return SessionInput(**fields)


def test_resolving_marks_every_open_notice_about_it_done_and_read():
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        notify.notify(
            recipient=user, kind="x.asks", message=lambda: "Do it.", url="/", action_on="x.1"
        )
    notify.notify(
        recipient=first, kind="x.asks", message=lambda: "Other.", url="/", action_on="x.2"
    )
    assert notify.notify_resolve(action_on="x.1", recipient=first) == 1
    assert notify.notify_resolve(action_on="x.1") == 1
    assert notify.notify_resolve(action_on="x.1") == 0
    done = Notification.objects.filter(action_on="x.1")
    assert all(n.done_at and n.read_at for n in done)
    assert Notification.objects.get(action_on="x.2").done_at is None
    assert notify.notify_resolve(action_on="") == 0


def test_confirming_a_record_clears_waiting_for_you_to_confirm_it():
    rel = make_relationship()
    session = sessions.session_create(author=rel.supervisor, relationship=rel, data=_session_data())
    [waiting] = _open(rel.supervisee, "supervision.awaiting_confirmation")
    assert "waiting for you to confirm it" in waiting.message
    sessions.session_confirm(actor=rel.supervisee, session=session)
    assert _open(rel.supervisee, "supervision.awaiting_confirmation") == []
    assert _done(rel.supervisee, "supervision.awaiting_confirmation")


def test_a_change_request_clears_the_confirmation_and_the_change_clears_the_request():
    rel = make_relationship()
    session = sessions.session_create(author=rel.supervisor, relationship=rel, data=_session_data())
    sessions.session_request_change(
        actor=rel.supervisee, session=session, comment="Add the date of the next session."
    )
    assert _open(rel.supervisee, "supervision.awaiting_confirmation") == []
    assert len(_open(rel.supervisor, "supervision.change_requested")) == 1
    sessions.session_update(actor=rel.supervisor, session=session, data=_session_data())
    assert _open(rel.supervisor, "supervision.change_requested") == []
    # The changed record waits again, as a new notice.
    assert len(_open(rel.supervisee, "supervision.awaiting_confirmation")) == 1


def test_answering_a_proposal_clears_it():
    proposer, other = UserFactory(), UserFactory()
    rel = supervision.relationship_propose(
        actor=proposer,
        other_email=other.email,
        actor_is_supervisor=True,
        kind="clinical",
        frequency_min_weeks=4,
        frequency_max_weeks=6,
        started_on=timezone.localdate(),
        confidentiality="Confidential within limits.",
        recording="Dates only.",
        escalation="Line manager.",
    )
    assert len(_open(other, "supervision.proposed")) == 1
    supervision.relationship_accept(actor=other, relationship=rel)
    assert _open(other, "supervision.proposed") == []


def test_reminders_clear_when_their_thing_is_done():
    from reflection.supervision.reminders import supervision_reminders_send

    rel = make_relationship(started_on=timezone.localdate() - timedelta(weeks=10))
    action = None
    session = sessions.session_create(
        author=rel.supervisor,
        relationship=rel,
        data=_session_data(held_on=timezone.localdate() - timedelta(weeks=8)),
    )
    sessions.session_confirm(actor=rel.supervisee, session=session)
    action = make_action(session, due_on=timezone.localdate() - timedelta(days=1))
    supervision_reminders_send()
    assert _open(rel.supervisee, "supervision.session_due")
    assert _open(action.owner, "supervision.action_due")
    sessions.action_complete(actor=action.owner, action=action)
    assert _open(action.owner, "supervision.action_due") == []
    sessions.session_create(author=rel.supervisor, relationship=rel, data=_session_data())
    assert _open(rel.supervisee, "supervision.session_due") == []
    assert _open(rel.supervisor, "supervision.session_due") == []


def test_deciding_a_summary_clears_waiting_and_sharing_again_clears_returned(people):
    practitioner, supervisor = people["practitioner"], people["supervisor"]
    entry = make_entry(practitioner)
    request = signoff.signoff_request_create(
        author=practitioner, entry=entry, supervisor=supervisor
    )
    signoff.signoff_supervisor_email_send(request_id=request.pk)
    assert len(_open(supervisor, "signoff.waiting")) == 1
    signoff.signoff_return(supervisor=supervisor, request=request, comment="Say what next.")
    assert _open(supervisor, "signoff.waiting") == []
    signoff.signoff_author_email_send(request_id=request.pk)
    assert len(_open(practitioner, "signoff.decided")) == 1
    again = signoff.signoff_request_create(author=practitioner, entry=entry, supervisor=supervisor)
    assert _open(practitioner, "signoff.decided") == []
    # A version replaced before it was decided no longer waits for the supervisor either.
    signoff.signoff_supervisor_email_send(request_id=again.pk)
    signoff.signoff_request_create(author=practitioner, entry=entry, supervisor=supervisor)
    assert _open(supervisor, "signoff.waiting") == []


def test_a_join_request_clears_for_every_facilitator_once_answered():
    from community.models import MembershipPolicy
    from community.spaces import services as spaces

    from .community_factories import SpaceFactory, member

    one, two, asker = UserFactory(), UserFactory(), UserFactory()
    space = SpaceFactory(facilitators=[one, two], membership_policy=MembershipPolicy.REQUEST)
    member(space, one)
    request = spaces.space_join(user=asker, space=space)
    assert _open(one, "community.join_request") and _open(two, "community.join_request")
    spaces.member_approve(actor=one, member=request)
    assert _open(one, "community.join_request") == _open(two, "community.join_request") == []
    invited = UserFactory()
    spaces.member_invite(actor=one, space=space, email=invited.email)
    assert _open(invited, "community.invited")
    spaces.space_join(user=invited, space=space)
    assert _open(invited, "community.invited") == []


def test_completing_an_assigned_module_clears_the_assignment_notice(people, organisation):
    from modules.assignments.services import assignment_create

    from .module_factories import complete_module, make_module

    module = make_module(lessons=1)
    practitioner = people["practitioner"]
    assignment_create(
        actor=people["org_admin"],
        organisation=organisation,
        module=module,
        due_on=timezone.localdate() + timedelta(days=30),
        users=[practitioner],
    )
    assert _open(practitioner, "assignment.assigned")
    complete_module(practitioner, module)
    assert _open(practitioner, "assignment.assigned") == []


# --- the header's unread count ------------------------------------------------------------------


def _queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        body = client.get(path).content.decode()
    return len(captured.captured_queries), body


def _header(body: str) -> str:
    return body.split('class="nhsuk-header__account-link hope-header-notifications"')[1].split(
        "</a>"
    )[0]


def test_the_header_count_is_cached_and_changes_after_every_event(client):
    user = UserFactory()
    client.force_login(user)
    page = reverse("privacy")
    client.get(page)  # the session and the count are read once
    warm, body = _queries(client, page)
    assert "hope-count" not in _header(body)
    other = UserFactory()
    notify.notify(recipient=other, kind="x", message=lambda: "Not yours.", url="/")
    assert _queries(client, page)[0] == warm  # someone else's notice: still cached

    first = notify.notify(
        recipient=user, kind="x", message=lambda: "One.", url="/", action_on="x.1"
    )
    notify.notify(recipient=user, kind="x", message=lambda: "Two.", url="/")
    cold, body = _queries(client, page)
    assert cold == warm + 1  # counted again after a notice was created ...
    assert ">2<" in _header(body) and "2 new" in _header(body)
    again, body = _queries(client, page)
    assert again == warm  # ... and then cached: no query for it
    assert ">2<" in _header(body)

    notify.notify_resolve(action_on="x.1")  # done
    cold, body = _queries(client, page)
    assert cold == warm + 1 and ">1<" in _header(body)

    client.post(reverse("notification_read_all"))  # read
    body = client.get(page).content.decode()
    assert "hope-count" not in _header(body)
    assert Notification.objects.get(pk=first.pk).done_at is not None


def test_opening_a_notice_changes_the_count(client):
    user = UserFactory()
    notice = notify.notify(recipient=user, kind="x", message=lambda: "One.", url="/privacy/")
    client.force_login(user)
    assert ">1<" in _header(client.get(reverse("privacy")).content.decode())
    client.post(reverse("notification_open", args=[notice.pk]))
    assert "hope-count" not in _header(client.get(reverse("privacy")).content.decode())


def test_a_done_notice_says_done_not_new(client):
    user = UserFactory()
    notify.notify(recipient=user, kind="x", message=lambda: "Confirm it.", url="/", action_on="x.9")
    notify.notify_resolve(action_on="x.9")
    client.force_login(user)
    body = client.get(reverse("notification_list")).content.decode()
    item = body.split("Confirm it.")[0].rsplit("<li", 1)[1]
    assert "Done" in item and "New" not in item


def test_your_own_reply_is_not_new(client):
    from community.threads import services as threads

    from .community_factories import facilitated_space, member, thread

    space, _facilitator = facilitated_space()
    writer = UserFactory()
    member(space, writer)
    topic = thread(space)
    client.force_login(writer)
    url = reverse("community_thread", kwargs={"space": space.slug, "thread_id": topic.pk})
    client.get(url)  # read the thread once
    threads.reply_create(author=writer, thread=topic, body="My own reply.")
    body = client.get(url).content.decode()
    mine = body.split("My own reply.")[0].rsplit('class="nhsuk-body-s hope-meta', 1)[1]
    assert "New" not in mine
