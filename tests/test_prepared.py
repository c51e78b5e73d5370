"""learning/prepared.py: a query built once per process gives the rows the ORM gives, for each
run's values, and refuses a build it could not run correctly."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Exists, JSONField, OuterRef, Q, Subquery, Value
from django.db.models.functions import JSONObject
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import Membership, Organisation, Role, User
from learning.prepared import PreparedQuery, PreparedQueryError
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _memberships(slots, role_filter: bool):
    """A shape with a join, a slot used twice, a JSON subquery and an EXISTS."""
    qs = Membership.objects.filter(user_id=slots.user_id, organisation__slug=slots.slug)
    if role_filter:
        qs = qs.filter(role=Role.SUPERVISOR)
    others = Membership.objects.filter(organisation=OuterRef("organisation")).exclude(
        user_id=slots.user_id
    )
    return (
        qs.select_related("organisation", "user")
        .annotate(
            has_others=Exists(others),
            first_other=Subquery(
                others.order_by("pk").values(row=JSONObject(id="pk", role="role"))[:1],
                output_field=JSONField(),
            ),
        )
        .order_by("pk")
    )


MEMBERSHIPS = PreparedQuery("tests.memberships", _memberships, slots={"user_id": int, "slug": str})


def _orm(user: User, slug: str, role_filter: bool) -> list[Membership]:
    class Given:
        user_id = user.pk

    Given.slug = slug  # type: ignore[attr-defined]
    return list(_memberships(Given, role_filter))


def _as_rows(items: list[Membership]) -> list[tuple]:
    return [
        (
            m.pk,
            m.role,
            m.started_on,
            m.created_at,
            m.organisation.name,
            m.user.email,
            m.has_others,
            m.first_other,
        )
        for m in items
    ]


@pytest.fixture
def two_organisations():
    alpha = OrganisationFactory(slug="alpha")
    beta = OrganisationFactory(slug="beta")
    ann, bob = UserFactory(), UserFactory()
    MembershipFactory(user=ann, organisation=alpha, role=Role.PRACTITIONER)
    MembershipFactory(user=ann, organisation=alpha, role=Role.SUPERVISOR)
    MembershipFactory(user=bob, organisation=alpha, role=Role.PRACTITIONER)
    MembershipFactory(user=bob, organisation=beta, role=Role.ORG_ADMIN)
    return ann, bob


@pytest.mark.parametrize("role_filter", [False, True])
def test_the_rows_are_the_orms_for_each_runs_values(two_organisations, role_filter):
    ann, bob = two_organisations
    for user, slug in [(ann, "alpha"), (bob, "alpha"), (bob, "beta"), (ann, "beta"), (ann, "x")]:
        kept = MEMBERSHIPS.all(shape=(role_filter,), user_id=user.pk, slug=slug)
        assert _as_rows(kept) == _as_rows(_orm(user, slug, role_filter))
    assert _as_rows(MEMBERSHIPS.all(shape=(False,), user_id=ann.pk, slug="alpha"))[0][6] is True
    assert len(MEMBERSHIPS.all(shape=(False,), user_id=ann.pk, slug="alpha")) == 2
    assert len(MEMBERSHIPS.all(shape=(True,), user_id=ann.pk, slug="alpha")) == 1


def test_the_rows_are_whole_model_instances(two_organisations):
    ann, _bob = two_organisations
    row = MEMBERSHIPS.first(shape=(True,), user_id=ann.pk, slug="alpha")
    assert isinstance(row, Membership)
    assert isinstance(row.created_at, datetime.datetime) and timezone.is_aware(row.created_at)
    assert row.first_other["role"] == Role.PRACTITIONER
    row.ended_on = row.started_on
    row.save(update_fields=["ended_on"])  # a loaded row saves as any other does
    assert Membership.objects.get(pk=row.pk).ended_on == row.started_on
    assert MEMBERSHIPS.first(shape=(True,), user_id=ann.pk, slug="nowhere") is None


def test_each_shape_is_built_once_and_each_run_is_one_query(two_organisations):
    ann, bob = two_organisations
    built = []

    def build(slots, flag):
        built.append(flag)
        return _memberships(slots, flag)

    query = PreparedQuery("tests.counted", build, slots={"user_id": int, "slug": str})
    for user in (ann, bob, ann):
        with CaptureQueriesContext(connection) as captured:
            query.all(shape=(False,), user_id=user.pk, slug="alpha")
        assert len(captured) == 1
    query.all(shape=(True,), user_id=ann.pk, slug="alpha")
    assert built == [False, True]
    with timezone.override("Europe/Paris"):
        query.all(shape=(True,), user_id=ann.pk, slug="alpha")
    assert built == [False, True, True]  # the active time zone is part of the key


def test_values_must_be_the_declared_slots_and_types(two_organisations):
    ann, _bob = two_organisations
    with pytest.raises(TypeError, match="takes exactly"):
        MEMBERSHIPS.all(shape=(False,), user_id=ann.pk)
    with pytest.raises(TypeError, match="user_id must be int"):
        MEMBERSHIPS.all(shape=(False,), user_id=str(ann.pk), slug="alpha")
    with pytest.raises(TypeError, match="user_id must be int"):
        MEMBERSHIPS.all(shape=(False,), user_id=True, slug="alpha")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda s: Organisation.objects.all()[: s.n], "written into the SQL itself"),
        (lambda s: Organisation.objects.filter(name__icontains=s.text), "does not reach"),
        (lambda s: Organisation.objects.all(), "does not reach"),
        (lambda s: Organisation.objects.filter(pk=s.other), "not declared"),
        (
            lambda s: Organisation.objects.filter(pk=s.n).values_list("pk", named=True),
            "not named rows",
        ),
        (
            lambda s: Organisation.objects.filter(pk=s.n).prefetch_related("memberships"),
            "prefetch_related",
        ),
    ],
)
def test_a_build_that_cannot_be_kept_is_refused_with_the_reason(build, message):
    slots = {"n": int} if "text" not in build.__code__.co_names else {"text": str}
    with pytest.raises(PreparedQueryError, match=message):
        PreparedQuery("tests.refused", build, slots=slots).all(
            **{name: (3 if kind is int else "x") for name, kind in slots.items()}
        )


def test_a_slot_must_be_an_id_text_a_date_or_a_moment():
    query = PreparedQuery(
        "tests.when",
        lambda s: Organisation.objects.filter(created_at__gte=s.when),
        slots={"when": float},
    )
    with pytest.raises(PreparedQueryError, match="must be int, str, date or datetime"):
        query.all(when=1.5)


def _open_on(slots):
    """Memberships open on a day and made before a moment: date and moment slots."""
    return (
        Membership.objects.active(on=slots.today)
        .filter(created_at__lt=slots.before, user_id=slots.user_id)
        .order_by("pk")
    )


OPEN_ON = PreparedQuery(
    "tests.open_on",
    _open_on,
    slots={"today": datetime.date, "before": datetime.datetime, "user_id": int},
)


def test_date_and_moment_slots_give_the_orms_rows_on_each_day():
    person = UserFactory()
    today = timezone.localdate()
    left = MembershipFactory(user=person, started_on=today - datetime.timedelta(days=30))
    left.ended_on = today - datetime.timedelta(days=10)
    left.save()
    still = MembershipFactory(user=person, started_on=today - datetime.timedelta(days=20))
    later = timezone.now() + datetime.timedelta(minutes=1)
    for day, expected in [
        (today, [still.pk]),
        (today - datetime.timedelta(days=15), [left.pk, still.pk]),
        (today - datetime.timedelta(days=25), [left.pk]),
    ]:
        got = [m.pk for m in OPEN_ON.all(today=day, before=later, user_id=person.pk)]
        assert got == expected

        class Given:
            today = day
            before = later
            user_id = person.pk

        assert got == [m.pk for m in _open_on(Given)]
    earlier = still.created_at
    assert [m.pk for m in OPEN_ON.all(today=today, before=earlier, user_id=person.pk)] == []
    with pytest.raises(TypeError, match="aware"):
        OPEN_ON.all(today=today, before=datetime.datetime(2026, 1, 1), user_id=person.pk)
    with pytest.raises(TypeError, match="today must be date"):
        OPEN_ON.all(today=timezone.now(), before=later, user_id=person.pk)


@pytest.mark.postgres  # SQLite is given dates as text, which cannot be told from other text
def test_a_date_fixed_at_the_first_build_is_refused():
    query = PreparedQuery(
        "tests.today_fixed",
        lambda s: Membership.objects.active().filter(user_id=s.user_id),
        slots={"user_id": int},
    )
    with pytest.raises(PreparedQueryError, match="would be fixed at the first build"):
        query.all(user_id=1)


def _in_organisations(slots, organisation_ids: tuple[int, ...]):
    """Memberships of a person in organisations still open today among some, or any as a
    supervisor: with no organisations, Django drops the first condition and its date."""
    still_open = Membership.objects.active(on=slots.today).filter(
        organisation_id__in=list(organisation_ids), pk=OuterRef("pk")
    )
    return Membership.objects.filter(
        Q(Exists(still_open)) | Q(role=Role.SUPERVISOR), user_id=slots.user_id
    ).order_by("pk")


def test_an_optional_slot_may_be_dropped_with_an_empty_in_and_no_other_may():
    person = UserFactory()
    mine = MembershipFactory(user=person)
    today = timezone.localdate()
    strict = PreparedQuery(
        "tests.strict_in", _in_organisations, slots={"user_id": int, "today": datetime.date}
    )
    with pytest.raises(PreparedQueryError, match="'today' does not reach"):
        strict.all(shape=((),), user_id=person.pk, today=today)
    lenient = PreparedQuery(
        "tests.lenient_in",
        _in_organisations,
        slots={"user_id": int, "today": datetime.date},
        optional=frozenset({"today"}),
    )
    assert lenient.all(shape=((),), user_id=person.pk, today=today) == []
    shape = ((mine.organisation_id,),)
    assert lenient.all(shape=shape, user_id=person.pk, today=today) == [mine]
    with pytest.raises(PreparedQueryError, match="'user_id' does not reach"):
        PreparedQuery(
            "tests.lenient_only_today",
            lambda s, ids: Membership.objects.filter(organisation_id__in=list(ids))[:5],
            slots={"user_id": int, "today": datetime.date},
            optional=frozenset({"today"}),
        ).all(shape=((mine.organisation_id,),), user_id=person.pk, today=today)


def _rows(slots, kind: str):
    qs = Membership.objects.filter(user_id=slots.user_id).order_by("pk")
    if kind == "dicts":
        return qs.values("pk", "role", "organisation__slug")
    if kind == "tuples":
        return qs.values_list("role", "started_on")
    return qs.values_list("organisation_id", flat=True)


ROWS = PreparedQuery("tests.rows", _rows, slots={"user_id": int})


@pytest.mark.parametrize("kind", ["dicts", "tuples", "flat"])
def test_values_and_values_list_rows_are_the_orms(two_organisations, kind):
    for person in two_organisations:

        class Given:
            user_id = person.pk

        assert ROWS.all(shape=(kind,), user_id=person.pk) == list(_rows(Given, kind))
        assert len(ROWS.all(shape=(kind,), user_id=person.pk)) == 2


@pytest.mark.django_db(transaction=True)
def test_postgresql_keeps_the_statement_and_the_setting_turns_it_off(settings):
    """On PostgreSQL a prepared query's SQL is kept by the server (planned once per
    connection); with ``HOPE_PREPARED_STATEMENTS`` off, or on SQLite, it is sent as Django
    sends any query."""
    from learning import prepared

    user = UserFactory()
    query = PreparedQuery(
        "tests.kept_by_the_server",
        lambda slots: User.objects.filter(pk=slots.user_id).annotate(kept_probe=Value(1)),
        slots={"user_id": int},
    )
    if connection.vendor != "postgresql":
        assert prepared._statements(connection) is connection
        assert query.first(user_id=user.pk) == user
        return

    def kept() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    settings.HOPE_PREPARED_STATEMENTS = False
    assert query.first(user_id=user.pk) == user
    assert not any("kept_probe" in sql for sql in kept())
    settings.HOPE_PREPARED_STATEMENTS = True
    for _ in range(2):
        assert query.first(user_id=user.pk) == user
    assert query.first(user_id=user.pk + 1000) is None
    statements = [sql for sql in kept() if "kept_probe" in sql]
    assert len(statements) == 1 and "$1" in statements[0]
    # While queries are logged (DEBUG, a test counting them) each is logged with its values.
    with CaptureQueriesContext(connection) as logged:
        assert query.first(user_id=user.pk) == user
    assert f"= {user.pk}" in logged.captured_queries[0]["sql"]


@pytest.mark.parametrize("user_id", [2**63, -(2**63) - 1, 10**20])
def test_an_id_beyond_a_64_bit_column_matches_no_row_without_a_query(user_id):
    membership = MembershipFactory()
    with CaptureQueriesContext(connection) as queries:
        assert MEMBERSHIPS.all(shape=(False,), user_id=user_id, slug="x") == []
    assert len(queries) == 0
    found = MEMBERSHIPS.all(
        shape=(False,), user_id=membership.user_id, slug=membership.organisation.slug
    )
    assert [m.pk for m in found] == [membership.pk]
    assert MEMBERSHIPS.all(shape=(False,), user_id=2**63 - 1, slug="x") == []  # in range
