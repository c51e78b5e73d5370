"""A registry of demo-data steps. Each app registers its steps in ``AppConfig.ready()``;
``manage.py seed_demo`` runs them in order. The core app never imports the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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
