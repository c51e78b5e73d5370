"""Path converters the apps' URLs share.

``<id:…>`` is a database id in an address. Django's ``<id:…>`` takes any run of digits, and a
number beyond a 64-bit column is refused by SQLite before the view can answer "not found"
(PostgreSQL answers such a lookup with no rows). An id has at most 18 digits here, so every
64-bit id fits and a longer number is simply a page that does not exist.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


def register() -> None:
    register_converter(IdConverter, "id")
