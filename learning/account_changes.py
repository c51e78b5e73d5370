"""Changes an administrator makes to someone else's account, in either admin (Wagtail's users
screens or the Django admin): never silent.

Every change to a person's email address, password, groups, staff or superuser flags, active
state or two-factor authenticators is written to the audit log (which fields changed, never a
value). A new email address set by an administrator does not take effect: the person's address
stays as it was, and the new address is sent allauth's verification email. Only when its owner
confirms it does it replace the old one (allauth's ``ACCOUNT_CHANGE_EMAIL``), so an
administrator cannot quietly point an account at an address they control and then reset its
password. The person is told at their current address every time, whatever their email
preference (a security message: ``notify(..., always_email=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from learning.middleware import client_ip
from learning.models import User
from learning.notify import notify
from learning.services import audit_record


@dataclass(frozen=True)
class AccountSnapshot:
    """What an admin screen can change that matters for who controls an account."""

    email: str
    password: str
    is_active: bool
    is_staff: bool
    is_superuser: bool
    group_ids: frozenset[int]
    authenticator_ids: frozenset[int]


def account_snapshot(user_id: int) -> AccountSnapshot:
    """Read the account as it is in the database now (three small queries, values only)."""
    # A filtered list, not .get(): the same snapshot is read before and after the admin
    # saves, a fixed pair per request.
    (row,) = User.objects.filter(pk=user_id).values(
        "email", "password", "is_active", "is_staff", "is_superuser"
    )
    return AccountSnapshot(
        **row,
        group_ids=frozenset(
            User.groups.through.objects.filter(user_id=user_id).values_list("group_id", flat=True)
        ),
        authenticator_ids=frozenset(
            Authenticator.objects.filter(user_id=user_id).values_list("pk", flat=True)
        ),
    )


def _changed(before: AccountSnapshot, after: AccountSnapshot) -> list[str]:
    changed = []
    for name in ("email", "password", "is_active", "is_staff", "is_superuser"):
        if getattr(before, name) != getattr(after, name):
            changed.append(name)
    if before.group_ids != after.group_ids:
        changed.append("groups")
    if not after.authenticator_ids >= before.authenticator_ids:
        changed.append("two_factor")
    return changed


@transaction.atomic
def account_admin_changes_record(
    *, actor: User, user_id: int, before: AccountSnapshot, request: HttpRequest | None
) -> list[str]:
    """Compare the account with ``before`` (taken before the admin saved), hold back an email
    change until its new owner verifies it, and audit each kind of change. Returns the names of
    what changed."""
    after = account_snapshot(user_id)
    changed = _changed(before, after)
    if not changed:
        return []
    (user,) = User.objects.select_for_update().filter(pk=user_id)
    ip_address = client_ip(request)
    data: dict = {"changed": changed}
    if "email" in changed:
        new_email = after.email
        User.objects.filter(pk=user_id).update(email=before.email)
        user.email = before.email
        if request is not None:
            EmailAddress.objects.add_new_email(request, user, new_email)
        data["email_held_for_verification"] = True
    if "groups" in changed:
        data["groups_added"] = sorted(after.group_ids - before.group_ids)
        data["groups_removed"] = sorted(before.group_ids - after.group_ids)
    if "is_active" in changed:
        data["is_active"] = after.is_active
    if "is_superuser" in changed:
        data["is_superuser"] = after.is_superuser
    if "two_factor" in changed:
        data["authenticators_removed"] = len(before.authenticator_ids - after.authenticator_ids)
    audit_record(
        action="account.changed_by_admin",
        actor=actor,
        target=user,
        ip_address=ip_address,
        data=data,
    )
    notify(
        recipient=user,
        kind="account.changed_by_admin",
        message=lambda: _message(changed),
        url=reverse("account_email") if "email" in changed else reverse("dashboard"),
        always_email=True,
    )
    return changed


_WHAT = {
    "email": _l(
        "a new email address was asked for (it changes only when the new address is confirmed)"
    ),
    "password": _l("your password was set"),
    "is_active": _l("your account was switched on or off"),
    "is_staff": _l("your access to the admin changed"),
    "is_superuser": _l("your administrator rights changed"),
    "groups": _l("your groups changed"),
    "two_factor": _l("two-factor authentication was removed"),
}


def _message(changed: list[str]) -> str:
    what = "; ".join(str(_WHAT[name]) for name in changed)
    return _(
        "An administrator changed your account: %(what)s. If you did not expect this, tell "
        "your organisation admin straight away."
    ) % {"what": what}
