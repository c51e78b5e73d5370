"""The areas of the platform a person can reach, by role.

Each app registers its areas in its ``AppConfig.ready()``; the header navigation and "My home"
show only the areas that exist and that the person's roles open. Nothing is linked before it is
built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

from learning.cache import local_memo, local_memo_clear
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
    # Areas that belong to one of the person's organisations work out their link from the
    # roles (``url_for``); "My home" has its own cards for those, so they are header links only.
    url_for: Callable[[RoleSet], str] | None = None
    on_dashboard: bool = True

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def link(self, roles: RoleSet | None) -> str:
        if self.url_for is not None and roles is not None:
            return self.url_for(roles)
        return self.url


@dataclass(frozen=True)
class NavigationLink:
    """One link in the header: what it says and where it goes."""

    key: str
    label: str
    url: str


_AREAS: dict[str, Area] = {}


def register_area(area: Area) -> None:
    _AREAS[area.key] = area
    local_memo_clear()


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


# Part of the key of the header's links kept per process: change it when what makes them changes.
NAVIGATION_VERSION = 1


def navigation_for(roles: RoleSet | None) -> tuple[NavigationLink, ...]:
    """The header's links for someone with ``roles`` (``None``: not signed in): worked out once
    per process for each set of roles, language and URL prefix (``learning.cache.local_memo``),
    since they depend on nothing else."""
    key = (
        NAVIGATION_VERSION,
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
        None if roles is None else roles.key(),
    )
    return local_memo(
        "navigation",
        key,
        lambda: tuple(
            NavigationLink(key=a.key, label=str(a.label), url=a.link(roles))
            for a in areas_for(roles)
            if a.in_navigation
        ),
    )


def organisation_link(url_name: str) -> Callable[[RoleSet], str]:
    """The link to an organisation admin's page for their one organisation; for someone who
    administers several, "My home", which lists each of them."""

    def link(roles: RoleSet) -> str:
        administered = roles.organisations_with_role("org_admin")
        if len(administered) == 1:
            return reverse(url_name, kwargs={"slug": administered[0].slug})
        return reverse("dashboard")

    return link


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
