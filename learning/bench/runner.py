"""One benchmark run, start to finish, printing progress as it goes (see the package doc)."""

from __future__ import annotations

import html
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from learning.bench import procstat, report, server
from learning.bench.inprocess import floor_pages
from learning.bench.load import ClientPool, Response, Target, build_request, fetch

BASELINE = server.BASE_DIR / "docs" / "bench-baseline.json"


def with_comparison(result: dict, compare: str | None) -> dict:
    """Add the ratios to another run (if any) and the targets."""
    if compare:
        other = json.loads(Path(compare).read_text(encoding="utf-8"))
        report.add_scale_ratios(result["pages"], other)
        result["compared_with"] = {"path": compare, "scale": other.get("scale")}
    result["targets"] = report.targets(result["pages"], compared=bool(compare))
    return result


class BenchError(Exception):
    """A run that cannot go on; the message is a whole sentence for the person running it."""


@dataclass
class Plan:
    warmup: int
    rounds_one_client: int
    rounds_load: int
    window_seconds: float


FULL = Plan(warmup=20, rounds_one_client=100, rounds_load=3, window_seconds=4.0)
QUICK = Plan(warmup=5, rounds_one_client=20, rounds_load=2, window_seconds=1.5)


@dataclass
class Options:
    scale: str = "1"
    quick: bool = False
    out: str | None = None
    compare: str | None = None
    write_baseline: bool = False
    concurrency: int = 4
    workers: int = 2
    manifest: str | None = None
    database: str | None = None
    seed: bool = True
    profile: bool = False


class Runner:
    def __init__(self, options: Options, write=print):
        self.options = options
        self.write = write
        self.started = time.monotonic()
        self.plan = QUICK if options.quick else FULL
        self.label = server.scale_label(options.scale)
        self.db_name = options.database or server.database_name(options.scale)
        self.db_url = server.database_url(server.server_url(), self.db_name)
        server.OUT_DIR.mkdir(parents=True, exist_ok=True)
        ignore = server.OUT_DIR / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Benchmark results and scratch files (manage.py bench).\n*\n")
        self.static_root = server.OUT_DIR / "static"
        self.env = server.serving_env(self.db_url, self.static_root)
        self.gunicorn: server.Gunicorn | None = None

    def say(self, message: str) -> None:
        elapsed = int(time.monotonic() - self.started)
        self.write(f"[{elapsed // 60:02d}:{elapsed % 60:02d}] {message}")

    # --- preparing ---------------------------------------------------------------------------

    def prepare_data(self) -> dict:
        options = self.options
        manifest_path = Path(
            options.manifest or server.OUT_DIR / f"manifest-s{self.label}.json"
        ).resolve()
        if options.seed:
            created = server.ensure_database(server.server_url(), self.db_name)
            self.say(f"Database {self.db_name} {'created' if created else 'exists'}; migrating…")
            seeding = server.seeding_env(self.db_url)
            server.manage(["migrate", "--no-input", "-v0"], seeding)
            self.say(f"Seeding scale {self.label} (seed_scale is idempotent)…")
            server.manage(
                ["seed_scale", "--scale", self.label, "--manifest", str(manifest_path)], seeding
            )
        if not manifest_path.exists():
            raise BenchError(
                f"There is no manifest at {manifest_path}: seed the database with "
                f"'manage.py seed_scale --scale {self.label} --manifest {manifest_path}' first."
            )
        return json.loads(manifest_path.read_text(encoding="utf-8"))

    def pages(self, manifest: dict) -> dict:
        pages = dict(floor_pages())
        for name, page in manifest["pages"].items():
            pages[name] = {"url": page["url"], "as": page.get("as")}
        return pages

    def collect_static(self) -> None:
        if server.static_up_to_date(self.static_root):
            self.say("Static files are already collected and up to date.")
        else:
            self.say("Collecting static files (production settings)…")
            server.manage(["collectstatic", "--no-input", "-v0"], self.env, quiet=True)

    def start_server(self, manifest: dict, pages: dict) -> tuple[server.Gunicorn, dict]:
        self.collect_static()
        server.flush_redis()
        self.say(
            "Preparing the floor pages, signing the personas in and counting each page's "
            "queries in-process (same settings and database)…"
        )
        setup = server.internal(
            "setup", self.env, {"accounts": manifest["accounts"], "pages": pages}
        )
        log = server.OUT_DIR / f"gunicorn-s{self.label}.log"
        gunicorn = server.Gunicorn(self.env, workers=self.options.workers, log=log)
        self.gunicorn = gunicorn
        gunicorn.wait_ready()
        self.say(f"gunicorn is up on 127.0.0.1:{gunicorn.port} (workers {gunicorn.worker_pids()}).")
        return gunicorn, setup

    def targets(self, pages: dict, sessions: dict, port: int) -> dict[str, Target]:
        cookie_name = sessions["cookie"]
        out = {}
        for name, page in pages.items():
            cookie = None
            if page.get("as"):
                cookie = f"{cookie_name}={sessions['personas'][page['as']]['session']}"
            host = page.get("host") or "127.0.0.1"
            out[name] = Target(
                name, "127.0.0.1", port, build_request(page["url"], host=host, cookie=cookie)
            )
        return out

    def stop_if_server_gone(self) -> None:
        """A server that has stopped (a worker that cannot start: an import error) is not a
        busy machine: say so, and where its log is."""
        gunicorn = self.gunicorn
        if gunicorn is not None and gunicorn.process.poll() is not None:
            raise BenchError(
                f"gunicorn stopped (exit status {gunicorn.process.returncode}) while the "
                f"benchmark ran; its log is {gunicorn.log}."
            )

    def fetch_patiently(
        self,
        name: str,
        target: Target,
        attempts: int = 4,
        timeout: float = 30.0,
        backoff: float = 1.0,
    ) -> Response:
        """One request that a busy machine may answer slowly: a connection refused, a socket
        timeout, an empty answer or a server error (a worker killed while busy) is reported and
        tried again after a pause that doubles each time (``backoff`` seconds first), with a
        longer wait for the answer; only after ``attempts`` does it become a ``BenchError`` (a
        message, never a stack trace)."""
        for attempt in range(1, attempts + 1):
            try:
                response = fetch(target, timeout=timeout)
            except OSError as error:
                self.stop_if_server_gone()
                if isinstance(error, ConnectionRefusedError):
                    problem = "was refused a connection (ConnectionRefusedError)"
                else:
                    problem = f"did not answer in {timeout:g} s ({error.__class__.__name__})"
                if attempt == attempts:
                    raise BenchError(
                        f"The page '{name}' did not answer after {attempts} tries "
                        f"({error.__class__.__name__}); the machine may be too busy to measure."
                    ) from error
            else:
                if response.status and response.status < 500:
                    return response
                problem = f"answered {response.status or 'nothing'}"
                if attempt == attempts:
                    return response  # the page check says what it answered
            self.say(f"The page '{name}' {problem}; trying again in {backoff:g} s.")
            time.sleep(backoff)
            backoff *= 2
            timeout *= 2
        raise AssertionError("unreachable")

    def check_pages(self, pages: dict, sessions: dict, targets: dict[str, Target]) -> None:
        for name, target in targets.items():
            page = pages[name]
            response = self.fetch_patiently(name, target)
            who = page.get("as") or "someone not signed in"
            if response.status != 200:
                where = response.headers.get("location", "")
                raise BenchError(
                    f"The page '{name}' ({page['url']}) answered {response.status}"
                    f"{' to ' + where if where else ''} for {who} instead of 200, so it cannot "
                    "be measured; check the manifest and the seeded data."
                )
            persona = page.get("as")
            if persona:
                name_shown = sessions["personas"][persona]["name"]
                body = response.body.decode("utf-8", "replace")
                if name_shown and html.escape(name_shown) not in body and name_shown not in body:
                    raise BenchError(
                        f"The page '{name}' ({page['url']}) answered 200 but does not show "
                        f"{persona}'s name ({name_shown}), so it is not the signed-in page."
                    )
        self.say(f"All {len(targets)} pages answer 200 as their persona.")

    # --- measuring ---------------------------------------------------------------------------

    def one_client(self, targets: dict[str, Target]) -> dict[str, list[float]]:
        samples: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(self.plan.warmup):
            for name, target in targets.items():
                self.fetch_patiently(name, target)
        self.say(f"Warmed up; {self.plan.rounds_one_client} interleaved rounds with one client…")
        slow = 0
        for _ in range(self.plan.rounds_one_client):
            for name, target in targets.items():
                try:
                    response = fetch(target)
                except OSError:
                    slow += 1  # not a sample: counted and reported below
                    continue
                if response.status == 200:
                    samples[name].append(response.seconds)
        if slow:
            self.say(f"{slow} requests with one client did not answer in 30 s and are left out.")
        return samples

    def saturation(self, targets: dict[str, Target], workers: list[int]) -> dict[str, dict]:
        totals = {
            name: {
                "latencies": [],
                "requests": 0,
                "errors": 0,
                "wall": 0.0,
                "web": 0.0,
                "db": 0.0,
                "client": 0.0,
                "busy": 0,
                "ticks": 0,
            }
            for name in targets
        }
        pool = ClientPool(self.options.concurrency)
        try:
            for round_number in range(1, self.plan.rounds_load + 1):
                self.say(
                    f"Saturation round {round_number} of {self.plan.rounds_load}: "
                    f"{self.options.concurrency} clients, {self.plan.window_seconds:g} s a page…"
                )
                # The bare view opens and closes each round: the floor every ratio divides by
                # is then measured at both ends, before and after drift in the machine's load.
                order = [*targets, report.FLOOR_BARE]
                for name in order:
                    self.window(pool, targets[name], totals[name], workers)
        finally:
            pool.close()
        return totals

    def window(self, pool: ClientPool, target: Target, total: dict, workers: list[int]) -> None:
        """One saturation window on one page, with the CPU the server and database spent."""
        pool.run(target, 0.2)  # settle on this page first
        web0 = procstat.ticks_of(workers)
        db0 = procstat.ticks_of(procstat.postgres_pids(self.db_name))
        busy0, all0 = procstat.machine_ticks()
        began = time.perf_counter()
        window = pool.run(target, self.plan.window_seconds)
        wall = time.perf_counter() - began
        busy1, all1 = procstat.machine_ticks()
        web1 = procstat.ticks_of(workers)
        db1 = procstat.ticks_of(procstat.postgres_pids(self.db_name))
        total["latencies"].extend(window.latencies)
        total["requests"] += len(window.latencies) + window.errors
        total["errors"] += window.errors
        total["wall"] += wall
        total["web"] += procstat.cpu_seconds_between(web0, web1)
        total["db"] += procstat.cpu_seconds_between(db0, db1)
        total["client"] += window.client_cpu_seconds
        total["busy"] += busy1 - busy0
        total["ticks"] += all1 - all0

    # --- the run -----------------------------------------------------------------------------

    def run(self) -> int:
        options = self.options
        self.say(
            f"Benchmark at scale {self.label}{' (quick)' if options.quick else ''}: database "
            f"{self.db_name}."
        )
        manifest = self.prepare_data()
        pages = self.pages(manifest)
        gunicorn, setup = self.start_server(manifest, pages)
        sessions, counts = setup["sessions"], setup["counts"]
        try:
            targets = self.targets(pages, sessions, gunicorn.port)
            self.check_pages(pages, sessions, targets)
            one = self.one_client(targets)
            loaded = self.saturation(targets, gunicorn.worker_pids())
            result = self.result(manifest, pages, counts, one, loaded)
            if self.cpu_over_baseline(result):
                # A busy machine can make one window look dear: measure once more and keep
                # each page's cheaper window, so only a cost that shows twice fails.
                self.say("Some pages cost more than the baseline allows; measuring again…")
                again = self.saturation(targets, gunicorn.worker_pids())
                result = report.keep_cheaper(
                    result, self.result(manifest, pages, counts, one, again)
                )
        finally:
            gunicorn.stop()
        return self.finish(result, pages, sessions)

    def cpu_over_baseline(self, result: dict) -> bool:
        """Quick mode only: whether any page's CPU ratio is over the baseline's limit."""
        if not self.options.quick or self.options.write_baseline or not BASELINE.exists():
            return False
        baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
        return any("CPU" in problem for problem in report.compare_to_baseline(result, baseline))

    def result(self, manifest, pages, counts, one, loaded) -> dict:
        cpus = os.cpu_count() or 1
        out_pages = {}
        for name, page in pages.items():
            total = loaded[name]
            out_pages[name] = {
                "url": page["url"],
                "as": page.get("as"),
                "floor": bool(page.get("floor")),
                "queries": counts[name]["queries"],
                "cached": counts[name].get("cached", False),
                "one_client": report.latency_summary(one[name]),
                "load": {
                    **report.latency_summary(total["latencies"]),
                    "requests": total["requests"],
                    "errors": total["errors"],
                    "seconds": round(total["wall"], 2),
                    "rps": round(len(total["latencies"]) / total["wall"], 1)
                    if total["wall"]
                    else None,
                    "machine_busy": round(total["busy"] / total["ticks"], 3)
                    if total["ticks"]
                    else None,
                },
                "cpu_ms": report.cpu_summary(
                    web_s=total["web"],
                    db_s=total["db"],
                    client_s=total["client"],
                    requests=total["requests"],
                ),
            }
        report.add_ratios(out_pages, cpus)
        result = {
            "scale": self.label,
            "quick": self.options.quick,
            "database": self.db_name,
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "cpus": cpus,
            "workers": self.options.workers,
            "concurrency": self.options.concurrency,
            "plan": self.plan.__dict__,
            "counts": manifest.get("counts", {}),
            "pages": out_pages,
        }
        return with_comparison(result, self.options.compare)

    def finish(self, result: dict, pages: dict, sessions: dict) -> int:
        options = self.options
        out = Path(options.out or server.OUT_DIR / f"bench-s{self.label}.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        self.write("")
        self.write(report.table(result))
        self.write("")
        self.say(f"Result written to {out}.")
        if options.profile:
            self.profile_slowest(result, pages, sessions)
        if options.write_baseline:
            BASELINE.write_text(
                json.dumps(report.baseline_from(result), indent=2) + "\n", encoding="utf-8"
            )
            self.say(f"Baseline written to {BASELINE}.")
            return 0
        if options.quick:
            if not BASELINE.exists():
                self.say(f"There is no baseline at {BASELINE}; write one with --write-baseline.")
                return 1
            problems = report.compare_to_baseline(
                result, json.loads(BASELINE.read_text(encoding="utf-8"))
            )
            for problem in problems:
                self.write(f"FAIL: {problem}")
            if problems:
                return 1
            self.say("Query counts and CPU ratios are within the baseline.")
        return 0

    def profile_slowest(self, result: dict, pages: dict, sessions: dict) -> None:
        candidates = [
            (page["one_client"]["p50"] or 0, name)
            for name, page in result["pages"].items()
            if not page["floor"]
        ]
        _p50, name = max(candidates)
        self.say(f"Profiling the slowest page, {name}, with pyinstrument (in-process)…")
        text = server.internal(
            "profile",
            {**self.env, "HOPE_PAGE_CACHE_SECONDS": "0"},
            {"name": name, "page": pages[name], "sessions": sessions},
        )["text"]
        path = server.OUT_DIR / f"profile-{name}-s{self.label}.txt"
        path.write_text(text, encoding="utf-8")
        self.say(f"Profile written to {path}.")
