"""Shared pieces of the route × role permission matrix (tests/test_permission_matrix.py).

Each app that adds URLs keeps its rows in a module here (``supervision.py``, ``community.py``),
as ``ROWS: list[Row]`` plus ``extend_context(ctx)`` that adds the objects its rows need to the
shared matrix context (``ctx["people"]`` maps every role name to a user, or ``None`` for
anonymous; ``ctx["organisation"]`` / ``ctx["other_organisation"]``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import ROLE_NAMES

ANON_REDIRECT = {"anonymous": 302, "deactivated": 302}


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {role: overrides.get(role, status) for role in ROLE_NAMES}


def signed_in(status: int, **overrides: int) -> dict[str, int]:
    return everyone(status, **{**ANON_REDIRECT, **overrides})


@dataclass
class Row:
    key: str  # URL name, or "include:<prefix>" for a third-party include
    path: Callable[[dict], str]
    expected: dict[str, int]
    method: str = "get"
    data: dict = field(default_factory=dict)
