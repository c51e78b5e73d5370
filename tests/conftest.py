"""Shared fixtures and the service rules.

Tests marked ``postgres``, ``redis`` or ``browser`` need a real service. Where it is missing
they skip, and the summary names the skipped groups; with ``CI=true`` they fail instead, so a
green CI run always means they ran.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sys
import sysconfig
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pytest
import zeal.util
from celery import signals as celery_signals
from django.conf import settings
from zeal import zeal_context
from zeal.listeners import _nplusone_context, setup, teardown
from zeal.signals import nplusone_detected

from learning import permissions
from learning.models import Role

from . import factories
from .data_builders import SetUpClient
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
    """The browser the tests drive: ``CHROMIUM_PATH`` if set, else Debian's headless shell
    (package ``chromium-headless-shell``, built from the same source as ``chromium``: the
    same engine without the desktop browser around it, about a quarter less time for the
    browser tests on two cores), else Debian's ``chromium``."""
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
    )


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


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's test database set-up, except on in-memory SQLite: there every worker
    copies one migrated database instead of migrating its own (tests/db_template.py)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from .db_template import in_memory_sqlite, setup_from_template

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        # pytest's cache folder holds the template; without it (-p no:cacheprovider), migrate.
        cache = getattr(request.config, "cache", None)
        if (
            cache is not None
            and in_memory_sqlite()
            and django_db_use_migrations
            and not serialized_aliases
        ):
            config = setup_from_template(Path(cache.mkdir("migrated-sqlite")), verbosity)
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=django_db_keepdb and not django_db_createdb,
            )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=verbosity)


def _flushes(item) -> bool:
    """Whether pytest-django ends this test with a flush (its rule for a transactional test)."""
    marker = item.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )
    names = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: the database holds the migrated rows, plus the landing page
    if the test uses the ``home_page`` fixture (copied in, not built: tests/db_template.py)."""
    from pytest_django.plugin import blocking_manager_key

    from .db_template import start_from

    state = "home" if "home_page" in getattr(item, "fixturenames", ()) else "base"
    with item.config.stash[blocking_manager_key].unblock():
        start_from(state, factories.make_home_page)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put the migrated rows back for the next test."""
    yield
    if nextitem is not None and _flushes(item):
        from pytest_django.plugin import blocking_manager_key

        from .db_template import restore_base

        with item.config.stash[blocking_manager_key].unblock():
            restore_base()


# Kinds of notice the tests send themselves (notify refuses a kind no group has).
TEST_NOTICE_KINDS = ("test", "test.probe", "test.security", "test.waiting", "t", "x", "x.asks")


@pytest.fixture(autouse=True, scope="session")
def _test_notice_kinds():
    from learning.notify_groups import WAITING, notice_kind_register

    for kind in TEST_NOTICE_KINDS:
        notice_kind_register(kind, WAITING)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A request in Welsh activates Welsh for
    the thread it ran on (as every request activates its own language), so without this a
    later test's services and messages would speak Welsh."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (roles, filters and sessions are cached) and
    without the process's copies of pages: a rolled-back test's pages must not be served to
    the next one, whose content generation may read the same."""
    from django.core.cache import cache

    from learning import pagecache
    from learning.cache import local_memo_clear

    cache.clear()
    pagecache.clear_local()
    local_memo_clear()
    yield
    cache.clear()


# --- N+1 queries fail the test -----------------------------------------------------------------
# django-zeal (INSTALLED_APPS, middleware and ZEAL_ALLOWLIST in learning/settings/test.py) reports
# an N+1 when one line loads the same relation for two or more instances, or repeats a .get().
# The contexts it counts in, none of them made by wrapping app code:
# - every request has its own (the middleware), in the test client and the live server's threads;
# - every Celery task has its own (task_prerun/task_postrun below), eager or in a worker;
# - every test has one (the autouse fixture below) for what it calls directly: services,
#   selectors, permission checks, tasks called as functions.
# Test data is built under zeal_ignore(): the factories and builders in tests/*factories.py
# (tests/data_builders.py). What happens inside Wagtail's page-tree writes and the one-off
# seeding and benchmark commands is left out by the recorder below, as is a .get() repeated in
# test code.
# With ZEAL_RAISE off, zeal sends nplusone_detected for each detection instead of raising at the
# spot; it is recorded here, so an N+1 fails the test even where the code swallows errors or it
# happens in the live server's thread.

_NPLUSONE_DETECTIONS: list[str] = []


_TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_TESTS_DIR)
# Wagtail's own page-tree writes (an editor adding, revising, publishing, moving or copying a
# page) look each parent, locale and revision up one at a time inside the library: a handful of
# queries per edit, never per row of a page a reader sees, and nothing of ours to fix.
_WAGTAIL_TREE_WRITES = {
    "add_child",
    "add_sibling",
    "save_revision",
    "copy",
    "move",
    "unpublish",
    "publish",
    "as_object",
}
# Wagtail's index tasks (the search index and the reference index, run in the background for
# each object saved) fetch the saved object, and its parent, again by id: one object a task,
# inside the library, nothing of ours to fix. A service that saves a Wagtail document (a space's
# library upload) runs them.
_WAGTAIL_INDEX_TASKS = {"update_reference_index_task", "insert_or_update_object_task"}
# One-off commands (the demo, curriculum and scale seeds, the benchmarks) build data row by row
# once; they are not a request path. zeal is a test-only package, so production code cannot
# open zeal_ignore() itself: the recorder leaves out what happens inside these modules.
_ONE_OFF = {
    "demo",
    "seeding",
    "seed",
    "seed_curriculum",
    "seed_curriculum_cy",
    "seed_progress",
    "seed_demo",
    "install",
    "install_curriculum",
    "bootstrap",
    "seed_scale",
    "scale",
    "bench",
    "reports_benchmark",
}


def _not_a_request_path(frame) -> bool:
    """Whether the detection happened inside a Wagtail page-tree write or a one-off command
    (``frame`` is the innermost; the walk goes outwards)."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if frame.f_code.co_name in _WAGTAIL_TREE_WRITES and (
            f"{os.sep}wagtail{os.sep}" in filename or f"{os.sep}treebeard{os.sep}" in filename
        ):
            return True
        if frame.f_code.co_name in _WAGTAIL_INDEX_TASKS and (
            f"{os.sep}wagtail{os.sep}" in filename or f"{os.sep}modelsearch{os.sep}" in filename
        ):
            return True
        if filename.startswith(_ROOT) and not filename.startswith(_TESTS_DIR):
            parts = os.path.relpath(filename.removesuffix(".py"), _ROOT).split(os.sep)
            if _ONE_OFF.intersection(parts):
                return True
        frame = frame.f_back
    return False


def _calls_into_app_code(exception, filename: str, lineno: int) -> list[tuple]:
    """For each repeat zeal counted at this line, the chain of test-code frames it came from
    (ZEAL_SHOW_ALL_CALLERS keeps every call's stack)."""
    calls = []
    for (model, field, *where), stacks in _nplusone_context.get().calls.items():
        if where == [filename, lineno] and str(exception).endswith(
            f"{model._meta.app_label}.{model.__name__}.{field}"
        ):
            calls.extend(stacks)
    return [
        tuple(frame for frame in stack or () if frame[0].startswith(_TESTS_DIR)) for stack in calls
    ]


def _record_nplusone(sender, exception, **kwargs):
    """Notes the detection once, with the line that repeats (zeal's signal leaves it out)."""
    frame = sys._getframe(1)
    while frame is not None and (
        zeal.util._is_internal_frame(frame.f_code.co_filename)
        or frame.f_code.co_filename == __file__
    ):
        frame = frame.f_back
    if frame is None or _not_a_request_path(sys._getframe(1)):
        return
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    if filename.startswith(_TESTS_DIR):
        # A .get() repeated at one line of test code is a test fetching the rows it checks,
        # or a helper building one object per call. Relation N+1s in test code are reported.
        if str(exception).endswith(".get()"):
            return
    elif len(set(_calls_into_app_code(exception, filename, lineno))) > 1:
        # The repeats came into app code from different statements of the test: each stands
        # in for a request or a task of its own (two services called as two people), as
        # separate as two requests through the client. A service or selector that repeats
        # within one call, or is called in a loop by one line, is still reported.
        return
    found = f"{exception} at {filename}:{lineno}"
    if found not in _NPLUSONE_DETECTIONS:
        _NPLUSONE_DETECTIONS.append(found)


nplusone_detected.connect(_record_nplusone, weak=False, dispatch_uid="tests_record_nplusone")


@pytest.fixture(autouse=True, scope="session")
def _nplusone_names_our_line():
    """zeal names the first frame outside site-packages as the repeating line. The standard
    library is not under site-packages here, so a query made through it (a functools or
    contextlib frame) was named by the library's line; it is skipped too."""
    stdlib = sysconfig.get_paths()["stdlib"]
    original = zeal.util._is_internal_frame
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            zeal.util,
            "_is_internal_frame",
            lambda filename: original(filename) or filename.startswith(stdlib),
        )
        yield


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
def client():
    """pytest-django's client, signing in as set-up (tests/data_builders.py)."""
    return SetUpClient()


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
