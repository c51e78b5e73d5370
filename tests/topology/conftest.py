"""The topology test needs the machine's PostgreSQL and Redis: without them it skips, and with
CI=true it fails (as tests/conftest.py does for the ``postgres`` and ``redis`` groups)."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

from tests.conftest import IN_CI

PG_URL = os.environ.get("HOPE_TOPOLOGY_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_BASE = os.environ.get("HOPE_TOPOLOGY_REDIS", "redis://127.0.0.1:6379")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _topology_services(request):
    if request.node.get_closest_marker("topology") is None:
        return
    for name, url in (("PostgreSQL", PG_URL), ("Redis", REDIS_BASE)):
        if not _reachable(url):
            message = f"the topology test needs {name} at {url}"
            if IN_CI:
                pytest.fail(f"CI=true and {message}.")
            pytest.skip(message)
