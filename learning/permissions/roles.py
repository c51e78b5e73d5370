"""Who a person is, for the rulebook: their memberships of organisations and their platform
groups (``RoleSet``), worked out once a request and cached briefly, and the facts other apps know
about them (``role_fact_register``), cached and forgotten with the roles; with the questions
every rule starts from (whether someone is signed in, and their id). ``learning.permissions``
imports everything here; ask for it from there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from learning import request_memo
from learning.models import Membership, Organisation, Role, User

# Who a rule may be asked about: a signed-in person, an anonymous visitor, or nobody.
Person = User | AnonymousUser | None

CONTENT_EDITORS = "Content editors"
NATIONAL_COORDINATORS = "National coordinators"
PLATFORM_GROUPS = (CONTENT_EDITORS, NATIONAL_COORDINATORS)

PRIVILEGED_ROLES = frozenset({Role.SUPERVISOR, Role.FACILITATOR, Role.ORG_ADMIN})


def is_signed_in(user: Person) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _pk(user: Person) -> int | None:
    return user.pk if is_signed_in(user) else None


# --- Roles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleSet:
    """What one person is, worked out once per request (two queries at most)."""

    memberships: tuple[Membership, ...] = ()
    groups: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False
    user_id: int | None = None

    def fact(self, name: str) -> bool:
        """A fact about the person that another app knows (``role_fact_register``), such as
        "facilitates a space": read from the cache, else worked out once, and kept on this
        object for the rest of the request."""
        facts = self.__dict__.get("_facts")
        if facts is None:
            facts = role_facts_for_id(self.user_id) if self.user_id else frozenset()
            self.__dict__["_facts"] = facts
        return name in facts

    def roles_in(self, organisation: Organisation) -> set[str]:
        return {m.role for m in self.memberships if m.organisation_id == organisation.pk}

    def has_role(self, role: str) -> bool:
        return any(m.role == role for m in self.memberships)

    def organisations_with_role(self, role: str) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for m in self.memberships:
            if m.role == role:
                seen.setdefault(m.organisation_id, m.organisation)
        return list(seen.values())

    @property
    def organisations(self) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for m in self.memberships:
            seen.setdefault(m.organisation_id, m.organisation)
        return list(seen.values())

    def key(self) -> tuple:
        """Everything about the person a decision from this role set can depend on, as a
        hashable value: two people with the same key get the same header links."""
        facts = self.__dict__.get("_facts")
        if facts is None:
            self.fact("")  # reads the facts once, as any fact would
            facts = self.__dict__["_facts"]
        return (
            self.is_superuser,
            tuple(sorted(self.groups)),
            tuple(
                sorted((m.organisation_id, m.organisation.slug, m.role) for m in self.memberships)
            ),
            tuple(sorted(facts)),
        )

    @property
    def is_editor(self) -> bool:
        return CONTENT_EDITORS in self.groups

    @property
    def is_coordinator(self) -> bool:
        return NATIONAL_COORDINATORS in self.groups

    @property
    def is_privileged(self) -> bool:
        return (
            self.is_superuser
            or bool(self.groups & set(PLATFORM_GROUPS))
            or any(m.role in PRIVILEGED_ROLES for m in self.memberships)
        )


_CACHE_ATTR = "_hope_roles"
# Roles are read on every signed-in page, so they are cached (briefly, and dropped whenever a
# membership or group changes; see learning.receivers).
ROLES_CACHE_SECONDS = 300


def _roles_cache_key(user_id: int) -> str:
    return f"hope:roles:{user_id}:{timezone.localdate().isoformat()}"


def roles_for(user: Person) -> RoleSet:
    """The person's roles: from the request, else the cache, else two queries."""
    if not is_signed_in(user):
        return RoleSet()
    cached: RoleSet | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        key, facts_key = _roles_cache_key(user.pk), _facts_cache_key(user.pk)
        # Read with the person's row when the request signed them in from the cache
        # (``person_cache_keys``); otherwise read here, in one round trip: the header needs
        # the roles and the facts, and the other per-person values it shows
        # (``read_with_roles``) come along too.
        stored = request_memo.recall(key)
        if stored is not None:
            facts = request_memo.recall(facts_key)
            found = {} if facts is None else {facts_key: facts}
        else:
            extra = [key_for(user.pk) for key_for in _READ_WITH_ROLES]
            found = cache.get_many([key, facts_key, *extra])
            request_memo.keep({name: found.get(name) for name in extra})
            stored = found.get(key)
        if stored is None:
            memberships = tuple(
                Membership.objects.active().filter(user=user).select_related("organisation")
            )
            groups = frozenset(user.groups.values_list("name", flat=True))
            stored = (memberships, groups)
            cache.set(key, stored, ROLES_CACHE_SECONDS)
        memberships, groups = stored
        cached = RoleSet(
            memberships=memberships,
            groups=groups,
            is_superuser=user.is_superuser,
            user_id=user.pk,
        )
        if facts_key in found:
            cached.__dict__["_facts"] = found[facts_key]
        setattr(user, _CACHE_ATTR, cached)
    return cached


# Cache keys of other per-person values every signed-in page shows (the unread count), read in
# the roles' round trip and kept for the request (``learning.request_memo.recall``).
_READ_WITH_ROLES: list[Callable[[int], str]] = []


def read_with_roles(key_for: Callable[[int], str]) -> None:
    if key_for not in _READ_WITH_ROLES:
        _READ_WITH_ROLES.append(key_for)


def forget_roles(user: User) -> None:
    """Call after changing someone's roles."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    forget_roles_for_id(user.pk)


def forget_roles_for_id(user_id: int) -> None:
    for key in (_roles_cache_key(user_id), _facts_cache_key(user_id)):
        cache.delete(key)
        request_memo.forget(key)


def person_cache_keys(user_id: int) -> list[str]:
    """The cache keys of the per-person values every signed-in page reads: the roles, the
    facts and whatever ``read_with_roles`` registered. ``learning.user_cache`` reads them with
    the person's row, so a signed-in page makes one round trip for all of them."""
    return [
        _roles_cache_key(user_id),
        _facts_cache_key(user_id),
        *(key_for(user_id) for key_for in _READ_WITH_ROLES),
    ]


# --- Facts other apps know about a person ------------------------------------------------------
# The core imports no other app, so a role that lives in an app's own tables ("facilitates a
# space" is the community's) is registered here by that app's ``AppConfig.ready()``: a check
# taking the person's id and costing one query. The answers are cached per person like the roles
# and forgotten with them; the app calls ``forget_roles_for_id`` when the fact changes.

_ROLE_FACTS: dict[str, Callable[[int], bool]] = {}
FACILITATES = "facilitates"


def role_fact_register(name: str, check: Callable[[int], bool]) -> None:
    _ROLE_FACTS[name] = check


def _facts_cache_key(user_id: int) -> str:
    return f"hope:facts:{user_id}:{timezone.localdate().isoformat()}"


def role_facts_for_id(user_id: int) -> frozenset[str]:
    """The registered facts true of this person: from the cache, else one query per fact."""
    key = _facts_cache_key(user_id)
    stored = cache.get(key)
    if stored is None:
        stored = frozenset(name for name, check in _ROLE_FACTS.items() if check(user_id))
        cache.set(key, stored, ROLES_CACHE_SECONDS)
    return stored
