"""A registry of scale-data steps, tables and benchmark pages.

Each app registers, in its ``AppConfig.ready()``, the steps that fill its own tables, the big
tables whose foreign keys are dropped while they load, and the pages the benchmark times as
which persona. ``manage.py seed_scale`` (``learning.scale.runner``) runs what is registered;
the core never imports the other apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class ScaleStep:
    name: str
    run: Callable  # run(ctx: learning.scale.plan.Context) -> None
    order: int
    bench_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScalePage:
    name: str
    url: Callable[[dict], str]  # url(bench ids) -> path
    persona: str | None
    order: int


# The core's own step at this order drops the big tables' foreign keys.
FOREIGN_KEYS_DROPPED = 15

_STEPS: dict[str, ScaleStep] = {}
_TABLES: dict[str, Callable[[], Iterable[type[models.Model]]]] = {}
_PAGES: dict[str, ScalePage] = {}


def register_scale_step(
    name: str, run: Callable, *, order: int = 100, bench_keys: Iterable[str] = ()
) -> None:
    """Run ``run(ctx)`` in the seeding transaction, in ``order`` (then name) among the steps.

    Steps before ``FOREIGN_KEYS_DROPPED`` run with every foreign key in place (they may save
    through the ORM); from then on the registered big tables' foreign keys are dropped until the
    end. ``bench_keys`` are the ids the step puts in ``ctx.bench`` that the benchmark's pages
    need: the marker of the run keeps them, so a second run writes the same manifest."""
    _STEPS[name] = ScaleStep(name=name, run=run, order=order, bench_keys=tuple(bench_keys))


def register_scale_tables(name: str, tables: Callable[[], Iterable[type[models.Model]]]) -> None:
    """The tables an app loads in bulk: their foreign keys are dropped while they load
    (PostgreSQL) and added back, checked in one pass, at the end."""
    _TABLES[name] = tables


def register_scale_page(
    name: str, url: Callable[[dict], str], *, persona: str | None, order: int
) -> None:
    """A page the benchmark times, signed in as ``persona`` (None: signed out); ``url`` gets
    the ids the steps put in ``ctx.bench``."""
    _PAGES[name] = ScalePage(name=name, url=url, persona=persona, order=order)


def scale_steps() -> list[ScaleStep]:
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def scale_tables() -> list[type[models.Model]]:
    return [model for name in sorted(_TABLES) for model in _TABLES[name]()]


def scale_pages() -> list[ScalePage]:
    return sorted(_PAGES.values(), key=lambda p: (p.order, p.name))


def scale_bench_keys() -> list[str]:
    return [key for step in scale_steps() for key in step.bench_keys]
