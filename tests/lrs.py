"""A real learning record store for the xAPI tests: Ralph (the ``ralph-malph`` package) run on
loopback, installed into its own virtual environment (``var/lrs-venv``, git-ignored) so that
its pinned dependencies never touch the project's lock.

``ralph_lrs`` (session scope) creates the environment if it is missing, writes a credentials
file with ``ralph auth``, starts the server with the file-system backend on a free port, waits
until it answers and stops it, by its process id, at the end. With ``CI=true`` a failure to
install or start fails the tests; otherwise they are skipped with the reason.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("HOPE_LRS_VENV", ROOT / "var" / "lrs-venv"))
# Ralph's API imports requests (for OpenID Connect) without its extras installing it.
PACKAGES = ["ralph-malph[cli,lrs]", "requests"]
STAMP = VENV / "hope-installed.txt"
USERNAME, PASSWORD = "hope-tests", "lrs-test-password"


@dataclass(frozen=True)
class Lrs:
    endpoint: str  # …/xAPI/
    username: str
    password: str

    def statements(self, **params) -> list[dict]:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        request = urllib.request.Request(f"{self.endpoint}statements?{query}")  # noqa: S310
        pair = f"{self.username}:{self.password}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode())
        request.add_header("X-Experience-API-Version", "1.0.3")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.loads(response.read())["statements"]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true and the learning record store cannot run: {reason}")
    pytest.skip(f"learning record store unavailable: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _install() -> str | None:
    python = VENV / "bin" / "python"
    if STAMP.exists() and STAMP.read_text() == " ".join(PACKAGES):
        return None
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *PACKAGES],
            check=True,
            timeout=900,
            capture_output=True,
        )
        STAMP.write_text(" ".join(PACKAGES))
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        tail = detail.decode(errors="replace")[-500:]
        return f"installing {' '.join(PACKAGES)} failed: {exc} {tail}"
    return None


@pytest.fixture(scope="session")
def ralph_lrs(tmp_path_factory):
    problem = _install()
    if problem:
        _unavailable(problem)
    home = tmp_path_factory.mktemp("lrs")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("RALPH_", "DJANGO_"))},
        "RALPH_APP_DIR": str(home),
        "RALPH_AUTH_FILE": str(home / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home),
        "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(home),
    }
    auth = subprocess.run(
        [
            str(VENV / "bin" / "ralph"),
            "auth",
            "--write-to-disk",
            "--username",
            USERNAME,
            "--password",
            PASSWORD,
            "--scope",
            "all",
            "--agent-ifi-account",
            "hope-tests",
            "http://127.0.0.1",
        ],
        cwd=home,
        env=env,
        capture_output=True,
        timeout=120,
    )
    if auth.returncode != 0:
        _unavailable(f"ralph auth failed: {auth.stderr.decode(errors='replace')[-500:]}")
    port = _free_port()
    log = (home / "ralph.log").open("wb")
    process = subprocess.Popen(
        [
            str(VENV / "bin" / "python"),
            "-m",
            "uvicorn",
            "ralph.api:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        cwd=home,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    lrs = Lrs(f"http://127.0.0.1:{port}/xAPI/", USERNAME, PASSWORD)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                lrs.statements(limit=1)
                break
            except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    output = (home / "ralph.log").read_text(errors="replace")[-1500:]
                    _unavailable(f"ralph did not start ({exc}): {output}")
                time.sleep(0.5)
        yield lrs
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
