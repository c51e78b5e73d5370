"""Resilience against real services. Each test starts and stops only what it starts itself: a
Redis server on a free port, Celery worker processes, the outbox relay process, a PostgreSQL
cluster in a temporary directory and a web server. The machine's own PostgreSQL (the test
database) and Redis are never stopped.

* A worker killed with SIGKILL in the middle of a task loses nothing and applies no effect twice.
* Redis down for 30 seconds: pages still serve (public ones, and signed-in ones from sessions
  kept in the database), sign-in is refused with a clear message,
  tasks enqueued meanwhile are kept and run within 60 seconds of Redis returning.
* PostgreSQL restarted: a generic 503 with no details while it is down; the running server
  recovers by itself within 10 seconds of it coming back.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from learning.models import AuditEvent, Notification, OutboxMessage
from learning.queue import enqueue_on_commit

from . import celery_probe
from .factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CELERY = str(Path(PYTHON).with_name("celery"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.25, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class OwnRedis:
    """A Redis server of our own on a free port, with nothing kept on disk."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self.answers, timeout=10, what="our Redis to start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def service_env(**extra: str) -> dict[str, str]:
    """Environment for a worker, relay or server process using the test database."""
    db = settings.DATABASES["default"]
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "learning.settings.dev",
        "DEBUG": "False",
        "DATABASE_URL": database_url,
        "HOPE_FIELD_ENCRYPTION_KEYS": settings.HOPE_FIELD_ENCRYPTION_KEYS[0],
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def start_worker(broker_url: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            *(CELERY, "-A", "learning", "worker", "--pool=solo", "--include=tests.celery_probe"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"),
        ],
        cwd=ROOT,
        env=service_env(
            REDIS_URL=broker_url, CELERY_VISIBILITY_TIMEOUT="3", CELERY_RESTORE_INTERVAL="1"
        ),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _reset_pools(app) -> None:
    """Forget every connection and producer pool (kombu keeps them in a global registry keyed
    by broker), so the next publish connects to whatever the configuration now names."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def publishing_to(broker_url: str):
    """Point the project's Celery app at a real broker for the length of the block."""
    from learning.celery import app

    saved = {
        k: app.conf[k]
        for k in ("broker_url", "task_always_eager", "broker_transport_options")
        if k in app.conf
    }
    app.conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        broker_transport_options={"visibility_timeout": 3, "socket_connect_timeout": 1},
        broker_connection_timeout=1,
    )
    _reset_pools(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        _reset_pools(app)


def probe_done(user) -> bool:
    return Notification.objects.filter(recipient=user, kind="test.probe").exists()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_loses_nothing_and_applies_nothing_twice(tmp_path):
    redis = OwnRedis()
    redis.start()
    log = tmp_path / "worker.log"
    first = start_worker(redis.url, log)
    second = None
    try:
        user = UserFactory()
        with publishing_to(redis.url), transaction.atomic():
            enqueue_on_commit(celery_probe.probe, user.pk, "killed", 6.0)
        assert OutboxMessage.objects.get().sent_at is not None
        started = AuditEvent.objects.filter(action="test.probe_started", actor=user)
        t0 = time.monotonic()
        wait_for(started.exists, timeout=60, what="the task to start")
        print(f"started after {time.monotonic() - t0:.1f} s")
        stop(first, signal.SIGKILL)  # mid-task: no ack was sent
        assert not probe_done(user)
        second = start_worker(redis.url, log)
        t1 = time.monotonic()
        wait_for(lambda: probe_done(user), timeout=60, what="the task to run again")
        print(f"delivered again and done after {time.monotonic() - t1:.1f} s")
        assert started.count() == 2  # delivered again...
        assert Notification.objects.filter(recipient=user, kind="test.probe").count() == 1
    except AssertionError:
        print(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        stop(first, signal.SIGKILL)
        if second is not None:
            stop(second)
        redis.stop()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_redis_down_for_30_seconds(tmp_path, home_page):
    redis = OwnRedis()
    redis.start()
    log = tmp_path / "services.log"
    worker = start_worker(redis.url, log)
    # The relay publishes only tasks it knows: this one imports the test's probe task too, as
    # the worker does with --include.
    relay = subprocess.Popen(
        [
            PYTHON,
            "-c",
            "import os, django; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'learning.settings.dev'); "
            "django.setup(); import tests.celery_probe; "
            "from django.core.management import call_command; "
            "call_command('outbox_relay', '--interval', '2')",
        ],
        cwd=ROOT,
        env=service_env(REDIS_URL=redis.url),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    cache = {
        "default": {
            "BACKEND": "learning.cache.ResilientRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        user = UserFactory()
        with publishing_to(redis.url), override_settings(CACHES=cache):
            from django.core.cache import caches

            caches["default"].close()
            redis.stop()
            down_at = time.monotonic()
            client = Client()
            assert client.get("/").status_code == 200  # needs no Redis
            assert client.get(reverse("accessibility")).status_code == 200
            signed_in = Client()
            signed_in.force_login(user)  # the session falls back to the database
            assert signed_in.get(reverse("dashboard")).status_code == 200
            refused = client.post(
                reverse("account_login"), {"login": user.email, "password": "whatever"}
            )
            assert refused.status_code == 503
            assert "Signing in is paused for a moment" in refused.content.decode()
            with transaction.atomic():
                enqueue_on_commit(celery_probe.probe, user.pk, "outage")
            waiting = OutboxMessage.objects.get(task_name=celery_probe.probe.name)
            assert waiting.sent_at is None  # kept, not lost
            time.sleep(max(0.0, 30 - (time.monotonic() - down_at)))
            assert not probe_done(user)
            redis.start()
            back_at = time.monotonic()
            done_at = wait_for(lambda: probe_done(user), timeout=60, what="the waiting task")
            print(f"ran {done_at - back_at:.1f} s after Redis returned")
            assert done_at - back_at < 60
            waiting.refresh_from_db()
            assert waiting.sent_at is not None
    except AssertionError:
        print(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        stop(relay)
        stop(worker)
        redis.stop()


def _initdb() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1] if found else shutil.which("initdb")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, OSError):
        return 0, ""  # not listening yet


@pytest.mark.postgres
def test_postgresql_restart_gives_a_503_then_recovers_by_itself(tmp_path):
    initdb = _initdb()
    assert initdb, "PostgreSQL's initdb is needed (Debian package postgresql)."
    bindir = Path(initdb).parent
    data = Path(tempfile.mkdtemp(prefix="hope-pg-"))
    pg_port, web_port = free_port(), free_port()
    run_as = {}
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(data, "postgres")
        run_as = {"user": "postgres"}
    pg_log = Path(tempfile.gettempdir()) / f"{data.name}.log"

    def pg_ctl(*args: str) -> None:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(pg_log), "-w", *args],
            check=True,
            capture_output=True,
            **run_as,
        )

    subprocess.run(
        [initdb, "-D", str(data), "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
        **run_as,
    )
    options = f"-p {pg_port} -k {data} -c listen_addresses=127.0.0.1"
    pg_ctl("-o", options, "start")
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{web_port}", "--noreload"],
        cwd=ROOT,
        env={
            **service_env(),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/postgres",
            "ALLOWED_HOSTS": "127.0.0.1",
        },
        stdout=(tmp_path / "web.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_for(lambda: _get(base + "/healthz")[0] == 200, timeout=30, what="the web server")
        pg_ctl("-m", "fast", "stop")
        status, body = _get(base + "/healthz")
        assert status == 503 and json.loads(body)["failing"] == ["database"]
        status, body = _get(base + "/")
        assert status == 503
        assert "Sorry, the service is unavailable for a moment" in body
        assert "Traceback" not in body and str(pg_port) not in body
        assert _get(base + "/accessibility/")[0] == 200  # needs no database
        pg_ctl("-o", options, "start")
        back_at = time.monotonic()
        recovered = wait_for(lambda: _get(base + "/healthz")[0] == 200, timeout=10, what="recovery")
        print(f"recovered {recovered - back_at:.1f} s after PostgreSQL returned")
    finally:
        stop(server)
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            **run_as,
        )
        shutil.rmtree(data, ignore_errors=True)
        pg_log.unlink(missing_ok=True)
