"""The figures each report section gives, built from small known data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from community.models import PostStatus
from learning.reports.registry import get_section
from modules.models import Enrolment

from .community_factories import SpaceFactory, member, reply, thread
from .factories import MembershipFactory, OrganisationFactory, UserFactory
from .module_factories import make_module
from .report_factories import add_members, assign, complete, rate, start
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return {"date_from": today - timedelta(days=365), "date_to": today}


def build(key, organisation, **kw):
    return get_section(key, national=False).build(organisation, **_period(), **kw)


def test_training_counts_enrolled_in_progress_completed_due_and_overdue():
    organisation = OrganisationFactory()
    a, b, c = add_members(organisation, 3)
    outsider = UserFactory()
    module = make_module(lessons=1, title="Family justice processes")
    complete(a, module)
    start(b, module)
    complete(outsider, module)  # not a member: not counted
    assign(organisation, a, module, due_in_days=-5)  # completed: neither due nor overdue
    assign(organisation, b, module, due_in_days=-5)  # overdue
    assign(organisation, c, module, due_in_days=5)  # due
    table = build("training", organisation)
    assert table.rows == [["Family justice processes", 2, 1, 1, 1, 1]]
    members = {row[0]: row[1:] for row in build("training_members", organisation).rows}
    assert members[str(a)] == [1, 0, 1, 0, 0]
    assert members[str(b)] == [1, 1, 0, 0, 1]
    assert members[str(c)] == [0, 0, 0, 1, 0]
    assert str(outsider) not in members


def test_training_on_screen_pages_through_modules_with_each_pages_figures():
    """The table on screen reads a page of modules, that page's figures and the open
    assignments (three prepared queries; the last page, shorter than the others, fills the
    figures' fixed list of ids with a repeat); every page's rows are the CSV file's rows for
    the same modules."""
    organisation = OrganisationFactory()
    a, b = add_members(organisation, 2)
    modules = [make_module(lessons=1, title=f"Module {n}") for n in range(5)]
    for n, module in enumerate(modules):
        if n % 2:
            complete(a, module)
        start(b, module)
    assign(organisation, a, modules[4], due_in_days=-5)  # overdue, on the short last page
    assign(organisation, b, modules[3], due_in_days=5)  # due
    everything = build("training", organisation)  # the CSV file: every module, no limit
    assert len(everything.rows) == 5 and everything.next_cursor is None
    shown, cursor = [], None
    for _ in range(3):
        table = build("training", organisation, after=cursor, limit=2)
        assert table.has_previous == (cursor is not None)
        shown += table.rows
        cursor = table.next_cursor
        if cursor is None:
            break
    assert shown == everything.rows
    assert [row[1] for row in shown] == [1, 2, 1, 2, 1]  # enrolled: b everywhere, a on odd
    assert [row[4:] for row in shown] == [[0, 0], [0, 0], [0, 0], [1, 0], [0, 1]]
    # A cursor that cannot be read starts from the beginning, figures and all.
    assert build("training", organisation, after="not-a-cursor", limit=2).rows == shown[:2]


def test_completions_are_counted_in_the_month_they_happened():
    organisation = OrganisationFactory()
    (a,) = add_members(organisation, 1)
    module = make_module(lessons=1)
    enrolment = complete(a, module)
    table = build("completions", organisation)
    month = timezone.localtime(enrolment.completed_at).strftime("%B %Y")
    assert [month, 1] in table.rows
    assert sum(row[1] for row in table.rows) == 1
    assert len(table.rows) in (12, 13)  # every month of the period, empty ones included


def test_a_member_who_has_left_is_not_in_the_report():
    organisation = OrganisationFactory()
    leaver = MembershipFactory(
        organisation=organisation,
        started_on=timezone.localdate() - timedelta(days=30),
        ended_on=timezone.localdate(),
    ).user
    module = make_module(lessons=1)
    complete(leaver, module)
    assert build("training", organisation).rows[0][1] == 0
    assert build("training_members", organisation).rows == []


def test_confidence_is_the_mean_change_over_people_who_rated_before_and_after():
    organisation = OrganisationFactory()
    *five, c = add_members(organisation, 6)
    module = make_module(lessons=1, outcomes=1, title="Trauma-informed care")
    for person, (before, after) in zip(five, [(1, 4), (2, 3), (1, 4), (2, 3), (4, 4)], strict=True):
        rate(person, module, before=before, after=after)
    # c rated before only: no pair, not counted
    from modules.models import ConfidenceRating

    ConfidenceRating.objects.create(
        user=c, module=module, outcome=module.learning_outcomes.get(), phase="before", rating=1
    )
    (row,) = build("confidence", organisation).rows
    assert row[0].startswith("Trauma-informed care: Outcome 1")
    assert row[1:] == [5, 2.0, 3.6, 1.6]


def test_an_organisation_never_sees_a_mean_over_fewer_than_5_people():
    organisation = OrganisationFactory()
    people = add_members(organisation, 4)
    module = make_module(lessons=1, outcomes=1, title="Trauma-informed care")
    for person in people:
        rate(person, module, before=1, after=5)
    (row,) = build("confidence", organisation).rows
    assert row[1:] == ["<5", "Hidden", "Hidden", "Hidden"]
    (alone,) = add_members(OrganisationFactory(), 1)
    rate(alone, module, before=2, after=3)
    table = build("confidence", alone.memberships.get().organisation)
    assert table.rows[0][1:] == ["<5", "Hidden", "Hidden", "Hidden"]
    assert table.chart.values == ["Hidden"]


def test_supervision_by_type_counts_sessions_and_minutes_in_the_period():
    organisation = OrganisationFactory()
    (a,) = add_members(organisation, 1)
    rel = make_relationship(a, kind="safeguarding")
    make_session(rel, duration=45, held_on=timezone.localdate() - timedelta(days=10))
    make_session(rel, duration=60, held_on=timezone.localdate() - timedelta(days=20))
    make_session(rel, duration=90, held_on=timezone.localdate() - timedelta(days=400))
    assert build("supervision_types", organisation).rows == [
        ["Safeguarding supervision", "One-to-one", 2, 105]
    ]
    (row,) = [r for r in build("supervision", organisation).rows if r[0] == str(a)]
    assert row[2] == "Within the agreed frequency" and row[3] == 2 and row[4] == 105


def test_community_counts_published_named_posts_by_members_only():
    organisation = OrganisationFactory()
    a, b = add_members(organisation, 2)
    space = SpaceFactory(name="HOPE Boxes")
    member(space, a)
    member(space, b)
    opened = thread(space, a)
    reply(opened, b)
    thread(space, b, title="Asked anonymously", anonymous=True)  # anonymous: never counted
    hidden = reply(opened, a)
    hidden.status = PostStatus.HIDDEN
    hidden.save()
    reply(opened, member(space).user)  # not a member of the organisation
    assert build("community", organisation).rows == [["HOPE Boxes", 1, 1, 2]]


def test_national_trained_services_counts_each_service_once_per_topic():
    from modules.models import Topic

    topic = Topic.objects.create(name="Information-sharing", slug="information-sharing")
    module = make_module(lessons=1, topic=topic)
    orgs = [OrganisationFactory(kind="vcse", region="london") for _ in range(6)]
    for organisation in orgs:
        for user in add_members(organisation, 2):
            complete(user, module)
    table = get_section("trained_services", national=True).build_national(
        **_period(), group_by="kind"
    )
    (row,) = table.rows
    vcse = table.headers.index("Voluntary, community or social enterprise organisation")
    assert row[0] == "Information-sharing" and row[vcse] == 5 and row[-1] == 5  # 6, rounded
    assert row[1] == 0  # no MMHS at all: a zero reveals nobody and is shown
    assert Enrolment.objects.count() == 12


def test_the_benchmark_refuses_a_database_with_people_in_it():
    UserFactory()
    with pytest.raises(CommandError, match="already holds people"):
        call_command("reports_benchmark", "--scale", "0.01", "--runs", "1")


@pytest.mark.slow
def test_the_benchmark_seeds_and_times_every_page(capsys):
    call_command("reports_benchmark", "--scale=0.01", "--runs=2", verbosity=0)
    out = capsys.readouterr().out
    assert "organisation: training" in out and "national: community by region" in out
    assert "p50 ms" in out


@pytest.mark.parametrize(("language", "name"), [("en-gb", "Perinatal grief"), ("cy", "Galar")])
def test_national_confidence_names_each_topic_in_the_readers_language(language, name):
    from django.utils import translation

    from modules.models import Topic

    topic = Topic.objects.create(name="Perinatal grief", name_cy="Galar", slug="perinatal-grief-x")
    module = make_module(lessons=1, outcomes=1, topic=topic)
    for person in add_members(OrganisationFactory(), 5):
        rate(person, module, before=2, after=4)
    with translation.override(language):
        table = get_section("confidence", national=True).build_national(**_period())
    assert [row[0] for row in table.rows] == [name]
    assert table.rows[0][1] == 5
