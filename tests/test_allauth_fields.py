"""allauth's pages as people meet them: every field's error and hint is tied to its input
(``aria-describedby``), every password field can be shown and hidden (the NHS.UK password
input), and "Forgotten your password?" is a link where a password is asked for."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db

CONTROLS = {"input", "textarea", "select"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.described: dict[str, str] = {}  # id -> the ids that describe it
        self.errors: list[str | None] = []
        self.hints: list[str | None] = []
        self.passwords: list[dict] = []
        self.toggles: set[str] = set()
        self.links: list[tuple[str, str]] = []
        self._link: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        classes = a.get("class", "").split()
        if tag in CONTROLS and a.get("type") not in {"hidden", "submit"}:
            self.described[a.get("id", a.get("name", "?"))] = a.get("aria-describedby", "")
            if a.get("type") == "password":
                self.passwords.append(a)
        # A group of inputs (the date input's day, month and year) is described as a whole.
        if tag == "fieldset" and a.get("aria-describedby"):
            self.described[a.get("id", f"fieldset-{len(self.described)}")] = a["aria-describedby"]
        # A page-level alert (the passkey script's) is not a field's error.
        if "nhsuk-error-message" in classes and a.get("role") != "alert":
            self.errors.append(a.get("id"))
        if "nhsuk-hint" in classes:
            self.hints.append(a.get("id"))
        if tag == "button" and "nhsuk-password-input__toggle" in classes:
            self.toggles.add(a.get("aria-controls", ""))
        if tag == "a":
            self._link, self._text = a.get("href", ""), ""

    def handle_data(self, data):
        if self._link is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link, " ".join(self._text.split())))
            self._link = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _reauthenticated(client, user):
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()


# (url name, signed in, what to post: each leaves at least one field in error)
PAGES = [
    ("account_login", False, {"login": "", "password": ""}),
    ("account_signup", False, {"display_name": "", "email": "nope", "password1": "x"}),
    ("account_reset_password", False, {"email": "not an email"}),
    ("account_reauthenticate", True, {"password": "wrong"}),
    ("account_change_password", True, {"oldpassword": "wrong", "password1": "x", "password2": "y"}),
    ("account_email", True, {"action_add": "", "email": "not an email"}),
    ("account_details", True, {"display_name": ""}),
]


@pytest.mark.parametrize(("name", "signed_in", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_every_error_and_hint_is_tied_to_its_field(client, name, signed_in, data):
    if signed_in:
        _reauthenticated(client, UserFactory())
    response = client.post(reverse(name), data)
    assert response.status_code == 200, response.get("Location")
    page = _parse(response.content.decode())
    assert page.errors, "the post should have left a field in error"
    described_by = {ref for refs in page.described.values() for ref in refs.split()}
    for error_id in page.errors:
        assert error_id, "an error message without an id cannot describe its field"
        assert error_id in described_by, f"{error_id} describes no field"
    for hint_id in page.hints:
        assert hint_id and hint_id in described_by, f"hint {hint_id} describes no field"
    for refs in page.described.values():
        for ref in refs.split():
            assert ref in page.errors or ref in page.hints, f"{ref} is not on the page"


@pytest.mark.parametrize(("name", "signed_in", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_every_password_field_can_be_shown(client, name, signed_in, data):
    if signed_in:
        _reauthenticated(client, UserFactory())
    for response in (client.get(reverse(name)), client.post(reverse(name), data)):
        page = _parse(response.content.decode())
        for field in page.passwords:
            assert "nhsuk-password-input__input" in field.get("class", ""), field
            assert field.get("id") in page.toggles, f"no show button for {field.get('id')}"


@pytest.mark.parametrize(
    ("name", "signed_in"), [("account_login", False), ("account_reauthenticate", True)]
)
def test_forgotten_password_is_a_link(client, name, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    page = _parse(client.get(reverse(name)).content.decode())
    assert (reverse("account_reset_password"), "Forgotten your password?") in page.links
