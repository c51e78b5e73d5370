"""``manage.py bench``: the platform's benchmark (learning/bench/, docs/performance.md).

manage.py bench --scale 1                      # the full run at 1× data
manage.py bench --scale 100 --compare var/bench/bench-s1.json
manage.py bench --quick                        # CI: scale 0.1, against docs/bench-baseline.json
manage.py bench --load --scale 0.1 --steps 200,400,600  # concurrent people (locust)
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

INTERNAL_ACTIONS = ("setup", "profile", "sessions")


class Command(BaseCommand):
    help = (
        "Seed a bench database, serve it with gunicorn and production settings, and measure "
        "every key page against a bare Django view and Wagtail's welcome page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", default=None, help="Data scale (default 1; 0.1 in quick).")
        parser.add_argument("--quick", action="store_true", help="Short run for CI.")
        parser.add_argument("--out", help="Where to write the JSON result.")
        parser.add_argument("--compare", help="A result JSON (the 1× run) to compare CPU with.")
        parser.add_argument("--write-baseline", action="store_true")
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--manifest", help="Use this manifest (with --no-seed).")
        parser.add_argument("--database", help="Use this database instead of the scale's.")
        parser.add_argument("--no-seed", action="store_true", help="Skip migrate and seed_scale.")
        parser.add_argument("--profile", action="store_true", help="Profile the slowest page.")
        parser.add_argument(
            "--load",
            action="store_true",
            help="Step up a mixed workload of signed-in people with locust and report how many "
            "one node serves within p95 200 ms and no errors.",
        )
        parser.add_argument(
            "--steps", default=None, help="With --load: people a step, e.g. 10,20,40,80."
        )
        parser.add_argument("--step-seconds", type=int, default=60, help="With --load.")
        parser.add_argument("--ramp-seconds", type=int, default=10, help="With --load.")
        parser.add_argument(
            "--show", help="Print the table of a stored result JSON (with --compare) and stop."
        )
        parser.add_argument("--internal", choices=INTERNAL_ACTIONS, help="(used by the bench)")
        parser.add_argument("--internal-in", help="(used by the bench)")
        parser.add_argument("--internal-out", help="(used by the bench)")

    def handle(self, *args, **options):
        if options["internal"]:
            return self.internal(options)
        if options["show"]:
            from learning.bench import report
            from learning.bench.runner import with_comparison

            result = json.loads(Path(options["show"]).read_text(encoding="utf-8"))
            self.stdout.write(report.table(with_comparison(result, options["compare"])))
            return None
        if options["load"]:
            return self.load(options)
        from learning.bench.runner import BenchError, Options, Runner

        scale = options["scale"] or ("0.1" if options["quick"] else "1")
        try:
            runner = Runner(
                Options(
                    scale=scale,
                    quick=options["quick"],
                    out=options["out"],
                    compare=options["compare"],
                    write_baseline=options["write_baseline"],
                    concurrency=options["concurrency"],
                    workers=options["workers"],
                    manifest=options["manifest"],
                    database=options["database"],
                    seed=not options["no_seed"],
                    profile=options["profile"],
                ),
                write=lambda line: (self.stdout.write(line), self.stdout.flush()),
            )
            code = runner.run()
        except (BenchError, RuntimeError, ValueError) as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            # A socket or file problem the run did not expect: a sentence, not a stack trace.
            raise CommandError(
                f"The benchmark stopped: {error.__class__.__name__}: {error}. The machine may be "
                "too busy to measure; run it again."
            ) from error
        if code:
            raise CommandError("The benchmark found regressions (see FAIL lines above).")

    def load(self, options):
        from learning.bench import capacity
        from learning.bench.loadrun import LoadOptions, LoadRunner
        from learning.bench.runner import BenchError

        try:
            steps = (
                capacity.parse_steps(options["steps"])
                if options["steps"]
                else list(capacity.DEFAULT_STEPS)
            )
            runner = LoadRunner(
                LoadOptions(
                    scale=options["scale"] or "1",
                    steps=steps,
                    step_seconds=options["step_seconds"],
                    ramp_seconds=options["ramp_seconds"],
                    workers=options["workers"],
                    database=options["database"],
                    seed=not options["no_seed"],
                    out=options["out"],
                ),
                write=lambda line: (self.stdout.write(line), self.stdout.flush()),
            )
            runner.run()
        except (BenchError, RuntimeError, ValueError, OSError) as error:
            raise CommandError(f"The load run stopped: {error}") from error

    def internal(self, options):
        from learning.bench import inprocess

        payload = json.loads(Path(options["internal_in"]).read_text(encoding="utf-8"))
        action = options["internal"]
        if action == "setup":
            result = inprocess.setup(payload["accounts"], payload["pages"])
        elif action == "sessions":
            result = inprocess.sign_in(payload["accounts"])
        else:
            result = {
                "text": inprocess.profile(payload["name"], payload["page"], payload["sessions"])
            }
        Path(options["internal_out"]).write_text(json.dumps(result), encoding="utf-8")
