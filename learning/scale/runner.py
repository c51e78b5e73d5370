"""Running the registered steps (``learning.scale.registry``): the checks before writing, one
transaction for the data, the marker that makes a second run at the same scale a no-op, and the
manifest for the benchmark."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from learning.models import AuditEvent
from learning.scale.copy import Writer
from learning.scale.plan import (
    BENCH_DOMAIN,
    BENCH_PASSWORD,
    MARKER_ACTION,
    PERSONAS,
    Context,
    Counts,
)
from learning.scale.progress import Progress
from learning.scale.registry import scale_bench_keys, scale_pages, scale_steps


def _marker() -> AuditEvent | None:
    return AuditEvent.objects.filter(action=MARKER_ACTION).order_by("-id").first()


def check_database(scale: float, *, force: bool) -> AuditEvent | None:
    """The marker of an earlier run at this scale, or None for a database to seed; refuses
    anything else with a sentence saying what to do."""
    marker = _marker()
    if marker is not None:
        if float(marker.data.get("scale", -1)) != float(scale):
            raise CommandError(
                _(
                    "This database was already seeded at scale %(old)s. Seed scale %(new)s "
                    "into a fresh database (create a new one and migrate it)."
                )
                % {"old": marker.data.get("scale"), "new": scale}
            )
        return marker
    users = get_user_model().objects
    if users.filter(email__iendswith="@" + BENCH_DOMAIN).exists():
        raise CommandError(
            _(
                "This database holds bench accounts from a run that did not finish. Seed into "
                "a fresh database."
            )
        )
    if not force and users.exclude(email__iendswith="@" + BENCH_DOMAIN).exists():
        raise CommandError(
            _(
                "This database already holds people other than the bench accounts (demo data, "
                "perhaps). Use a fresh database, or pass --force to add the bench data anyway."
            )
        )
    return None


def seed(
    scale: float,
    *,
    force: bool = False,
    manifest: str | None = None,
    stream=None,
    quiet: bool = False,
) -> dict:
    started = time.monotonic()
    progress = Progress(stream, quiet=quiet)
    marker = check_database(scale, force=force)
    if marker is not None:
        progress.note(f"Already seeded at scale {scale}: nothing to do.")
        result = dict(marker.data)
    else:
        result = _seed(scale, progress)
    result["seconds"] = round(time.monotonic() - started, 1)
    data = build_manifest(result)
    if manifest:
        path = Path(manifest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def _seed(scale: float, progress: Progress) -> dict:
    counts = Counts.at(scale)
    writer = Writer()
    ctx = Context(scale=scale, counts=counts, writer=writer, progress=progress)
    progress.note(f"Seeding scale {scale}: {counts}.")
    with transaction.atomic():
        for step in scale_steps():
            step.run(ctx)
        progress.begin("checking foreign keys and moving sequences on", 1)
        writer.finish()
        progress.advance(1)
        progress.end()
        result = {
            "scale": scale,
            "counts": table_counts(writer),
            "bench": {key: ctx.bench[key] for key in scale_bench_keys()},
            "seed_seconds": round(progress.elapsed(), 1),
        }
        AuditEvent.objects.create(action=MARKER_ACTION, target_type="seed_scale", data=result)
    progress.begin("analysing tables", 1)
    writer.analyse()
    progress.advance(1)
    progress.end()
    return result


def build_manifest(result: dict) -> dict:
    bench = result["bench"]
    accounts = {name: f"{name}@{BENCH_DOMAIN}" for name in PERSONAS}

    return {
        "scale": result["scale"],
        "password": BENCH_PASSWORD,
        "accounts": accounts,
        "pages": {
            page.name: {"url": page.url(bench), "as": page.persona} for page in scale_pages()
        },
        "counts": result["counts"],
        "seconds": result["seconds"],
        "database": connection.vendor,
    }


def table_counts(writer: Writer) -> dict[str, int]:
    """Rows now in every table the run wrote to, and the page tree."""
    from wagtail.models import Page

    models = {**writer._models, Page._meta.db_table: Page}
    return {table: models[table]._base_manager.count() for table in sorted(models)}
