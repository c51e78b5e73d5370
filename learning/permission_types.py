"""The shapes the rulebook (``learning.permissions``) works with.

The core imports no other local app, so a rule about a thread or a supervision session is
typed by a Protocol: the read-only attributes and model predicates it reads. Each is a
property, so a model's plain field and its ``@property`` predicate both fit.

``Decision`` is a rule's answer when "no" needs a reason: whether the person may, why not (or
which rule they are exempt from), and until when. Views hand it to templates whole, so a
template shows its booleans and sentences and never works the rule out again.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class JournalEntryLike(Protocol):
    @property
    def author_id(self) -> int | None: ...


class RelationshipLike(Protocol):
    @property
    def supervisee_id(self) -> int | None: ...
    @property
    def supervisor_id(self) -> int | None: ...
    @property
    def proposed_by_id(self) -> int | None: ...
    @property
    def is_proposed(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...


class SupervisionSessionLike(Protocol):
    @property
    def author_id(self) -> int | None: ...
    @property
    def relationship(self) -> RelationshipLike: ...
    @property
    def is_locked(self) -> bool: ...
    @property
    def is_submitted(self) -> bool: ...


class SpaceLike(Protocol):
    @property
    def is_open(self) -> bool: ...
    @property
    def takes_requests(self) -> bool: ...
    def facilitator_ids(self) -> frozenset[int]: ...
    def facilitated_by(self, user_id: int) -> bool: ...


class AppointableSpaceLike(Protocol):
    """A space whose facilitators are appointed: the organisation it belongs to, if any."""

    organisation_id: int | None


class RevealRequestLike(Protocol):
    """A request to reveal an anonymous author: who asked, who decided, and its state."""

    @property
    def requested_by_id(self) -> int | None: ...
    @property
    def decided_by_id(self) -> int | None: ...
    @property
    def is_waiting(self) -> bool: ...
    @property
    def is_confirmed(self) -> bool: ...


class SpaceMemberLike(Protocol):
    @property
    def is_active(self) -> bool: ...
    @property
    def is_invited(self) -> bool: ...
    @property
    def is_suspended(self) -> bool: ...
    @property
    def has_accepted_guidelines(self) -> bool: ...
    @property
    def suspended_until(self) -> datetime | None: ...


class ReflectiveSessionLike(Protocol):
    @property
    def space(self) -> SpaceLike: ...
    @property
    def is_cancelled(self) -> bool: ...
    @property
    def has_started(self) -> bool: ...


class SessionSignupLike(Protocol):
    @property
    def user_id(self) -> int: ...
    @property
    def has_place(self) -> bool: ...
    @property
    def is_waiting(self) -> bool: ...


class ThreadLike(Protocol):
    @property
    def space(self) -> SpaceLike: ...
    @property
    def is_locked(self) -> bool: ...
    @property
    def is_published(self) -> bool: ...
    @property
    def slow_mode_minutes(self) -> int: ...
    def slow_mode_ends(self, last_reply_at: datetime | None) -> datetime | None: ...


class PostLike(Protocol):
    @property
    def author_id(self) -> int | None: ...
    @property
    def is_published(self) -> bool: ...
    @property
    def is_editable(self) -> bool: ...


class ReplyLike(PostLike, Protocol):
    @property
    def is_opening(self) -> bool: ...


class AnswerSpaceLike(SpaceLike, Protocol):
    @property
    def questions_and_answers(self) -> bool: ...


class AnswerThreadLike(Protocol):
    @property
    def space(self) -> AnswerSpaceLike: ...
    @property
    def author_id(self) -> int | None: ...
    @property
    def is_published(self) -> bool: ...


class ModuleLike(Protocol):
    @property
    def prerequisites_required(self) -> bool: ...


class PrerequisiteLike(Protocol):
    @property
    def is_completed(self) -> bool: ...


class Why(enum.StrEnum):
    """Why someone may not post or reply just now."""

    NOT_MEMBER = "not_member"
    SUSPENDED = "suspended"
    GUIDELINES = "guidelines"
    NOT_OPEN = "not_open"
    LOCKED = "locked"
    SLOW_MODE = "slow_mode"


def _when(moment: datetime, fmt: str) -> str:
    return date_format(timezone.localtime(moment), fmt)


@dataclass(frozen=True)
class Decision:
    """A rule's answer: ``allowed``; if not, ``why`` and, where it ends, ``wait_until``. When
    allowed only because the person facilitates, ``exempt_from`` names the rule they skip."""

    allowed: bool
    why: Why | None = None
    wait_until: datetime | None = None
    minutes: int = 0
    exempt_from: Why | None = None

    @classmethod
    def allow(cls, *, exempt_from: Why | None = None, minutes: int = 0) -> Decision:
        return cls(allowed=True, exempt_from=exempt_from, minutes=minutes)

    @classmethod
    def refuse(cls, why: Why, *, wait_until: datetime | None = None, minutes: int = 0) -> Decision:
        return cls(allowed=False, why=why, wait_until=wait_until, minutes=minutes)

    @property
    def needs_guidelines(self) -> bool:
        """Refused only until the person accepts the space's guidelines."""
        return self.why == Why.GUIDELINES

    @property
    def may_write(self) -> bool:
        """The reply form stays open: allowed, or only waiting for slow mode to let them send
        (so what they wrote is kept)."""
        return self.allowed or self.why == Why.SLOW_MODE

    @property
    def may_join(self) -> bool:
        """Refused because the person is not a member (joining is the way in)."""
        return self.why == Why.NOT_MEMBER

    @property
    def reason(self) -> str:
        """Why not, as a sentence for the person; empty when allowed."""
        if self.why is None:
            return ""
        if self.why == Why.SUSPENDED and self.wait_until is not None:
            return _("You cannot post in this space until %(when)s.") % {
                "when": _when(self.wait_until, "j F Y H:i")
            }
        if self.why == Why.SLOW_MODE and self.wait_until is not None:
            every = ngettext(
                "This thread is in slow mode: you can reply once every %(n)s minute.",
                "This thread is in slow mode: you can reply once every %(n)s minutes.",
                self.minutes,
            ) % {"n": self.minutes}
            again = _("You can reply again at %(when)s.") % {"when": _when(self.wait_until, "H:i")}
            return f"{every} {again}"
        return {
            Why.NOT_MEMBER: _("Join this space to post in it."),
            Why.SUSPENDED: _("You cannot post in this space just now."),
            Why.GUIDELINES: _("Read and accept the space’s guidelines before you post."),
            Why.NOT_OPEN: _("This thread is not open for replies."),
            Why.LOCKED: _("This thread is locked, so no new replies can be added."),
            Why.SLOW_MODE: _("This thread is in slow mode. Reply a little later."),
        }[self.why]

    @property
    def note(self) -> str:
        """For a facilitator, the rule they are exempt from, as a sentence; else empty."""
        if self.exempt_from == Why.LOCKED:
            return _(
                "This thread is locked. You can still reply because you facilitate this space."
            )
        if self.exempt_from == Why.SLOW_MODE:
            return _("Slow mode is on, but not for you: you facilitate this space.")
        return ""
