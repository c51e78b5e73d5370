"""Several machines, run for real: two web nodes (gunicorn, production settings, separate
working directories, no shared disk), a Celery worker, two beats, the outbox relay, PostgreSQL
(database hh_topology), Redis (db 11) and an S3-compatible store (moto's server), all on
loopback. ``make topology`` runs it; CI runs it with the rest of the suite.

It shows that a certificate and a data download built by the worker are downloadable from
either web node, a session started on one node works on the other, a publish invalidates the
public page cache on every node, and with two beats each job runs once a period, the second
beat taking over within a minute when the first is lost.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import sys
import time

import pytest

from learning.bench.server import static_up_to_date

from .conftest import PG_URL, REDIS_BASE
from .nodes import BASE_DIR, BIN, Processes, free_port, run, wait_for_port
from .probe import TICKS_KEY

pytestmark = [pytest.mark.topology, pytest.mark.slow]

DATABASE = "hh_topology"
REDIS_URL = f"{REDIS_BASE}/11"
BUCKET = "hope-topology"
TICK = 3.0
FERNET_KEY = "dG9wb2xvZ3ktb25seS1ob2xkaW5nLWhvcGUta2V5LTA="


def _fresh_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


class Web:
    """A web node seen from outside: a requests session per person, over plain HTTP on
    loopback, telling Django the proxy in front spoke HTTPS (so secure cookies are sent)."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"

    def get(self, session, path: str, **kwargs):
        return session.get(
            self.base + path,
            headers={"X-Forwarded-Proto": "https"},
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )

    def post(self, session, path: str, data: dict):
        token = session.cookies.get("__Secure-csrftoken")
        return session.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={
                "X-Forwarded-Proto": "https",
                "Referer": self.origin + path,
                "Origin": self.origin,
            },
            allow_redirects=False,
            timeout=30,
        )


def _browser():
    """A requests session that sends the __Secure- cookies over loopback HTTP (the node
    believes the proxy's X-Forwarded-Proto)."""
    import requests
    from requests.cookies import RequestsCookieJar

    class LoopbackJar(RequestsCookieJar):
        def set_cookie(self, cookie, *args, **kwargs):
            cookie.secure = False
            return super().set_cookie(cookie, *args, **kwargs)

    session = requests.Session()
    session.cookies = LoopbackJar()
    return session


def _wait(condition, timeout: float, what: str, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _ticks(redis_client) -> list[float]:
    return [float(v) for v in redis_client.lrange(TICKS_KEY, 0, -1)]


def _sends(log) -> int:
    return len(re.findall(r"Sending due task topology-tick", log.read_text()))


def test_two_web_nodes_a_worker_and_two_beats_share_everything_but_a_disk(tmp_path):
    import boto3
    import redis

    processes = Processes(tmp_path)
    try:
        # --- the services: PostgreSQL, Redis, the object store -----------------------------
        _fresh_database()
        redis_client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        redis_client.flushdb()
        s3_port = free_port()
        s3, s3_log = processes.start(
            "s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], {}
        )
        wait_for_port(s3_port, s3, s3_log)
        endpoint = f"http://127.0.0.1:{s3_port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=BUCKET)

        ports = [free_port(), free_port()]
        env = {
            "PATH": f"{BIN}:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "learning.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": f"{PG_URL}/{DATABASE}",
            "REDIS_URL": REDIS_URL,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": ",".join(f"https://127.0.0.1:{p}" for p in ports),
            "HOPE_FIELD_ENCRYPTION_KEYS": FERNET_KEY,
            "HOPE_REQUIRE_MFA_FOR_PRIVILEGED": "false",
            "SECURE_SSL_REDIRECT": "false",
            "EMAIL_URL": "consolemail://",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "CELERY_BEAT_LOCK_TIMEOUT": "6",
            "HOPE_TOPOLOGY_TICK_SECONDS": str(TICK),
            "LOG_LEVEL": "INFO",
        }
        python = sys.executable
        began = time.monotonic()
        run([python, "manage.py", "migrate", "--no-input", "-v0"], env)
        migrated = time.monotonic()
        if not static_up_to_date(BASE_DIR / "static_collected"):
            run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        print(f"migrate {migrated - began:.0f} s, static {time.monotonic() - migrated:.0f} s")
        world = json.loads(run([python, "-m", "tests.topology.world", "setup"], env))

        # --- the machines -----------------------------------------------------------------
        webs = []
        for i, port in enumerate(ports):
            process, log = processes.start(
                f"web{i + 1}",
                [
                    str(BIN / "gunicorn"),
                    "learning.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "60",
                ],
                env,
            )
            webs.append((process, log, port))
        processes.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "learning",
                "worker",
                "--concurrency=1",
                "--loglevel=INFO",
                "--include=tests.topology.probe",
            ],
            env,
        )
        processes.start("relay", [python, str(BASE_DIR / "manage.py"), "outbox_relay"], env)
        beat_env = {**env, "DJANGO_SETTINGS_MODULE": "tests.topology.beat_settings"}
        beats = [
            processes.start(
                f"beat{i}",
                [str(BIN / "celery"), "-A", "learning", "beat", "--loglevel=INFO"],
                beat_env,
            )
            for i in (1, 2)
        ]
        for process, log, port in webs:
            wait_for_port(port, process, log)
        web_a, web_b = Web(ports[0]), Web(ports[1])

        # --- a session started on one node works on the other ------------------------------
        person = _browser()
        web_a.get(person, "/accounts/login/")
        signed_in = web_a.post(
            person, "/accounts/login/", {"login": world["email"], "password": world["password"]}
        )
        assert signed_in.status_code == 302, signed_in.text[-2000:]
        assert web_b.get(person, "/dashboard/").status_code == 200

        # --- a certificate built by the worker, from either node ---------------------------
        path = f"/learning/certificates/{world['certificate_code']}/download/"

        def certificate_ready():
            response = web_b.get(person, path)
            return response if response.status_code == 200 else None

        pdf = _wait(certificate_ready, 60, "the worker's certificate")
        assert pdf.content.startswith(b"%PDF")
        assert web_a.get(person, path).content == pdf.content

        # --- a data download built by the worker, from either node -------------------------
        web_b.get(person, "/account/data/")
        asked = web_b.post(person, "/account/data/download/", {})
        if asked.headers.get("Location", "").startswith("/accounts/reauthenticate/"):
            # Asking for a download needs the password again; typed on the other node.
            web_a.get(person, asked.headers["Location"])
            again = web_a.post(person, "/accounts/reauthenticate/", {"password": world["password"]})
            assert again.status_code == 302, again.text[-2000:]
            asked = web_b.post(person, "/account/data/download/", {})
        assert asked.status_code == 302, asked.text[-2000:]
        detail = asked.headers["Location"]
        assert re.fullmatch(r"/account/data/download/\d+/", detail), detail
        file_path = detail.rstrip("/") + "/file/"

        def download_ready():
            response = web_a.get(person, file_path)
            return response if response.status_code == 200 else None

        download = _wait(download_ready, 60, "the worker's data download")
        assert download.content[:2] == b"PK"
        assert web_b.get(person, file_path).content == download.content

        # --- a publish on one invalidates the public page cache on the other ---------------
        reader = _browser()
        first = web_b.get(reader, world["module_url"])
        assert "Working across machines" in first.text
        run(
            [python, "-m", "tests.topology.world", "publish", str(world["module_id"]), "Renamed"],
            env,
        )
        assert "Renamed" in web_b.get(reader, world["module_url"]).text

        # --- two beats: each run once a period, and the second takes over -----------------
        _wait(lambda: len(_ticks(redis_client)) >= 4, 60, "four scheduled runs")
        start = time.time()
        time.sleep(4 * TICK)
        window = [t for t in _ticks(redis_client) if t >= start]
        assert len(window) <= 5, window  # four periods: never twice a period
        gaps = [b - a for a, b in itertools.pairwise(window)]
        assert all(gap > TICK / 2 for gap in gaps), gaps
        holders = [(p, log) for p, log in beats if _sends(log) > 0]
        assert len(holders) == 1, [log.read_text()[-1500:] for _p, log in beats]
        holder, _holder_log = holders[0]
        other_log = next(log for p, log in beats if p is not holder)
        processes.kill(holder)
        lost_at = time.time()
        _wait(lambda: _sends(other_log) > 0, 60, "the other beat taking over")
        _wait(
            lambda: [t for t in _ticks(redis_client) if t > lost_at],
            60,
            "a scheduled run after the takeover",
        )
        assert time.time() - lost_at < 60
    finally:
        processes.stop_all()
