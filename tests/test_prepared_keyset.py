"""learning.pagination.PreparedKeyset: the pages a prepared list gives are keyset_page's, page
by page, and a cursor it cannot read starts the list from the beginning as keyset_page does."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import AuditEvent, Membership
from learning.pagination import PreparedKeyset, encode_cursor, keyset_page
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SIZE = 3


def _events(slots, action_prefix: str):
    return AuditEvent.objects.filter(actor_id=slots.actor_id, action__startswith=action_prefix)


NEWEST_FIRST = PreparedKeyset(
    "tests.events_newest",
    _events,
    slots={"actor_id": int},
    order=("-created_at", "-pk"),
    kinds=(datetime.datetime, int),
    size=SIZE,
)
OLDEST_FIRST = PreparedKeyset(
    "tests.events_oldest",
    _events,
    slots={"actor_id": int},
    order=("created_at", "pk"),
    kinds=(datetime.datetime, int),
    size=SIZE,
)


@pytest.fixture
def events():
    """Eight events of one person, several sharing a moment (the key breaks the tie), and
    some of another person's."""
    person, other = UserFactory(), UserFactory()
    base = timezone.now() - datetime.timedelta(days=1)
    moments = [base, base, base + datetime.timedelta(minutes=1), base, base]
    moments += [base + datetime.timedelta(minutes=m) for m in (5, 2, 2)]
    for i, moment in enumerate(moments):
        AuditEvent.objects.create(actor=person, action=f"test.{i}", created_at=moment)
        AuditEvent.objects.create(actor=other, action=f"test.{i}", created_at=moment)
    AuditEvent.objects.create(actor=person, action="other.kind", created_at=base)
    return person


def _walk(next_page):
    pages, cursor = [], None
    while True:
        page = next_page(cursor)
        pages.append(([e.pk for e in page.items], page.next_cursor, page.has_previous))
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


@pytest.mark.parametrize("keyset", [NEWEST_FIRST, OLDEST_FIRST], ids=["newest", "oldest"])
def test_every_page_is_keyset_pages_own(events, keyset):
    ours = _walk(lambda c: keyset.page(cursor=c, shape=("test.",), actor_id=events.pk))
    theirs = _walk(
        lambda c: keyset_page(
            AuditEvent.objects.filter(actor_id=events.pk, action__startswith="test."),
            order=keyset.order,
            cursor=c,
            size=SIZE,
        )
    )
    assert ours == theirs
    assert [len(items) for items, _c, _p in ours] == [3, 3, 2]
    walked = [pk for items, _c, _p in ours for pk in items]
    everything = AuditEvent.objects.filter(actor_id=events.pk, action__startswith="test.")
    assert walked == list(everything.order_by(*keyset.order).values_list("pk", flat=True))
    assert [has_previous for _i, _c, has_previous in ours] == [False, True, True]


def test_each_page_is_one_query(events):
    first = NEWEST_FIRST.page(cursor=None, shape=("test.",), actor_id=events.pk)
    NEWEST_FIRST.page(cursor=first.next_cursor, shape=("test.",), actor_id=events.pk)
    for cursor in (None, first.next_cursor):
        with CaptureQueriesContext(connection) as captured:
            NEWEST_FIRST.page(cursor=cursor, shape=("test.",), actor_id=events.pk)
        assert len(captured) == 1


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        encode_cursor(["2026-01-01T00:00:00+00:00"]),  # one value short
        encode_cursor(["not a moment", 5]),
        encode_cursor(["2026-01-01T00:00:00", 5]),  # no offset: not a moment in time
        encode_cursor(["2026-01-01T00:00:00+00:00", "5"]),
        encode_cursor(["2026-01-01T00:00:00+00:00", 2**64]),
        encode_cursor(["2026-01-01T00:00:00+00:00", True]),
        encode_cursor([None, 5]),
    ],
)
def test_a_cursor_it_cannot_read_starts_from_the_beginning(events, cursor):
    page = NEWEST_FIRST.page(cursor=cursor, shape=("test.",), actor_id=events.pk)
    first = NEWEST_FIRST.page(cursor=None, shape=("test.",), actor_id=events.pk)
    assert [e.pk for e in page.items] == [e.pk for e in first.items]
    assert page.has_previous is False


def _memberships(slots):
    return Membership.objects.filter(organisation_id=slots.organisation_id)


BY_START = PreparedKeyset(
    "tests.by_start",
    _memberships,
    slots={"organisation_id": int},
    order=("-started_on", "-pk"),
    kinds=(datetime.date, int),
    size=2,
)


def test_a_date_field_pages_as_keyset_page_does():
    organisation = OrganisationFactory()
    today = timezone.localdate()
    for days in (0, 3, 3, 10, 1):
        MembershipFactory(
            organisation=organisation,
            user=UserFactory(),
            started_on=today - datetime.timedelta(days=days),
        )
    ours = _walk(lambda c: BY_START.page(cursor=c, organisation_id=organisation.pk))
    theirs = _walk(
        lambda c: keyset_page(
            Membership.objects.filter(organisation=organisation),
            order=("-started_on", "-pk"),
            cursor=c,
            size=2,
        )
    )
    assert ours == theirs
    assert [len(items) for items, _c, _p in ours] == [2, 2, 1]


def test_the_order_and_the_kinds_must_match():
    with pytest.raises(ValueError, match="one kind for each field"):
        PreparedKeyset(
            "tests.mismatch",
            _memberships,
            slots={"organisation_id": int},
            order=("-started_on", "-pk"),
            kinds=(int,),
            size=2,
        )
