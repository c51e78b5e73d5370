"""Module assignments: an organisation admin assigns modules to members with a due date; members
are emailed, reminded once before it is due and told once when it is overdue."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_context

from learning.models import AuditEvent, Role
from modules.assignments.services import (
    assignment_cancel,
    assignment_create,
    assignment_reminders_send,
    assignments_for,
    dashboard_panel,
)
from modules.assignments.tasks import assignment_notice_send_email, assignment_reminders
from modules.models import Assignment, Enrolment, ModuleIndexPage, ModulePage

from .factories import MembershipFactory, OrganisationFactory, UserFactory, make_home_page

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
DAY0 = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)


def make_assignable_module(title: str = "Trauma-informed care in practice") -> ModulePage:
    """A live module under the catalogue (``/modules/<slug>/``), built for these tests."""
    catalogue = ModuleIndexPage.objects.first()
    if catalogue is None:
        catalogue = ModuleIndexPage(title="Modules", slug="modules")
        make_home_page().add_child(instance=catalogue)
        catalogue.save_revision().publish()
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    module = ModulePage(title=title, slug=slug, summary=f"About {title}.")
    catalogue.add_child(instance=module)
    module.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk)


@pytest.fixture
def module(home_page):
    return make_assignable_module()


@pytest.fixture
def members(organisation):
    return [MembershipFactory(organisation=organisation).user for _ in range(3)]


def _assign(people, organisation, module, *, users=None, role=None, due_on=None):
    return assignment_create(
        actor=people["org_admin"],
        organisation=organisation,
        module=module,
        due_on=due_on or timezone.localdate() + timedelta(days=14),
        users=users,
        role=role,
    )


# --- services -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["practitioner", "supervisor", "facilitator", "editor", "coordinator", "superuser"]
)
def test_only_an_org_admin_of_that_organisation_may_assign(people, organisation, module, role):
    with pytest.raises(PermissionDenied):
        assignment_create(
            actor=people[role],
            organisation=organisation,
            module=module,
            due_on=timezone.localdate(),
            users=[people["practitioner"]],
        )
    assert not Assignment.objects.exists()


def test_an_org_admin_of_another_organisation_may_not_assign(
    people, organisation, other_organisation, module
):
    other_admin = MembershipFactory(organisation=other_organisation, role=Role.ORG_ADMIN).user
    with pytest.raises(PermissionDenied):
        assignment_create(
            actor=other_admin,
            organisation=organisation,
            module=module,
            due_on=timezone.localdate(),
            users=[people["practitioner"]],
        )


def test_assigning_to_members_creates_one_each_audits_and_emails_each(
    people, organisation, module, members, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        made = _assign(people, organisation, module, users=members, due_on=due)
    assert len(made) == 3
    assert {a.user_id for a in made} == {m.pk for m in members}
    assert all(a.due_on == due and a.assigned_by == people["org_admin"] for a in made)

    event = AuditEvent.objects.get(action="assignment.created")
    assert event.actor == people["org_admin"]
    assert event.organisation == organisation
    assert event.data["module_id"] == module.pk
    assert event.data["count"] == 3
    assert event.data["due_on"] == due.isoformat()
    flat = str(event.data)
    for m in members:
        assert m.email not in flat and m.display_name not in flat

    assert sorted(e.to[0] for e in mail.outbox) == sorted(m.email for m in members)
    body = mail.outbox[0].body
    assert module.title in body
    assert due.strftime("%-d %B %Y") in body
    assert f"http://testserver/modules/{module.slug}/" in body
    # Nothing else: not the organisation, not who assigned it, not the other assignees.
    assert organisation.name not in body
    assert people["org_admin"].display_name not in body
    assert sum(m.email in body or m.display_name in body for m in members) == 0


def test_the_assigned_email_goes_once_even_if_an_old_queued_task_runs_twice(
    people, organisation, module, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = _assign(people, organisation, module, users=members[:1])
    assert len(mail.outbox) == 1
    # A notice task queued before assigning told the member itself finds the notice claimed.
    with django_capture_on_commit_callbacks(execute=True):
        assignment_notice_send_email(made[0].pk)
        assignment_notice_send_email(made[0].pk)
    assert len(mail.outbox) == 1


def test_assigning_to_a_role_reaches_everyone_active_with_that_role(
    people, organisation, other_organisation, module, members
):
    MembershipFactory(organisation=other_organisation, role=Role.PRACTITIONER)
    left = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER)
    left.ended_on = timezone.localdate()
    left.save()
    made = _assign(people, organisation, module, role=Role.PRACTITIONER)
    # The three members and the practitioner; not the deactivated, the leaver or the other org.
    expected = {m.pk for m in members} | {people["practitioner"].pk}
    assert {a.user_id for a in made} == expected
    assert Assignment.objects.count() == 4


def test_role_with_nobody_is_a_clear_error(people, organisation, module):
    org = OrganisationFactory()
    admin = MembershipFactory(organisation=org, role=Role.ORG_ADMIN).user
    with pytest.raises(ValidationError) as exc:
        assignment_create(
            actor=admin, organisation=org, module=module, due_on=timezone.localdate(), role="x"
        )
    assert "Choose a role from the list." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        assignment_create(
            actor=admin,
            organisation=org,
            module=module,
            due_on=timezone.localdate(),
            role=Role.FACILITATOR,
        )
    assert "No one in" in str(exc.value)


def test_a_due_date_in_the_past_is_refused(people, organisation, module):
    with pytest.raises(ValidationError) as exc:
        _assign(
            people,
            organisation,
            module,
            users=[people["practitioner"]],
            due_on=timezone.localdate() - timedelta(days=1),
        )
    assert exc.value.message_dict["due_on"] == [
        "The due date must be today or in the future. Enter a later date."
    ]
    assert not Assignment.objects.exists()
    assert not AuditEvent.objects.filter(action="assignment.created").exists()


def test_only_current_members_can_be_assigned(people, organisation, other_organisation, module):
    outsider = MembershipFactory(organisation=other_organisation).user
    for target in (outsider, people["deactivated"], UserFactory()):
        with pytest.raises(ValidationError) as exc:
            _assign(people, organisation, module, users=[people["practitioner"], target])
        assert "current members of Home MMHS" in str(exc.value)
    assert not Assignment.objects.exists()


def test_choosing_neither_or_both_targets_is_refused(people, organisation, module):
    for kwargs in ({}, {"users": [people["practitioner"]], "role": Role.PRACTITIONER}):
        with pytest.raises(ValidationError):
            _assign(people, organisation, module, **kwargs)


def test_reassigning_updates_the_due_date_instead_of_duplicating(
    people, organisation, module, members, django_capture_on_commit_callbacks
):
    first = _assign(people, organisation, module, users=members[:2])
    Assignment.objects.filter(pk=first[0].pk).update(reminder_sent_at=timezone.now())
    later = timezone.localdate() + timedelta(days=40)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = _assign(people, organisation, module, role=Role.PRACTITIONER, due_on=later)
    assert Assignment.objects.count() == 4  # two moved, two new (members[2], practitioner)
    assert {a.pk for a in first} <= {a.pk for a in again}
    assert set(Assignment.objects.values_list("due_on", flat=True)) == {later}
    # A new due date is a new due event: the earlier reminder no longer counts.
    assert Assignment.objects.get(pk=first[0].pk).reminder_sent_at is None
    assert len(mail.outbox) == 4
    event = AuditEvent.objects.filter(action="assignment.created").first()
    assert (event.data["created"], event.data["updated"]) == (2, 2)

    # The same due date again changes nothing and sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _assign(people, organisation, module, role=Role.PRACTITIONER, due_on=later)
    assert Assignment.objects.count() == 4
    assert mail.outbox == []


def test_cancel_is_for_the_org_admin_and_stops_reminders(people, organisation, module, members):
    (assignment,) = _assign(people, organisation, module, users=members[:1])
    with pytest.raises(PermissionDenied):
        assignment_cancel(actor=people["practitioner"], assignment=assignment)
    assignment_cancel(actor=people["org_admin"], assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.cancelled_at is not None
    event = AuditEvent.objects.get(action="assignment.cancelled")
    assert event.data == {"module_id": module.pk, "user_id": members[0].pk}
    # Cancelling twice writes nothing more; assigning again makes a new open assignment.
    assignment_cancel(actor=people["org_admin"], assignment=assignment)
    assert AuditEvent.objects.filter(action="assignment.cancelled").count() == 1
    (fresh,) = _assign(people, organisation, module, users=members[:1])
    assert fresh.pk != assignment.pk


# --- selectors ------------------------------------------------------------------------------


def test_assignments_for_is_one_query_with_an_overdue_flag(
    people, organisation, module, django_assert_num_queries
):
    user = people["practitioner"]
    other = make_assignable_module("Family justice processes")
    done = make_assignable_module("HOPE Boxes")
    today = timezone.localdate()
    for m, due in ((module, today - timedelta(days=1)), (other, today + timedelta(days=3))):
        Assignment.objects.create(organisation=organisation, user=user, module=m, due_on=due)
    Assignment.objects.create(organisation=organisation, user=user, module=done, due_on=today)
    Enrolment.objects.create(user=user, module=done, completed_at=timezone.now())
    with django_assert_num_queries(1):
        rows = [(a.module.title, a.is_overdue) for a in assignments_for(user)]
    assert rows == [(module.title, True), (other.title, False)]
    assert len(assignments_for(user, include_completed=True)) == 3
    assert list(assignments_for(people["supervisor"])) == []


def test_assignments_shown_read_each_module_from_the_kept_live_modules(
    people, organisation, module, django_assert_num_queries
):
    """My learning and My home list open assignments with each module's title and link from
    the process's kept live modules: one query once they are kept, no page body read, and a
    renamed module is shown by its new name at once."""
    from modules.assignments.selectors import assignments_shown

    user = people["practitioner"]
    other = make_assignable_module("Family justice processes")
    today = timezone.localdate()
    for m, due in ((module, today - timedelta(days=1)), (other, today + timedelta(days=3))):
        Assignment.objects.create(organisation=organisation, user=user, module=m, due_on=due)
    assignments_shown(user)  # the live modules are read once per process and generation
    with django_assert_num_queries(1):
        shown = assignments_shown(user)
        rows = [(a.module.title, a.module.slug, a.is_overdue) for a in shown]
    assert rows == [(module.title, module.slug, True), (other.title, other.slug, False)]
    assert "final_check" not in shown[0].module.__dict__
    assert [a.module.title for a in assignments_shown(user, limit=1)] == [module.title]
    page = ModulePage.objects.get(pk=other.pk)
    page.title = "Family justice, renamed"
    page.save_revision().publish()
    assert [a.module.title for a in assignments_shown(user)] == [
        module.title,
        "Family justice, renamed",
    ]
    assert assignments_shown(people["supervisor"]) == []


def test_assignments_shown_follow_the_day_without_rebuilding_the_query(
    people, organisation, module
):
    """The list is a query built once per process (learning/prepared.py); today's date is one
    of its values, so "overdue" and a membership that ends move with the day."""
    from modules.assignments.selectors import assignments_shown

    user = people["practitioner"]
    start = timezone.localtime().replace(hour=12)
    Assignment.objects.create(
        organisation=organisation, user=user, module=module, due_on=start.date()
    )
    with time_machine.travel(start, tick=False):
        assert [a.is_overdue for a in assignments_shown(user)] == [False]
    with time_machine.travel(start + timedelta(days=1), tick=False):
        assert [a.is_overdue for a in assignments_shown(user)] == [True]
        membership = user.memberships.get(organisation=organisation)
        membership.ended_on = start.date() + timedelta(days=1)
        membership.save()
        assert assignments_shown(user) == []  # left the organisation today
    with time_machine.travel(start, tick=False):
        assert [a.is_overdue for a in assignments_shown(user)] == [False]


# --- reminders ------------------------------------------------------------------------------


@pytest.fixture
def due_in_ten_days(people, organisation, module, members):
    with time_machine.travel(DAY0, tick=False):
        (assignment,) = _assign(
            people, organisation, module, users=members[:1], due_on=DAY0.date() + timedelta(10)
        )
    mail.outbox.clear()
    return assignment


def _run(day: date) -> dict:
    """Run the day's reminders as the beat task would: committed, so their emails go."""
    moment = datetime.combine(day, DAY0.timetz())
    with (
        time_machine.travel(moment, tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return assignment_reminders_send(today=day)


def test_reminder_once_before_due_and_overdue_notice_once_after(due_in_ten_days, module):
    start = DAY0.date()
    assert _run(start) == {"reminders": 0, "overdue": 0, "failed": 0}  # not yet within 7 days
    assert _run(start + timedelta(3)) == {"reminders": 1, "overdue": 0, "failed": 0}
    assert _run(start + timedelta(4)) == {"reminders": 0, "overdue": 0, "failed": 0}
    assert _run(start + timedelta(10)) == {"reminders": 0, "overdue": 0, "failed": 0}  # due today
    assert _run(start + timedelta(11)) == {"reminders": 0, "overdue": 1, "failed": 0}
    assert _run(start + timedelta(12)) == {"reminders": 0, "overdue": 0, "failed": 0}
    assert [m.subject for m in mail.outbox] == [
        f"Holding Hope: Reminder: {module.title} is due on 11 March 2027.",
        f"Holding Hope: {module.title} was due on 11 March 2027 and is not finished yet.",
    ]
    for message in mail.outbox:
        assert module.title in message.body
        assert "11 March 2027" in message.body
        assert f"/modules/{module.slug}/" in message.body
    assert mail.outbox[0].to == [due_in_ten_days.user.email]


def test_no_reminders_after_completion(due_in_ten_days):
    Enrolment.objects.create(
        user=due_in_ten_days.user, module=due_in_ten_days.module, completed_at=timezone.now()
    )
    start = DAY0.date()
    assert _run(start + timedelta(5))["reminders"] == 0
    assert _run(start + timedelta(11))["overdue"] == 0
    assert mail.outbox == []


def test_no_reminders_for_a_cancelled_assignment(due_in_ten_days, people):
    assignment_cancel(actor=people["org_admin"], assignment=due_in_ten_days)
    start = DAY0.date()
    assert _run(start + timedelta(5))["reminders"] == 0
    assert _run(start + timedelta(11))["overdue"] == 0
    assert mail.outbox == []


def test_a_failed_send_waits_in_the_outbox_and_the_relay_sends_it_once(due_in_ten_days):
    from learning.models import OutboxMessage
    from learning.outbox import outbox_relay_once

    OutboxMessage.objects.update(sent_at=timezone.now())  # the assigned notice went earlier
    day = DAY0.date() + timedelta(5)
    with mock.patch("learning.notify._mail", side_effect=OSError("mail server down")):
        assert _run(day) == {"reminders": 1, "overdue": 0, "failed": 0}
    # The reminder is claimed and on the site; its email waits for the relay.
    due_in_ten_days.refresh_from_db()
    assert due_in_ten_days.reminder_sent_at is not None
    assert _run(day) == {"reminders": 0, "overdue": 0, "failed": 0}
    assert mail.outbox == []
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox_relay_once() == 1
    assert outbox_relay_once() == 0
    assert len(mail.outbox) == 1


def test_the_beat_task_runs_the_reminders(due_in_ten_days):
    day = DAY0.date() + timedelta(11)
    with time_machine.travel(datetime.combine(day, DAY0.timetz()), tick=False):
        assert assignment_reminders.delay().get() == {"reminders": 0, "overdue": 1, "failed": 0}
        assert assignment_reminders(day.isoformat()) == {"reminders": 0, "overdue": 0, "failed": 0}


def test_the_reminders_are_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["assignment-reminders"]
    assert entry["task"] == "hope.assignments.reminders_send"
    assert entry["schedule"].hour == {7}
    assert settings.HOPE_ASSIGNMENT_REMINDER_DAYS == 7


# --- the page -------------------------------------------------------------------------------


def _url(org) -> str:
    return reverse("organisation_assignments", kwargs={"slug": org.slug})


def _post_data(module, users, *, day="", month="", year="", target="members") -> dict:
    return {
        "module": module.pk,
        "due_on_day": day,
        "due_on_month": month,
        "due_on_year": year,
        "target": target,
        "users": [u.pk for u in users],
    }


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_lists_assignments_at_a_pinned_cost(
    client, people, organisation, module, count, django_assert_num_queries
):
    users = [MembershipFactory(organisation=organisation).user for _ in range(count)]
    Enrolment.objects.create(user=users[0], module=module, completed_at=timezone.now())
    Enrolment.objects.create(user=users[1], module=module)
    today = timezone.localdate()
    for i, user in enumerate(users):
        Assignment.objects.create(
            organisation=organisation,
            user=user,
            module=module,
            due_on=today - timedelta(days=1) if i == 2 else today + timedelta(days=i),
        )
    client.force_login(people["org_admin"])
    client.get(_url(organisation))  # warm the session cache
    # organisation (scoped), assignments page, modules, members (roles come from the
    # cache once warm)
    with django_assert_num_queries(4):
        response = client.get(_url(organisation))
    assert response.status_code == 200
    body = response.content.decode()
    for status in ("Completed", "In progress", "Overdue"):
        assert status in body
    assert ("Not started" in body) is (count > 3)
    assert module.title in body and users[0].get_full_name() in body


def test_the_page_pages_by_keyset(client, people, organisation, module):
    today = timezone.localdate()
    for _ in range(55):
        user = MembershipFactory(organisation=organisation).user
        Assignment.objects.create(organisation=organisation, user=user, module=module, due_on=today)
    client.force_login(people["org_admin"])
    first = client.get(_url(organisation))
    assert len(first.context["page"].items) == 50
    second = client.get(_url(organisation), {"after": first.context["page"].next_cursor})
    assert len(second.context["page"].items) == 5


def test_another_organisations_admin_gets_404(client, organisation, other_organisation, module):
    other_admin = MembershipFactory(organisation=other_organisation, role=Role.ORG_ADMIN).user
    client.force_login(other_admin)
    assert client.get(_url(organisation)).status_code == 404
    assert client.post(_url(organisation), {}).status_code == 404


def test_posting_assigns_and_redirects_with_a_message(
    client, people, organisation, module, members, django_capture_on_commit_callbacks
):
    client.force_login(people["org_admin"])
    due = timezone.localdate() + timedelta(days=30)
    data = _post_data(module, members[:2], day=due.day, month=due.month, year=due.year)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(organisation), data, follow=True)
    assert response.redirect_chain == [(_url(organisation), 302)]
    body = response.content.decode()
    assert f"{module.title} is assigned to 2 members" in body
    assert Assignment.objects.filter(due_on=due).count() == 2
    assert len(mail.outbox) == 2


def test_posting_to_a_role(client, people, organisation, module, members):
    client.force_login(people["org_admin"])
    due = timezone.localdate() + timedelta(days=30)
    data = _post_data(module, [], day=due.day, month=due.month, year=due.year, target="role")
    data["role"] = Role.PRACTITIONER
    response = client.post(_url(organisation), data)
    assert response.status_code == 302
    assert Assignment.objects.count() == 4


def test_errors_come_back_as_400_with_a_summary_and_the_input_kept(
    client, people, organisation, module, members, django_assert_num_queries
):
    client.force_login(people["org_admin"])
    data = _post_data(module, members[:1], day="31", month="2", year="2030")
    client.get(_url(organisation))  # warm the session cache
    # organisation, module and members checked, then the page as for a GET
    with django_assert_num_queries(6):
        response = client.post(_url(organisation), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The due date must be a real date, like 31 3 2027." in body
    assert 'href="#id_due_on_day"' in body
    assert 'name="due_on_day" type="text" inputmode="numeric" value="31"' in body
    assert 'name="due_on_year" type="text" inputmode="numeric" value="2030"' in body
    assert f'<option value="{module.pk}" selected>' in body
    assert re.search(rf'value="{members[0].pk}"\s+checked', body)
    assert re.search(r'value="members"\s*checked', body)
    assert not Assignment.objects.exists()


def test_a_large_organisation_lists_some_members_and_finds_the_rest(
    client, people, organisation, module, monkeypatch
):
    """At most MEMBER_LIMIT checkboxes (by name), a sentence saying how to reach the others,
    a search by name or email, and a member ticked from a search stays ticked when the form
    comes back with an error, even though the list no longer shows them."""
    from modules.assignments import forms as forms_assignments

    monkeypatch.setattr(forms_assignments, "MEMBER_LIMIT", 2)
    org_members = [m.user for m in organisation.memberships.select_related("user")]
    late = MembershipFactory(
        organisation=organisation, user=UserFactory(display_name="Zoe Zephyr")
    ).user
    assert len(org_members) >= 2  # so with Zoe there are more members than the limit
    client.force_login(people["org_admin"])

    def boxes(body):
        return set(map(int, re.findall(r'name="users" type="checkbox" value="(\d+)"', body)))

    body = client.get(_url(organisation)).content.decode()
    assert len(boxes(body)) == 2 and late.pk not in boxes(body)
    assert "Only the first 2 members by name are listed." in body
    found = client.get(_url(organisation), {"find": "zephyr"}).content.decode()
    assert boxes(found) == {late.pk} and "Only the first" not in found
    assert 'value="zephyr"' in found and "Show all members" in found
    by_email = client.get(_url(organisation), {"find": late.email.upper()}).content.decode()
    assert boxes(by_email) == {late.pk}
    none = client.get(_url(organisation), {"find": "<nobody>"}).content.decode()
    assert "No members match “&lt;nobody&gt;”." in none and not boxes(none)

    data = _post_data(module, [late], day="31", month="2", year="2030")
    response = client.post(_url(organisation), data)
    assert response.status_code == 400
    assert late.pk in boxes(response.content.decode())
    assert re.search(rf'value="{late.pk}"\s+checked', response.content.decode())
    due = timezone.localdate() + timedelta(days=14)
    data = _post_data(module, [late], day=str(due.day), month=str(due.month), year=str(due.year))
    assert client.post(_url(organisation), data).status_code == 302
    assert Assignment.objects.get().user == late


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the module to assign."),
        ({"module": "999999"}, "Choose a module from the list."),
        ({"due_on_month": ""}, "The due date must include a month."),
        ({"due_on_day": "", "due_on_month": "", "due_on_year": ""}, "Enter the date the module"),
        ({"due_on_year": "27"}, "The due date must be a real date"),
        ({"target": ""}, "Choose whether to assign the module to selected members or to"),
        ({"users": []}, "Choose at least one member to assign the module to."),
        ({"target": "role"}, "Choose the role whose members should do the module."),
        ({"users": ["424242"]}, "Choose members from the list."),
    ],
)
def test_each_mistake_is_a_whole_sentence(
    client, people, organisation, module, members, data, message
):
    client.force_login(people["org_admin"])
    due = timezone.localdate() + timedelta(days=30)
    base = _post_data(module, members[:1], day=due.day, month=due.month, year=due.year)
    if data == {}:
        base = {}
    base.update(data)
    response = client.post(_url(organisation), base)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_past_date_comes_back_with_the_reason(client, people, organisation, module, members):
    client.force_login(people["org_admin"])
    past = timezone.localdate() - timedelta(days=3)
    response = client.post(
        _url(organisation),
        _post_data(module, members[:1], day=past.day, month=past.month, year=past.year),
    )
    assert response.status_code == 400
    assert "The due date must be today or in the future. Enter a later date." in (
        response.content.decode()
    )


def test_cancel_from_the_page(client, people, organisation, other_organisation, module, members):
    (assignment,) = _assign(people, organisation, module, users=members[:1])
    url = reverse(
        "organisation_assignment_cancel",
        kwargs={"slug": organisation.slug, "assignment_id": assignment.pk},
    )
    other_admin = MembershipFactory(organisation=other_organisation, role=Role.ORG_ADMIN).user
    client.force_login(other_admin)
    assert client.post(url).status_code == 404
    other_url = reverse(
        "organisation_assignment_cancel",
        kwargs={"slug": other_organisation.slug, "assignment_id": assignment.pk},
    )
    assert client.post(other_url).status_code == 404  # not that organisation's assignment
    client.force_login(people["org_admin"])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "is cancelled" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.cancelled_at is not None
    assert client.post(url).status_code == 404  # already cancelled


# --- My home --------------------------------------------------------------------------------


def test_the_dashboard_shows_what_is_assigned(client, people, organisation, module):
    user = people["practitioner"]
    _assign(people, organisation, module, users=[user])
    client.force_login(user)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Assigned to you" in body
    assert module.title in body
    assert f'href="/modules/{module.slug}/"' in body
    client.force_login(people["supervisor"])
    assert "Assigned to you" not in client.get(reverse("dashboard")).content.decode()


def test_the_dashboard_cost_does_not_grow_with_assignments(client, people, organisation, home_page):
    user = people["practitioner"]
    client.force_login(user)

    def cost() -> int:
        client.get(reverse("dashboard"))  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(queries)

    _assign(people, organisation, make_assignable_module("Module one"), users=[user])
    one = cost()
    for i in range(8):
        _assign(people, organisation, make_assignable_module(f"Module {i + 2}"), users=[user])
    assert cost() == one <= 8


def test_the_panel_costs_at_most_one_query(people, organisation, module, django_assert_num_queries):
    from learning.permissions import roles_for
    from modules.progress.selectors import kept_modules

    rf = RequestFactory()
    for role in ("practitioner", "supervisor", "editor"):
        request = rf.get("/dashboard/")
        request.user = people[role]
        with zeal_context():  # each person's dashboard is a request of its own
            roles_for(request.user)  # the dashboard has these already
            expected = 0 if role == "editor" else 1
            with django_assert_num_queries(expected):
                assert dashboard_panel(request) is None
    _assign(people, organisation, module, users=[people["practitioner"]])
    request = rf.get("/dashboard/")
    request.user = people["practitioner"]
    roles_for(request.user)
    kept_modules([module.pk])  # the live modules, kept per process once read
    with django_assert_num_queries(1):
        panel = dashboard_panel(request)
    assert panel["template"] == "modules/assignments/dashboard_panel.html"
    assert [a.module.title for a, _link in panel["context"]["assignments"]] == [module.title]
