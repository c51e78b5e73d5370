"""Shared fixtures and the service rules.

Tests marked ``postgres``, ``redis`` or ``browser`` need a real service. Where it is missing
they skip, and the summary names the skipped groups; with ``CI=true`` they fail instead, so a
green CI run always means they ran.
"""

from __future__ import annotations

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest
from django.conf import settings

from learning import permissions
from learning.models import Role

from .factories import MembershipFactory, OrganisationFactory, UserFactory, add_to_group

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@cache
def service_problem(group: str) -> str | None:
    """Why ``group``'s service is not usable here, or None if it is."""
    if group == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "DATABASE_URL does not point at PostgreSQL"
        return None
    if group == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return "REDIS_URL is not set"
        if not _reachable(url, 6379):
            return f"Redis at {url} is not reachable"
        return None
    if group == "browser":
        if not chromium_path():
            return "chromium is not installed"
        return None
    return None


_SKIPPED_GROUPS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _require_services(request):
    for group in ("postgres", "redis", "browser"):
        if request.node.get_closest_marker(group) is None:
            continue
        problem = service_problem(group)
        if problem:
            if IN_CI:
                pytest.fail(f"CI=true and the {group} tests cannot run: {problem}.")
            _SKIPPED_GROUPS[group] = problem
            pytest.skip(f"{group} group skipped: {problem}")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _SKIPPED_GROUPS:
        terminalreporter.section("service groups skipped")
        for group, problem in sorted(_SKIPPED_GROUPS.items()):
            terminalreporter.write_line(f"{group}: skipped because {problem}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (roles, filters and sessions are cached)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- People in every role -------------------------------------------------------------------

ROLE_NAMES = (
    "anonymous",
    "practitioner",
    "supervisor",
    "facilitator",
    "org_admin",
    "editor",
    "coordinator",
    "deactivated",
    "superuser",
)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(slug="home-org", name="Home MMHS")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(slug="other-org", name="Other Children's Services")


@pytest.fixture
def people(organisation):
    """One person for each role, all in ``organisation`` where a role is organisational."""
    practitioner = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    supervisor = MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user
    facilitator = MembershipFactory(organisation=organisation, role=Role.FACILITATOR).user
    org_admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    editor = add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    coordinator = add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
    deactivated = MembershipFactory(
        organisation=organisation, role=Role.PRACTITIONER, user__is_active=False
    ).user
    superuser = UserFactory(is_superuser=True, is_staff=True)
    return {
        "anonymous": None,
        "practitioner": practitioner,
        "supervisor": supervisor,
        "facilitator": facilitator,
        "org_admin": org_admin,
        "editor": editor,
        "coordinator": coordinator,
        "deactivated": deactivated,
        "superuser": superuser,
    }


@pytest.fixture
def home_page(db):
    from .factories import make_home_page

    return make_home_page()
