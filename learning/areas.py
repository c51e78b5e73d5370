"""The areas of the platform a person can reach, by role.

Each app registers its areas in its ``AppConfig.ready()``; the header navigation and "My home"
show only the areas that exist and that the person's roles open. Nothing is linked before it is
built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .permissions import RoleSet


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str
    description: str
    visible: Callable[[RoleSet], bool]
    order: int = 100
    in_navigation: bool = True
    public: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_AREAS: dict[str, Area] = {}


def register_area(area: Area) -> None:
    _AREAS[area.key] = area


def areas_for(roles: RoleSet | None) -> list[Area]:
    """Areas open to someone with ``roles`` (``None``: not signed in)."""
    return sorted(
        (
            a
            for a in _AREAS.values()
            if (a.public if roles is None else (a.public or a.visible(roles)))
        ),
        key=lambda a: (a.order, a.key),
    )
