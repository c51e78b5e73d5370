"""Time the report pages at scale: ``python manage.py reports_benchmark``.

Seeds the benchmark's deterministic data through the scale registry (``learning.scale``, the
same steps as ``manage.py seed_scale``; scale 5 by default: 5,000 people, 100 organisations,
500,000 progress rows, 10,000 supervision sessions and 50,000 community posts), then requests
every report page through the Django test client, signed in as the bench organisation admin and
as a national coordinator, and prints p50/p95 of 20 runs per page. Seeding is idempotent at one
scale and refuses a database that holds other people unless ``--force``. Meant for a scratch
database:

    createdb -h 127.0.0.1 -U postgres holdinghope_reports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/holdinghope_reports_bench \\
        python manage.py migrate
    DATABASE_URL=… python manage.py reports_benchmark
    dropdb -h 127.0.0.1 -U postgres holdinghope_reports_bench
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from learning.models import User
from learning.permissions import NATIONAL_COORDINATORS
from learning.reports.registry import national_sections, organisation_sections
from learning.scale.plan import BENCH_DOMAIN
from learning.scale.runner import seed


def _coordinator() -> User:
    """The national coordinator the national reports are timed as (a bench account too)."""
    user, _created = User.objects.get_or_create(
        email=f"coordinator@{BENCH_DOMAIN}", defaults={"display_name": "Bench Coordinator"}
    )
    user.groups.add(Group.objects.get_or_create(name=NATIONAL_COORDINATORS)[0])
    return user


def _scale(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0
    if not number > 0:
        raise CommandError("The scale must be a positive number, such as 5 or 0.05.")
    return int(number) if number.is_integer() else number


class Command(BaseCommand):
    help = "Seed benchmark data at a scale into this database and time every report page."

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="5", help="A positive number (default 5).")
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument(
            "--force", action="store_true", help="Seed even if the database has other people."
        )

    def handle(self, *args, **opts):
        started = time.perf_counter()
        manifest = seed(
            _scale(opts["scale"]),
            force=opts["force"],
            stream=self.stderr,
            quiet=opts["verbosity"] == 0,
        )
        self.stdout.write(f"Seeded (or found seeded) in {time.perf_counter() - started:.1f} s.")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # For index-only scans; VACUUM cannot run inside a transaction (tests).
                cursor.execute("VACUUM ANALYZE")
        self._time(manifest, opts["runs"])

    # --- timing ----------------------------------------------------------------------------

    def _time(self, manifest: dict, runs: int) -> None:
        admin = User.objects.get(email=manifest["accounts"]["org_admin"])
        coordinator = _coordinator()
        pages = [
            (
                admin,
                f"organisation: {s.key}",
                manifest["pages"]["org_report"]["url"] + f"?section={s.key}",
            )
            for s in organisation_sections()
        ] + [
            (
                coordinator,
                f"national: {s.key} by {g}",
                reverse("report_national") + f"?section={s.key}&group_by={g}",
            )
            for s in national_sections()
            for g in ("kind", "region")
        ]
        self.stdout.write(f"{'page':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  ({runs} runs)")
        client = Client(HTTP_HOST="localhost")
        signed_in = None
        for user, label, url in pages:
            if user != signed_in:
                client.force_login(user)
                signed_in = user
            response = client.get(url)  # warm
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            p50 = statistics.median(timings)
            p95 = (
                statistics.quantiles(timings, n=20, method="inclusive")[-1]
                if runs >= 2
                else timings[0]
            )
            self.stdout.write(f"{label:45} {p50:8.1f} {p95:8.1f} {max(timings):8.1f}")
