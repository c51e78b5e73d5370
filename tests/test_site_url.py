"""One base URL: every email, export and feed builds its links with
``learning.site_url.absolute_url``. In development the base follows the server serving the
request (or ``PORT`` outside one); in production it is ``HOPE_BASE_URL``. A scan of the code
fails on any other way of building an absolute URL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from learning.site_url import absolute_url, base_url

from .factories import UserFactory

ROOT = Path(settings.BASE_DIR)
APPS = ("learning", "modules", "community", "reflection")


def test_absolute_url_joins_the_setting_and_a_path():
    with override_settings(HOPE_BASE_URL="https://hope.example/"):
        assert base_url() == "https://hope.example"
        assert absolute_url("/certificates/ABC/") == "https://hope.example/certificates/ABC/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_request", "expected"),
    [(True, "http://127.0.0.1:8201/"), (False, "http://testserver/")],
)
def test_an_email_sent_while_serving_a_request_links_to_that_server_in_development(
    client, from_request, expected
):
    UserFactory(email="reset@example.nhs.uk")
    with override_settings(HOPE_BASE_URL_FROM_REQUEST=from_request):
        client.post(
            reverse("account_reset_password"),
            {"email": "reset@example.nhs.uk"},
            HTTP_HOST="127.0.0.1:8201",
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    links = re.findall(r"https?://\S+", body)
    assert links and all(link.startswith(expected) for link in links), body


@pytest.mark.django_db
def test_the_calendar_feed_link_uses_the_base_url(client):
    user = UserFactory()
    client.force_login(user)
    with override_settings(HOPE_BASE_URL="https://hope.example", HOPE_BASE_URL_FROM_REQUEST=False):
        response = client.post(reverse("supervision_calendar_settings"), {"action": "make"})
    assert b"https://hope.example/supervision/calendar.ics?token=" in response.content


def _settings_value(module: str, env: dict[str, str], name: str) -> str:
    # Reading a setting imports the settings module only; the apps need not load for it.
    code = f"from django.conf import settings; print(settings.{name})"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOPE_", "WAGTAIL"))}
    clean.pop("PORT", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_development_builds_the_base_url_from_port():
    """``PORT=8201 make run``: make passes PORT to the server's environment, and links
    written outside a request (a worker, a command) use that port."""
    assert _settings_value("learning.settings.dev", {"PORT": "8201"}, "HOPE_BASE_URL") == (
        "http://127.0.0.1:8201"
    )
    assert _settings_value("learning.settings.dev", {}, "HOPE_BASE_URL_FROM_REQUEST") == "True"
    named = {"HOPE_BASE_URL": "https://hope.example"}
    assert _settings_value("learning.settings.dev", named, "HOPE_BASE_URL_FROM_REQUEST") == (
        "False"
    )


# What builds an absolute URL any other way: the base setting read directly, the request's own
# host, or a scheme glued to a variable.
FORBIDDEN = re.compile(
    r"WAGTAILADMIN_BASE_URL|HOPE_BASE_URL|build_absolute_uri|get_host\(|request\.scheme"
    r"|[\"']https?://[\"']|f[\"']https?://\{|[\"']https?://[\"']\s*\+|current_site\.domain"
    r"|request\.get_host"
)
# Each exception, and why it is not a link.
ALLOWED = {
    "learning/site_url.py": "the one function",
    "learning/pagecache.py": "the request's host is part of a cache key, not a link",
    "learning/settings/base.py": "defines the setting",
    "learning/settings/dev.py": "defines the setting",
    "learning/settings/production.py": "defines the setting",
    "learning/settings/test.py": "defines the setting",
    "learning/content_policy.py": "storage hosts for the Content Security Policy, not our links",
    "modules/pages/embeds.py": "the video provider's embed host",
    "learning/bench/locustfile.py": (
        "the load generator's Origin header for the server under test, not a link"
    ),
    "modules/scorm/views.py": (
        "the origin a package file was asked at, for its Content Security Policy and the "
        "frame's message bridge, not a link"
    ),
}


def test_no_code_builds_an_absolute_url_another_way():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if FORBIDDEN.search(line):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix in {".html", ".txt"}:
            text = path.read_text(encoding="utf-8")
            if FORBIDDEN.search(text) or "site_domain" in text:
                offenders.append(path.relative_to(ROOT).as_posix())
    assert not offenders, "build links with learning.site_url.absolute_url:\n" + "\n".join(
        offenders
    )
