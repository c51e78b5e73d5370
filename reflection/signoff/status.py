"""What a sign-off status looks like on a page: the one place that turns a request's status, or
a journal entry's draft flag and latest shared version, into a tag (words and NHS.UK tag
colour). Templates show the tag they are given; none compares statuses itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reflection.signoff.models import SignOffRequest

Status = SignOffRequest.Status


@dataclass(frozen=True)
class Tag:
    label: str | Promise
    colour: str  # the NHS.UK tag modifier: "blue", "green", "orange", "yellow", "grey"

    @property
    def css(self) -> str:
        return f"nhsuk-tag nhsuk-tag--{self.colour}"


REQUEST_TAGS: dict[str, Tag] = {
    Status.PENDING: Tag(_("Waiting for sign-off"), "blue"),
    Status.REOPENED: Tag(_("Reopened"), "yellow"),
    Status.SIGNED_OFF: Tag(_("Signed off"), "green"),
    Status.RETURNED: Tag(_("Returned"), "orange"),
    Status.WITHDRAWN: Tag(_("Replaced by a newer version"), "grey"),
}

DRAFT = Tag(_("Draft"), "grey")
SHARED = Tag(_("Shared"), "blue")
SIGNED_OFF = Tag(_("Signed off"), "green")
RETURNED = Tag(_("Returned"), "orange")


def request_tag(status: str) -> Tag:
    """A shared version's tag."""
    return REQUEST_TAGS.get(status, Tag(str(status), "grey"))


def entry_tag(*, is_draft: bool, latest_status: str | None) -> Tag | None:
    """A journal entry's tag in the journal list: Draft, Shared (waiting for a decision),
    Signed off or Returned, from its latest shared version; none for a private reflection
    that has never been shared."""
    if is_draft:
        return DRAFT
    if latest_status in SignOffRequest.OPEN:
        return SHARED
    if latest_status == Status.SIGNED_OFF:
        return SIGNED_OFF
    if latest_status == Status.RETURNED:
        return RETURNED
    return None


def may_share_again(latest_status: str | None) -> bool:
    """Whether the entry page offers "Share the summary for sign-off": not while a shared
    version still waits for a decision (sharing again would replace it)."""
    return latest_status not in SignOffRequest.OPEN
