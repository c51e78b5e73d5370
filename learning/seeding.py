"""Registries of seed steps. Each app registers its steps in ``AppConfig.ready()``; the core
app never imports the others. ``manage.py seed_demo`` runs the demo steps in order; the install
steps (below) are the shipped content a real deployment needs, run by ``install_curriculum``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeedStep:
    name: str
    run: Callable
    order: int


_STEPS: dict[str, SeedStep] = {}


def register_seed_step(name: str, run: Callable, *, order: int = 100) -> None:
    _STEPS[name] = SeedStep(name=name, run=run, order=order)


def seed_steps() -> list[SeedStep]:
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


# --- Installing the shipped content -----------------------------------------------------------
# ``manage.py install_curriculum`` runs the install steps: what a real deployment needs and no
# demo data (no people). Each app registers its steps in ``AppConfig.ready()``; each step is
# idempotent and says what it did in the report, which the command prints.


@dataclass
class InstallReport:
    """What an install run did, by page or item name."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InstallStep:
    name: str
    run: Callable[[InstallReport], None]
    order: int


_INSTALL_STEPS: dict[str, InstallStep] = {}


def register_install_step(
    name: str, run: Callable[[InstallReport], None], *, order: int = 100
) -> None:
    _INSTALL_STEPS[name] = InstallStep(name=name, run=run, order=order)


def install_steps() -> list[InstallStep]:
    return sorted(_INSTALL_STEPS.values(), key=lambda s: (s.order, s.name))
