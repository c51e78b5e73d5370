"""allauth's pages and emails in the service's own words: sentence case, British English, plain
words, and emails that name the service and link through the one base URL, never a host and
port. The wording lives in locale/en/LC_MESSAGES (django.po, compiled to django.mo) and in the
templates under templates/account/ and templates/mfa/."""

from __future__ import annotations

import gettext
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
# Words that keep their capital letter in a heading: the service's name and the regulators'
# names (the professional registers on "Your details").
REGULATORS = (
    "Nursing and Midwifery Council (NMC)",
    "Social Work England",
    "Health and Care Professions Council (HCPC)",
    "Social Care Wales",
    "General Medical Council (GMC)",
)
PROPER = {"Holding", "Hope", "I", "NHS", "NHSmail", "QR"} | {
    word.strip("()") for name in REGULATORS for word in name.split() if word[:1].isupper()
}
AMERICAN = re.compile(r"\b(\w+iz(e|ed|es|ing|ation)|color|favor|center|canceled|e-mail|login)\b")


def _po_pairs() -> dict[str, str]:
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE)

    def unescape(s: str) -> str:
        return s.encode("latin-1", "backslashreplace").decode("unicode_escape")

    return {unescape(a): unescape(b) for a, b in pairs if a}


def test_the_compiled_catalogue_matches_its_source():
    with (CATALOGUE / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for msgid, msgstr in _po_pairs().items():
        assert compiled.gettext(msgid) == msgstr, f"recompile django.mo: {msgid!r}"


def _headings(html: str) -> list[str]:
    found = re.findall(r"<(h1|h2|title|button|label)[^>]*>(.*?)</\1>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for _, text in found]


def _title_case(text: str) -> bool:
    words = [w for w in re.split(r"[\s–-]+", text) if w]
    return any(w[:1].isupper() and w.strip("?.:,()") not in PROPER for w in words[1:])


SIGNED_OUT = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_email_verification_sent",
    "account_reset_password_done",
]
SIGNED_IN = [
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "account_logout",
    "mfa_index",
    "account_details",
]


@pytest.mark.parametrize("name", SIGNED_OUT + SIGNED_IN)
def test_allauth_pages_are_in_sentence_case_and_british_english(client, name):
    if name in SIGNED_IN:
        client.force_login(UserFactory())
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "reauthenticated": True}
        ]
        session.save()
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('id="maincontent"') :]
    for text in _headings(main):
        assert not _title_case(text), f"{name}: {text!r} is in title case"
    text = re.sub(r"<[^>]+>", " ", main)
    assert not AMERICAN.search(text), f"{name}: {AMERICAN.search(text).group(0)!r}"


def test_account_emails_name_the_service_not_a_host(client):
    UserFactory(email="reset@example.nhs.uk")
    client.post(reverse("account_reset_password"), {"email": "reset@example.nhs.uk"})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.nhs.uk"})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert not _title_case(message.subject.removeprefix("[Holding Hope] "))
        assert "Holding Hope" in message.body
        assert "testserver:" not in message.body and "example.com" not in message.body
        assert "Hello from" not in message.body
        for link in re.findall(r"https?://\S+", message.body):
            assert link.startswith(settings.HOPE_BASE_URL + "/"), link
