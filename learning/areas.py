"""The areas of the platform a person can reach, by role.

Each app registers its areas in its ``AppConfig.ready()``; the header navigation and "My home"
show only the areas that exist and that the person's roles open. Nothing is linked before it is
built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from learning.permissions import RoleSet


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


# --- "My home" panels ----------------------------------------------------------------------
# Apps add panels to the dashboard ("what needs me now") without the core importing them. A
# panel is a callable taking the request and returning ``None`` (nothing to show) or a dict with
# ``template`` and ``context``. Each panel must cost at most one query.


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    render: Callable
    order: int = 100


_PANELS: dict[str, DashboardPanel] = {}


def register_dashboard_panel(panel: DashboardPanel) -> None:
    _PANELS[panel.key] = panel


def dashboard_panels(request) -> list[dict]:
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        result = panel.render(request)
        if result:
            shown.append({"key": panel.key, **result})
    return shown
