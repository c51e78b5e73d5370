"""Reads for sign-off, scoped so that "not yours" and "missing" are the same 404.

A supervisor sees only requests addressed to them, and only while they still hold the
supervisor role in an organisation the author belongs to. Nothing here ever reads a journal
entry's narrative: a request carries its own frozen copy of the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from learning.models import Membership, Role, User
from learning.pagination import KeysetPage, PreparedKeyset
from learning.permissions import Person, is_signed_in, roles_for
from learning.prepared import PreparedQuery, Slots
from reflection.signoff.models import SignOffRequest

if TYPE_CHECKING:
    from reflection.journal.models import JournalEntry
    from reflection.supervision.models import SupervisionRelationship

# Everything a page needs, without the entry's encrypted narrative.
_FIELDS = (
    "pk",
    "entry_id",
    "author_id",
    "supervisor_id",
    "version",
    "summary",
    "content_hash",
    "note",
    "status",
    "comment",
    "decided_at",
    "signer_role",
    "reopen_reason",
    "reopened_at",
    "created_at",
)


def _relationships() -> QuerySet[SupervisionRelationship]:
    from reflection.supervision.models import SupervisionRelationship

    return SupervisionRelationship.objects.filter(status=SupervisionRelationship.Status.ACTIVE)


def supervisors_for(author: Person) -> QuerySet[User]:
    """People the author may share with: their supervisors in active supervisory relationships
    (who may be in another organisation), and active supervisors in an organisation the author
    is an active member of; never the author themselves (one query)."""
    if not is_signed_in(author):
        return User.objects.none()
    org_ids = [o.pk for o in roles_for(author).organisations]
    holds_role = Membership.objects.active().filter(
        user=OuterRef("pk"), role=Role.SUPERVISOR, organisation_id__in=org_ids
    )
    supervises = _relationships().filter(supervisor_id=OuterRef("pk"), supervisee_id=author.pk)
    return (
        User.objects.filter(Q(Exists(holds_role)) | Q(Exists(supervises)), is_active=True)
        .exclude(pk=author.pk)
        .order_by("display_name", "email")
    )


def _supervisor_queue(
    supervisor_id: int, org_ids: list[int], today: date
) -> QuerySet[SignOffRequest]:
    author_is_member = Membership.objects.active(on=today).filter(
        user=OuterRef("author_id"), organisation_id__in=org_ids
    )
    supervises = _relationships().filter(
        supervisor_id=supervisor_id, supervisee_id=OuterRef("author_id")
    )
    return (
        SignOffRequest.objects.filter(supervisor_id=supervisor_id)
        .exclude(status=SignOffRequest.Status.WITHDRAWN)
        .filter(
            Q(Exists(author_is_member))
            | Q(Exists(supervises))
            # An erased author's signed-off versions stay with the supervisor who signed them.
            | Q(author__isnull=True, status=SignOffRequest.Status.SIGNED_OFF)
        )
        .select_related("author")
        .only(*_FIELDS, "author__email", "author__display_name")
    )


def _supervised_org_ids(user: Person) -> list[int]:
    return sorted(o.pk for o in roles_for(user).organisations_with_role(Role.SUPERVISOR))


def signoff_requests_for_supervisor(user: Person) -> QuerySet[SignOffRequest]:
    """The queue: requests addressed to ``user``, while the supervisory link still holds (an
    active supervisory relationship, or the supervisor role in an organisation the author is a
    member of). Versions the author replaced are not shown."""
    if not is_signed_in(user):
        return SignOffRequest.objects.none()
    return _supervisor_queue(user.pk, _supervised_org_ids(user), timezone.localdate())


def signoff_requests_for_author(user: Person) -> QuerySet[SignOffRequest]:
    """What the person has shared, kept after the entry is deleted."""
    if not is_signed_in(user):
        return SignOffRequest.objects.none()
    return (
        SignOffRequest.objects.filter(author_id=user.pk)
        .select_related("supervisor")
        .only(*_FIELDS, "supervisor__email", "supervisor__display_name")
    )


def signoff_request_for(user: Person, pk: int) -> tuple[SignOffRequest | None, bool]:
    """One request as ``user`` may see it, and whether they see it as its supervisor; ``None``
    when they may not see it at all (one query)."""
    if not is_signed_in(user):
        return None, False
    as_supervisor = signoff_requests_for_supervisor(user).filter(pk=pk).first()
    if as_supervisor is not None:
        return as_supervisor, True
    return signoff_requests_for_author(user).filter(pk=pk).first(), False


# Read on every visit to a journal entry's page, so built once per process (learning/prepared.py).
_ENTRY_VERSIONS = PreparedQuery(
    "signoff.entry_versions",
    lambda slots: (
        signoff_requests_for_author(User(pk=slots.user_id))
        .filter(entry_id=slots.entry_id)
        .order_by("-version")
    ),
    slots={"user_id": int, "entry_id": int},
)


def signoff_requests_for_entry(user: User, entry: JournalEntry) -> list[SignOffRequest]:
    """The author's versions of one entry, newest first (one query)."""
    if not is_signed_in(user):
        return []
    return _ENTRY_VERSIONS.all(user_id=user.pk, entry_id=entry.pk)


# Versions a supervisor has decided on and still holds: signed off, or signed off and then
# reopened for a new decision. Deleting the entry keeps these and removes every other version.
KEPT_AFTER_ENTRY_DELETE = (SignOffRequest.Status.SIGNED_OFF, SignOffRequest.Status.REOPENED)


def kept_after_entry_delete(entry: JournalEntry) -> QuerySet[SignOffRequest]:
    """The shared versions of ``entry`` that deleting it keeps, newest first. The delete
    removes every other version (``signoff_discard_unsigned``) and the confirmation page lists
    exactly these, so what the page promises is what the delete does."""
    return (
        SignOffRequest.objects.filter(entry_id=entry.pk, status__in=KEPT_AFTER_ENTRY_DELETE)
        .only(*_FIELDS)
        .order_by("-version")
    )


def signoff_requests_waiting_for(
    user: User, *, queue: QuerySet[SignOffRequest] | None = None
) -> QuerySet[SignOffRequest]:
    """The queue's requests still waiting for ``user``'s decision (pending or reopened).
    ``queue``: ``signoff_requests_for_supervisor(user)`` when the caller has built it already
    (the sign-off page needs it twice, and building its scope is most of a query's cost)."""
    if queue is None:
        queue = signoff_requests_for_supervisor(user)
    return queue.filter(status__in=SignOffRequest.OPEN)


def signoff_requests_decided_by(
    user: User, *, queue: QuerySet[SignOffRequest] | None = None
) -> QuerySet[SignOffRequest]:
    """The queue's requests ``user`` has decided (``queue`` as for the waiting ones)."""
    if queue is None:
        queue = signoff_requests_for_supervisor(user)
    return queue.exclude(status__in=SignOffRequest.OPEN)


# The sign-off page's three lists, a page of each on every visit: prepared once per process
# and per set of organisations supervised in (learning/prepared.py).
QUEUE_SIZE = 25


def _waiting(slots: Slots, org_ids: tuple[int, ...]) -> QuerySet[SignOffRequest]:
    queue = _supervisor_queue(slots.user_id, list(org_ids), slots.today)
    return queue.filter(status__in=SignOffRequest.OPEN)


def _decided(slots: Slots, org_ids: tuple[int, ...]) -> QuerySet[SignOffRequest]:
    queue = _supervisor_queue(slots.user_id, list(org_ids), slots.today)
    return queue.exclude(status__in=SignOffRequest.OPEN)


def _shared(slots: Slots) -> QuerySet[SignOffRequest]:
    return signoff_requests_for_author(User(pk=slots.user_id))


_QUEUE_SLOTS = {"user_id": int, "today": date}
# A supervisor in no organisation: the membership check is an empty IN, which Django drops
# with the date it would have read.
_NO_ORGANISATION = frozenset({"today"})
_LISTS = {
    # The longest waiting first, so none is pushed off the page by newer ones.
    "waiting": PreparedKeyset(
        "signoff.waiting",
        _waiting,
        slots=_QUEUE_SLOTS,
        order=("created_at", "pk"),
        kinds=(datetime, int),
        size=QUEUE_SIZE,
        optional=_NO_ORGANISATION,
    ),
    "decided": PreparedKeyset(
        "signoff.decided",
        _decided,
        slots=_QUEUE_SLOTS,
        order=("-created_at", "-pk"),
        kinds=(datetime, int),
        size=QUEUE_SIZE,
        optional=_NO_ORGANISATION,
    ),
}
_SHARED = PreparedKeyset(
    "signoff.shared",
    _shared,
    slots={"user_id": int},
    order=("-created_at", "-pk"),
    kinds=(datetime, int),
    size=QUEUE_SIZE,
)


def signoff_queue_pages(user: User, cursors: dict[str, str | None]) -> dict[str, KeysetPage]:
    """The sign-off page's lists, each paged on its own: requests waiting for the person's
    decision, those they have decided, and the summaries they have shared (one query each)."""
    org_ids = tuple(_supervised_org_ids(user))
    today = timezone.localdate()
    pages = {
        name: keyset.page(cursor=cursors.get(name), shape=(org_ids,), user_id=user.pk, today=today)
        for name, keyset in _LISTS.items()
    }
    pages["shared"] = _SHARED.page(cursor=cursors.get("shared"), user_id=user.pk)
    return pages


WAITING_CAP = 100  # "100 or more": the panel never counts past this


def signoff_waiting_count(user: User) -> int:
    """Requests waiting for ``user``'s sign-off, counted up to ``WAITING_CAP`` (a LIMIT, not a
    COUNT over every request they were ever sent)."""
    waiting = signoff_requests_waiting_for(user)
    return len(waiting.order_by().values_list("pk", flat=True)[:WAITING_CAP])


def with_latest_signoff_status(entries: QuerySet[JournalEntry]) -> QuerySet[JournalEntry]:
    """``entries`` with ``latest_signoff_status``: the status of each one's newest shared
    version (``None`` if never shared), read in the same query as the list."""
    latest = SignOffRequest.objects.filter(entry_id=OuterRef("pk")).order_by("-version")
    return entries.annotate(latest_signoff_status=Subquery(latest.values("status")[:1]))


@dataclass(frozen=True)
class EntrySignoff:
    """The sign-off section of a journal entry's page: its latest shared version (with its
    tag), the earlier ones, and whether to offer sharing the summary."""

    latest: SignOffRequest | None
    earlier: list[SignOffRequest]
    may_share: bool


def entry_signoff(user: User, entry: JournalEntry) -> EntrySignoff:
    from reflection.signoff.status import may_share_again

    versions = signoff_requests_for_entry(user, entry)
    latest = versions[0] if versions else None
    return EntrySignoff(
        latest=latest,
        earlier=versions[1:],
        may_share=may_share_again(latest.status if latest else None),
    )
