"""Bad input everywhere: every URL in the permission matrix, as each person who may use it,
with over-long text, wrong types, impossible dates, unknown ids and tampered fields. Nothing
may answer with a server error, and nothing may echo a stack trace."""

from __future__ import annotations

import pytest

from learning.pagination import encode_cursor

from .test_permission_matrix import MATRIX, matrix_context  # noqa: F401 (fixture)

# Twice the longest limit of any field (a journal section, a post: 10,000 characters).
LONG = "x" * 20_000
GARBAGE = {
    # common field names across the platform's forms
    "title": LONG,
    "body": LONG,
    "summary": LONG,
    "note": LONG,
    "comment": LONG,
    "reason": LONG,
    "detail": LONG,
    "text": LONG,
    "tags": LONG,
    "email": "not-an-email" + LONG,
    "model": "no-such-model",
    "action": "no-such-action",
    "format": "exe",
    "section": "../../etc/passwd",
    "role": "superuser",
    "supervisor": "999999999",
    "relationship": "abc",
    "entry": "-1",
    "quote": "99999999999999999999",
    "users": ["x", "-5"],
    "module": "0",
    "target": "nobody",
    "after": "%%%not-a-cursor%%%",
    "theme": ["../x"],
    "answer": "999",
    "confirm_identifiers": "maybe",
    "experienced_on_day": "31",
    "experienced_on_month": "2",
    "experienced_on_year": "99999",
    "held_on": "2026-13-45",
    "due_on_day": "x",
    "date_from": "yesterday",
    "date_to": "9999-99-99",
    "duration_minutes": "-60",
    "capacity": "1e9",
    "workload": "11",
    "emotional_impact": "-3",
    "support": "abc",
    "email_notifications": "sometimes",
    "token": "' OR 1=1 --",
    "q": LONG,
}


# Ids and numbers that pass ``str.isdigit`` but break ``int`` or the database (digits from
# other scripts, numbers too large for a 64-bit column), and search text that is query syntax.
TRICKY = {
    key: value
    for key in (
        "lesson",
        "entry",
        "quote",
        "member",
        "attended",
        "module",
        "supervisor",
        "relationship",
        "entry_version",
        "post_version",
        "answer",
        "users",
        "page",
        "after",
        "space",
        "author",
    )
    for value in ("99999999999999999999",)
} | {
    "prompt": "²",
    "q": '"',
    "search": 'NEAR("a"',
    "tag": "١٢٣",
    "date_to_year": "9999",
    "date_from_year": "0",
    "year": "99999999999999999999",
    "month": "13",
}


def _roles_allowed(row) -> list[str]:
    """The people for whom the row does something (not a redirect to sign in, not a 404)."""
    return [role for role, status in row.expected.items() if status not in (302, 404, 405)]


def _as_each_person(client, context, path_of):
    """``(row, path, role)`` for every matrix row that ``path_of(row, path)`` gives a path for
    (``None`` skips the row), signed in as each person who may use it, each pair once."""
    seen: set[tuple[str, str]] = set()
    for row in MATRIX:
        if row.key.startswith("include:"):
            continue
        path = path_of(row, row.path(context))
        if path is None:
            continue
        for role in _roles_allowed(row) or ["practitioner"]:
            if (path, role) in seen:
                continue
            seen.add((path, role))
            user = context["people"][role]
            client.logout()
            if user is not None:
                client.force_login(user)
            yield row, path, role


@pytest.mark.django_db
@pytest.mark.parametrize("garbage", [GARBAGE, TRICKY], ids=["garbage", "tricky"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_url_fails_on_bad_input(client, matrix_context, method, garbage):  # noqa: F811
    failures = []
    for row, path, role in _as_each_person(client, matrix_context, lambda _row, path: path):
        data = {**row.data, **garbage} if method == "post" else garbage
        response = getattr(client, method)(path, data)
        body = response.content.decode(errors="replace") if not response.streaming else ""
        if response.status_code >= 500 or "Traceback" in body:
            failures.append(f"{method.upper()} {path} as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)


# An id in the address beyond any integer column (``<id:…>`` takes at most 18 digits).
HUGE_ID = "99999999999999999999"


@pytest.mark.django_db
def test_no_url_fails_on_an_id_too_large_for_the_database(client, matrix_context):  # noqa: F811
    """Every number in every matrix path replaced by one beyond a 64-bit column, fetched as
    each person who may use the path: not found or refused, never a server error (SQLite
    refuses such a number outright)."""
    import re

    def too_large(_row, path):
        huge = re.sub(r"(?<=/)\d+(?=/|$)", HUGE_ID, path)
        return huge if huge != path else None

    failures, tried = [], 0
    for _row, huge, role in _as_each_person(client, matrix_context, too_large):
        tried += 1
        response = client.get(huge)
        if response.status_code >= 500:
            failures.append(f"GET {huge} as {role}: {response.status_code}")
    assert tried > 50
    assert not failures, "\n".join(failures)


SEARCH_PROBES = [
    {"q": '"'},
    {"q": '"unclosed phrase'},
    {"q": "a & b | !c <-> d:*"},
    {"q": "\\"},
    {"q": "x" * 100_000},
    {"q": "reply", "space": "99999999999999999999"},
    {"q": "reply", "space": "999999"},
    {"q": "reply", "space": "²"},
    {"q": "reply", "author": "99999999999999999999"},
    {"q": "reply", "author": "-1"},
    {"q": "reply", "after": "W1siYSJdXQ"},
    {"q": "reply", "after": encode_cursor(["x", "y", "z"])},
    {"q": "reply", "after": encode_cursor(["x", "y"])},
    {"q": "reply", "after": encode_cursor([10**30, "2026-01-01T00:00:00+00:00", 10**30])},
    {"q": "reply\x00"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("params", SEARCH_PROBES)
def test_community_search_never_fails_on_odd_text_or_ids(client, people, params):
    """Quotes, query syntax, very long text, unknown or impossible space and author ids and a
    tampered cursor: the search page explains or finds nothing, and never fails."""
    from django.urls import reverse

    client.force_login(people["practitioner"])
    response = client.get(reverse("community_search"), params)
    assert response.status_code in (200, 400)
    assert "Traceback" not in response.content.decode()
