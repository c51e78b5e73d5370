"""The bench's surroundings: its database, the environments of the seeding and serving
processes, the gunicorn server and the Django subprocesses that run inprocess.py."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
OUT_DIR = BASE_DIR / "var" / "bench"
# A fixed, published key for bench databases only: seeding and serving share it.
BENCH_KEY = "YmVuY2gtb25seS1ob2xkaW5nLWhvcGUta2V5LTEyMzQ="
REDIS_URL = "redis://127.0.0.1:6379/13"
ALLOWED_HOSTS = "127.0.0.1,localhost,testserver,wagtail-floor.bench"
DROPPED_PREFIXES = ("HOPE_", "DJANGO_", "CELERY_", "DATABASE_URL", "REDIS_URL", "CACHE_URL")


def scale_label(scale: str) -> str:
    value = float(scale)
    if value <= 0:
        raise ValueError("The scale must be a positive number, for example 1 or 0.1.")
    return str(int(value)) if value == int(value) else f"{value:g}"


def database_name(scale: str) -> str:
    return "holdinghope_bench_s" + scale_label(scale).replace(".", "_")


def server_url(environ: dict | None = None) -> dict:
    """Host, port, user and password of the local PostgreSQL (from DATABASE_URL if it points
    at PostgreSQL, else 127.0.0.1:5432 as postgres)."""
    url = (environ if environ is not None else os.environ).get("DATABASE_URL", "")
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        return {
            "host": parsed.hostname or "127.0.0.1",
            "port": parsed.port or 5432,
            "user": parsed.username or "postgres",
            "password": parsed.password or "",
        }
    return {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": ""}


def database_url(server: dict, name: str) -> str:
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{name}"


def ensure_database(server: dict, name: str) -> bool:
    """Create the database if it is missing; True if it was created."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def _base_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(DROPPED_PREFIXES)}


def seeding_env(db_url: str) -> dict:
    env = _base_env()
    env.update(
        DJANGO_SETTINGS_MODULE="learning.settings.dev",
        DATABASE_URL=db_url,
        HOPE_FIELD_ENCRYPTION_KEYS=BENCH_KEY,
        DEBUG="false",
    )
    return env


def serving_env(db_url: str, static_root: Path, redis_url: str = REDIS_URL) -> dict:
    """The bench server's environment; one per run (the secret key signs the sessions)."""
    env = _base_env()
    env.update(
        DJANGO_SETTINGS_MODULE="learning.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        ALLOWED_HOSTS=ALLOWED_HOSTS,
        HOPE_FIELD_ENCRYPTION_KEYS=BENCH_KEY,
        HOPE_BENCH_URLS="1",
        HOPE_BENCH_STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(args: list[str], env: dict, *, quiet: bool = False) -> None:
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    result = subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        command,
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = (result.stdout or "")[-3000:] if quiet else ""
        raise RuntimeError(
            f"'manage.py {' '.join(args)}' failed with exit status {result.returncode}.\n{tail}"
        )


def internal(action: str, env: dict, payload: dict) -> dict:
    """Run one inprocess.py action in a Django subprocess with ``env``; returns its JSON."""
    with tempfile.TemporaryDirectory(prefix="hope-bench-") as tmp:
        source, target = Path(tmp) / "in.json", Path(tmp) / "out.json"
        source.write_text(json.dumps(payload), encoding="utf-8")
        manage(
            [
                "bench",
                "--internal",
                action,
                "--internal-in",
                str(source),
                "--internal-out",
                str(target),
            ],
            env,
            quiet=True,
        )
        return json.loads(target.read_text(encoding="utf-8"))


def static_up_to_date(static_root: Path) -> bool:
    """True when the collected files are newer than every source file of the project (its
    static/ folder, NHS.UK frontend and the locked Python packages)."""
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return False
    collected_at = manifest.stat().st_mtime
    sources = [BASE_DIR / "static", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist"]
    newest = (BASE_DIR / "requirements.lock").stat().st_mtime
    for folder in sources:
        for path in folder.rglob("*"):
            newest = max(newest, path.stat().st_mtime)
    return newest < collected_at


def flush_redis(url: str = REDIS_URL) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with ``workers`` sync workers on a free loopback port."""

    def __init__(self, env: dict, *, workers: int, log: Path):
        self.port = free_port()
        self.workers = workers
        self.log = log
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.handle = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(  # noqa: S603  (the venv's gunicorn)
            [
                str(gunicorn),
                "learning.wsgi",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=BASE_DIR,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def worker_pids(self) -> list[int]:
        from learning.bench.procstat import children_of

        return sorted(children_of(self.process.pid))

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn stopped with exit status {self.process.returncode}; see {self.log}."
                )
            if len(self.worker_pids()) >= self.workers:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start within {timeout:.0f} seconds; see {self.log}.")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.handle.close()
