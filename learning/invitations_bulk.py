"""Inviting several colleagues at once: an organisation admin pastes addresses (one a line, or
separated by commas or semicolons) or uploads a CSV file, and chooses one role for them all.

Each address is checked (its format, whether it was listed twice, whether the person already
has the role, whether an invitation is already waiting) and each one that passes is sent
through the one invitation service (``learning.services.invitation_create``), one call per
address in a transaction of its own, so one refusal never undoes the others. Sending is rate
limited per admin (``HOPE_RATE_LIMITS["invite"]``). The result is a line per address saying
what happened."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from learning import permissions
from learning.models import Invitation, Membership, Organisation, User

MAX_ADDRESSES = 200  # in one go; more is a sign of the wrong file
MAX_FILE_BYTES = 512 * 1024
_SEPARATORS = re.compile(r"[\s,;]+")


class Outcome:
    INVITED = "invited"
    INVALID = "invalid"
    REPEATED = "repeated"
    MEMBER = "member"
    WAITING = "waiting"
    REFUSED = "refused"
    LATER = "later"


@dataclass(frozen=True)
class AddressResult:
    email: str
    outcome: str
    message: str

    @property
    def sent(self) -> bool:
        return self.outcome == Outcome.INVITED

    @property
    def to_retry(self) -> bool:
        """Worth correcting or sending again (kept in the form): a typing mistake, or an
        address left until the rate limit allows it."""
        return self.outcome in (Outcome.INVALID, Outcome.LATER, Outcome.REFUSED)


def addresses_from_text(text: str) -> list[str]:
    """The addresses in pasted text, in order, as typed (one a line, or separated by commas,
    semicolons or spaces). "Name <name@nhs.net>" gives the address inside the brackets."""
    text = re.sub(r"[^<>,;\n]*<([^<>]*)>", r"\1", text or "")
    return [part for part in _SEPARATORS.split(text) if part]


def addresses_from_csv(data: bytes) -> list[str]:
    """The addresses in a CSV file: every cell with an "@" in it (a header row such as "Email"
    and columns of names are left out)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file could not be read. Save it as a CSV file (UTF-8) and upload it again.")
        ) from exc
    found: list[str] = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            found += [part for part in addresses_from_text(cell) if "@" in part]
    return found


def invitations_bulk_create(
    *,
    actor: User,
    organisation: Organisation,
    addresses: list[str],
    role: str,
    allowed: Callable[[], str | None] = lambda: None,
) -> list[AddressResult]:
    """Check each address and invite those that pass, one ``invitation_create`` call each.
    ``allowed`` is asked before each invitation and returns a sentence if the admin must wait
    (the rate limit): that address and the rest are reported as not sent yet."""
    from learning.services import invitation_create

    if not permissions.can_invite_with_role(actor, organisation, role):
        raise PermissionDenied
    if len(addresses) > MAX_ADDRESSES:
        raise ValidationError(
            _("Invite up to %(n)s people at a time. Split the list and send the rest after.")
            % {"n": MAX_ADDRESSES}
        )
    wanted = {a.strip().lower() for a in addresses}
    members = set(
        Membership.objects.active()
        .filter(organisation=organisation, role=role, user__email__in=wanted)
        .values_list("user__email", flat=True)
    )
    members = {email.lower() for email in members}
    waiting = set(
        Invitation.objects.filter(
            organisation=organisation,
            role=role,
            email__in=wanted,
            accepted_at=None,
            revoked_at=None,
        ).values_list("email", flat=True)
    )
    results: list[AddressResult] = []
    seen: set[str] = set()
    wait: str | None = None
    for raw in addresses:
        email = raw.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            results.append(
                AddressResult(
                    raw,
                    Outcome.INVALID,
                    _("Not sent: this is not an email address. Check it and try again."),
                )
            )
            continue
        if email in seen:
            results.append(
                AddressResult(email, Outcome.REPEATED, _("Not sent again: listed more than once."))
            )
            continue
        seen.add(email)
        if email in members:
            results.append(
                AddressResult(
                    email, Outcome.MEMBER, _("Not sent: already a member with this role.")
                )
            )
            continue
        if email in waiting:
            results.append(
                AddressResult(
                    email, Outcome.WAITING, _("Not sent: an invitation is already waiting.")
                )
            )
            continue
        wait = wait or allowed()
        if wait:
            results.append(AddressResult(email, Outcome.LATER, _("Not sent yet.") + " " + wait))
            continue
        try:
            with transaction.atomic():
                invitation_create(actor=actor, organisation=organisation, email=email, role=role)
        except ValidationError as exc:
            results.append(
                AddressResult(email, Outcome.REFUSED, _("Not sent.") + " " + exc.messages[0])
            )
        else:
            results.append(AddressResult(email, Outcome.INVITED, _("Invitation sent.")))
    return results
