"""Shared fixtures and the service rules.

Tests marked ``postgres``, ``redis`` or ``browser`` need a real service. Where it is missing
they skip, and the summary names the skipped groups; with ``CI=true`` they fail instead, so a
green CI run always means they ran.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import os
import pkgutil
import shutil
import socket
import sys
import sysconfig
from functools import cache
from urllib.parse import urlparse

import factory.django
import pytest
import zeal.util
from celery import Task as CeleryTask
from celery import signals as celery_signals
from django.conf import settings
from django.test.client import ClientMixin
from treebeard.mp_tree import MP_Node
from wagtail.models import Page, Revision
from zeal import NPlusOneError, zeal_context, zeal_ignore
from zeal.listeners import NPlusOneListener, setup, teardown

from learning import permissions
from learning.models import Role

from . import factories
from .factories import MembershipFactory, OrganisationFactory, UserFactory

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


# --- N+1 queries fail the test -----------------------------------------------------------------
# django-zeal (INSTALLED_APPS and middleware in learning/settings/test.py) raises NPlusOneError
# when one line loads the same relation for two or more instances. Every test runs in its own
# zeal_context(), every request in its own (the middleware), every Celery task in its own (the
# signals below). Each detection is also recorded here, so an N+1 still fails the test when the
# code swallows the error (a broad ``except``) or raises it in the live server's thread.

# zeal names the first frame outside site-packages as the repeating line. Here the standard
# library is not under site-packages, so every function decorated with transaction.atomic was
# named as contextlib.py; the standard library and this file's wrappers are skipped too.
_STDLIB = sysconfig.get_paths()["stdlib"]
_original_is_internal_frame = zeal.util._is_internal_frame


def _is_internal_frame(filename: str) -> bool:
    return (
        _original_is_internal_frame(filename)
        or filename.startswith(_STDLIB)
        or filename == __file__
    )


zeal.util._is_internal_frame = _is_internal_frame

_NPLUSONE_DETECTIONS: list[str] = []


class _RecordedNPlusOneError(NPlusOneError):
    """The error zeal raises here: it notes itself before anything can catch it."""

    def __init__(self, message: str):
        super().__init__(message)
        _NPLUSONE_DETECTIONS.append(message)


NPlusOneListener.error_class = property(lambda self: _RecordedNPlusOneError)

# factory_boy builds test data, not a request path: its get_or_create and SubFactory queries
# repeat by design, so they run under zeal_ignore() (which counts them in a throwaway copy).
_original_generate = factory.django.DjangoModelFactory._generate.__func__


def _generate_ignoring_nplusone(cls, strategy, params):
    with zeal_ignore():
        return _original_generate(cls, strategy, params)


factory.django.DjangoModelFactory._generate = classmethod(_generate_ignoring_nplusone)

_TESTS_DIR = os.path.dirname(os.path.abspath(__file__))

# The data builders in tests/*factories.py create rows one at a time by design (an
# add_to_group() per person, a reply() per post through the real service, each of which is its own
# request in production): a builder call is test data, not a request path, so it runs under
# zeal_ignore() too. The services they call are checked by the tests of their own pages.
_BUILDER_MODULES = (
    "factories",
    "community_factories",
    "journal_factories",
    "module_factories",
    "report_factories",
    "supervision_factories",
)


def _ignoring_nplusone(function):
    @functools.wraps(function)
    def builder(*args, **kwargs):
        with zeal_ignore():
            return function(*args, **kwargs)

    return builder


# Signing the test client in is test set-up too (in production a sign-in is a request of its
# own, and that request is checked by the middleware).
ClientMixin.login = _ignoring_nplusone(ClientMixin.login)
ClientMixin.force_login = _ignoring_nplusone(ClientMixin.force_login)
ClientMixin.logout = _ignoring_nplusone(ClientMixin.logout)

# Wagtail's own page-tree writes (an editor adding, revising, publishing, moving or copying a
# page) look each parent, locale and revision up one at a time inside the library: a handful of
# queries per edit, never per row of a page a reader sees, and nothing of ours to fix.
for _owner, _method in (
    (MP_Node, "add_child"),
    (MP_Node, "add_sibling"),
    (Page, "save_revision"),
    (Page, "copy"),
    (Page, "move"),
    (Page, "unpublish"),
    (Revision, "publish"),
    (Revision, "as_object"),
):
    setattr(_owner, _method, _ignoring_nplusone(getattr(_owner, _method)))

for _name in _BUILDER_MODULES:
    _module = importlib.import_module(f"{__package__}.{_name}")
    for _attr, _value in list(vars(_module).items()):
        if inspect.isfunction(_value) and _value.__module__ == _module.__name__:
            setattr(_module, _attr, _ignoring_nplusone(_value))


# A test that calls app code directly (a service, a selector, a permission check) stands in for
# a request or a task, each of which has its own context in production. So a call made straight
# from a file in tests/ gets a fresh zeal_context(): two flag_create() calls in one test are two
# requests, not an N+1. Calls from app code to app code pass straight through, so a service called
# in a loop by a view or a task is still caught.
_APP_PACKAGES = ("learning", "modules", "reflection", "community")
_NOT_UNITS = {"migrations", "management", "settings", "wsgi", "asgi", "urls", "celery"}
# Functions registered by identity (hooks, receivers, views a URL resolves to) stay as they are.
_BY_IDENTITY = {
    "wagtail_hooks",
    "pagecache",
    "receivers",
    "admin",
    "admin_views",
    "apps",
    "templatetags",
    "context_processors",
    "middleware",
    "security",
    "adapters",
}
# One-off commands' code (the demo, curriculum and scale seeds, the benchmarks) builds data
# row by row once; it is not a request path, so it runs under zeal_ignore().
_ONE_OFF = {"demo", "seeding", "seed", "seed_curriculum", "seed_progress", "scale", "bench"}


def _own_context_when_called_from_a_test(function):
    @functools.wraps(function)
    def unit(*args, **kwargs):
        if sys._getframe(1).f_code.co_filename.startswith(_TESTS_DIR):
            with zeal_context():
                return function(*args, **kwargs)
        return function(*args, **kwargs)

    return unit


def _app_modules():
    root = os.path.dirname(_TESTS_DIR)
    for package in _APP_PACKAGES:
        for info in pkgutil.walk_packages([os.path.join(root, package)], prefix=f"{package}."):
            parts = set(info.name.split("."))
            if parts & (_NOT_UNITS | _BY_IDENTITY) or any(
                part.endswith("urls") or part.startswith("views") for part in parts
            ):
                continue
            yield importlib.import_module(info.name)


_UNITS: dict[object, object] = {}
for _module in list(_app_modules()):
    _one_off = bool(set(_module.__name__.split(".")) & _ONE_OFF)
    for _attr, _value in list(vars(_module).items()):
        if inspect.isfunction(_value) and _value.__module__.startswith(_APP_PACKAGES):
            if _value in _UNITS.values():
                continue
            if _value not in _UNITS:
                _UNITS[_value] = (
                    _ignoring_nplusone(_value)
                    if _one_off
                    else _own_context_when_called_from_a_test(_value)
                )
            setattr(_module, _attr, _UNITS[_value])

# The one-off management commands themselves.
for _command in (
    "learning.management.commands.seed_demo",
    "learning.management.commands.reports_benchmark",
    "learning.management.commands.bench",
    "learning.management.commands.seed_scale",
):
    _command_class = importlib.import_module(_command).Command
    _command_class.execute = _ignoring_nplusone(_command_class.execute)

# A test that calls a Celery task directly (not through .delay()) runs it as a worker would.
_original_task_call = CeleryTask.__call__


def _task_called_from_a_test(self, *args, **kwargs):
    # shared_task() hands out a proxy, so the caller is the first frame outside the libraries.
    if zeal.util.get_caller()[0].startswith(_TESTS_DIR):
        with zeal_context():
            return _original_task_call(self, *args, **kwargs)
    return _original_task_call(self, *args, **kwargs)


CeleryTask.__call__ = _task_called_from_a_test

# zeal also reports a .get() repeated at one line as an N+1. In test code that is a test fetching
# the rows it checks, or a helper building one module per call; such a repeat is not a request
# path. Relation N+1s in test code, and every repeat in app code, are still reported.
_original_notify = NPlusOneListener.notify


def _notify_unless_a_test_gets(self, model, field, instance_key):
    if field == "get()" and zeal.util.get_caller()[0].startswith(_TESTS_DIR):
        return None
    return _original_notify(self, model, field, instance_key)


NPlusOneListener.notify = _notify_unless_a_test_gets

_TASK_TOKENS: dict[str, object] = {}


@celery_signals.task_prerun.connect(weak=False)
def _zeal_task_start(task_id=None, **kwargs):
    _TASK_TOKENS[task_id] = setup()


@celery_signals.task_postrun.connect(weak=False)
def _zeal_task_end(task_id=None, **kwargs):
    token = _TASK_TOKENS.pop(task_id, None)
    if token is not None:
        # A token set in another context (a real worker's thread) has nothing to undo here.
        with contextlib.suppress(ValueError):
            teardown(token)


@pytest.fixture
def nplusone_detections():
    """The N+1 queries detected so far in this test; a test that causes one on purpose clears it."""
    return _NPLUSONE_DETECTIONS


@pytest.fixture(autouse=True)
def _no_nplusone_queries():
    _NPLUSONE_DETECTIONS.clear()
    with zeal_context():
        yield
    if _NPLUSONE_DETECTIONS:
        found = "\n".join(dict.fromkeys(_NPLUSONE_DETECTIONS))
        _NPLUSONE_DETECTIONS.clear()
        pytest.fail(f"N+1 queries were detected (some may have been caught by the code):\n{found}")


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
    editor = factories.add_to_group(UserFactory(), permissions.CONTENT_EDITORS)
    coordinator = factories.add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
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
    return factories.make_home_page()
