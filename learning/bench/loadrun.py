"""``manage.py bench --load``: how many concurrently active people one web node serves.

The bench's own pieces do the setting up (runner.py seeds the database and collects static
files, server.py starts gunicorn with production settings on loopback, inprocess.py signs the
personas in). Locust, installed into its own virtual environment (``var/locust-venv``, so its
pinned dependencies never touch the project's lock), runs the mixed workload of locustfile.py
headless, one run per step of people; each step is measured on its own and the run stops at
the first step over p95 200 ms or with errors.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from learning.bench import capacity, procstat, server
from learning.bench.load import Target, build_request
from learning.bench.runner import BenchError, Options, Runner

LOCUST_VERSION = "2.47.0"
PACKAGES = [f"locust=={LOCUST_VERSION}"]
VENV = Path(os.environ.get("HOPE_LOCUST_VENV", server.BASE_DIR / "var" / "locust-venv"))
STAMP = VENV / "hope-installed.txt"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
# The pages the simulated people open (the bench's, from the seeding manifest).
PAGES = (
    "lesson",
    "my_learning",
    "dashboard",
    "journal_list",
    "journal_entry",
    "signoff_queue",
    "space",
    "thread",
    "org_report",
)
PERSONAS = ("practitioner", "supervisor", "org_admin")
# Many simulated people share each seeded persona, so per-person limits on posting would limit
# the whole crowd; the load server lifts them.
LIFTED_LIMITS = {"HOPE_RATE_LIMIT_POST": "1000000/10m"}


def ensure_locust(write=print) -> Path:
    """locust in ``VENV``, installed with pip the first time (or when the pin changes)."""
    python = VENV / "bin" / "python"
    locust = VENV / "bin" / "locust"
    if STAMP.exists() and STAMP.read_text() == " ".join(PACKAGES) and locust.exists():
        return locust
    write(f"Installing {' '.join(PACKAGES)} into {VENV}…")
    try:
        if not python.exists():
            subprocess.run(  # noqa: S603  (this interpreter's venv module)
                [sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120
            )
        subprocess.run(  # noqa: S603  (pip of our own virtual environment, a pinned package)
            [str(python), "-m", "pip", "install", "-q", *PACKAGES],
            check=True,
            timeout=900,
            capture_output=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        detail = (getattr(exc, "stderr", b"") or b"").decode(errors="replace")[-500:]
        raise BenchError(f"Installing {' '.join(PACKAGES)} failed: {exc} {detail}") from exc
    STAMP.write_text(" ".join(PACKAGES))
    return locust


def sessions_wanted(steps: list[int]) -> dict[str, int]:
    """Sessions to sign in for each persona: one a simulated person at the largest step for
    practitioners (nine in ten people), a fifth of that for supervisors and admins."""
    top = max(steps)
    return {"practitioner": top, "supervisor": max(2, math.ceil(top / 5)), "org_admin": 2}


@dataclass
class LoadOptions:
    scale: str = "1"
    steps: list[int] = field(default_factory=lambda: list(capacity.DEFAULT_STEPS))
    step_seconds: int = 60
    ramp_seconds: int = 10
    workers: int = 2
    database: str | None = None
    redis_url: str | None = None
    seed: bool = True
    out: str | None = None


class LoadRunner(Runner):
    def __init__(self, options: LoadOptions, write=print):
        label = server.scale_label(options.scale)
        # Its own database: the load run writes (entries, replies, sign-offs), and the bench
        # counts on the seeded figures (a thread of exactly 1,000 replies, six waiting).
        database = options.database or "holdinghope_load_s" + label.replace(".", "_")
        super().__init__(
            Options(
                scale=options.scale,
                workers=options.workers,
                database=database,
                seed=options.seed,
                manifest=str(server.OUT_DIR / f"manifest-load-s{label}.json"),
            ),
            write=write,
        )
        self.load = options
        self.redis_url = options.redis_url or os.environ.get("REDIS_URL") or server.REDIS_URL
        self.env = {
            **server.serving_env(self.db_url, self.static_root, self.redis_url),
            **LIFTED_LIMITS,
        }

    def sign_in_crowd(self, manifest: dict) -> dict:
        wanted = sessions_wanted(self.load.steps)
        accounts = {
            f"{persona}-{n}": manifest["accounts"][persona]
            for persona, count in wanted.items()
            for n in range(count)
        }
        self.say(f"Signing in {len(accounts)} sessions ({wanted})…")
        signed = server.internal("sessions", self.env, {"accounts": accounts})
        sessions: dict[str, list[str]] = {persona: [] for persona in wanted}
        for key, persona_session in signed["personas"].items():
            sessions[key.rsplit("-", 1)[0]].append(persona_session["session"])
        return {"cookie": signed["cookie"], "sessions": sessions}

    def run(self) -> int:
        load = self.load
        self.say(
            f"Load at scale {self.label}: database {self.db_name}, Redis {self.redis_url}, "
            f"steps {load.steps} people, {load.step_seconds} s each."
        )
        locust = ensure_locust(self.say)
        manifest = self.prepare_data()
        self.collect_static()
        if self.redis_url == server.REDIS_URL:
            server.flush_redis(self.redis_url)  # the bench's own database only
        crowd = self.sign_in_crowd(manifest)
        plan = {**crowd, "urls": {name: manifest["pages"][name]["url"] for name in PAGES}}
        plan_path = server.OUT_DIR / f"load-plan-s{self.label}.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        log = server.OUT_DIR / f"gunicorn-load-s{self.label}.log"
        gunicorn = server.Gunicorn(self.env, workers=load.workers, log=log)
        steps: list[capacity.Step] = []
        try:
            gunicorn.wait_ready()
            workers = gunicorn.worker_pids()
            self.say(f"gunicorn is up on 127.0.0.1:{gunicorn.port} (workers {workers}).")
            self.check_crowd(plan, gunicorn.port)
            for users in load.steps:
                step = self.step(locust, plan_path, gunicorn.port, workers, users)
                steps.append(step)
                self.say(
                    f"{users} people: {step.rps:.1f} req/s, p50/p95/p99 "
                    f"{step.p50}/{step.p95}/{step.p99} ms, {step.failures} errors of "
                    f"{step.requests}, web CPU {step.web_cpu:.2f} cores, machine "
                    f"{step.machine_busy:.0%} busy."
                )
                if capacity.problems(step):
                    break
        finally:
            gunicorn.stop()
        return self.report(steps)

    def check_crowd(self, plan: dict, port: int) -> None:
        """Every page answers 200 to one of the sessions before any load."""
        personas = {"signoff_queue": "supervisor", "org_report": "org_admin"}
        for name, url in plan["urls"].items():
            persona = personas.get(name, "practitioner")
            cookie = f"{plan['cookie']}={plan['sessions'][persona][0]}"
            raw = build_request(url, host="127.0.0.1", cookie=cookie)
            target = Target(name, "127.0.0.1", port, raw)
            response = self.fetch_patiently(name, target)
            if response.status != 200:
                raise BenchError(
                    f"The page '{name}' ({url}) answered {response.status} for {persona} "
                    "instead of 200; check the manifest and the seeded data."
                )
        self.say(f"All {len(plan['urls'])} pages answer 200 to the signed-in sessions.")

    def step(
        self, locust: Path, plan_path: Path, port: int, workers: list[int], users: int
    ) -> capacity.Step:
        load = self.load
        prefix = server.OUT_DIR / f"load-s{self.label}-{users}"
        command = [
            str(locust),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            f"http://127.0.0.1:{port}",
            "--users",
            str(users),
            "--spawn-rate",
            f"{max(1.0, users / load.ramp_seconds):g}",
            "--run-time",
            f"{load.ramp_seconds + load.step_seconds}s",
            "--reset-stats",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ]
        self.say(
            f"Step: {users} people for {load.step_seconds} s after a {load.ramp_seconds} s ramp…"
        )
        env = {**os.environ, "HOPE_LOAD_PLAN": str(plan_path)}
        with Path(f"{prefix}.log").open("w", encoding="utf-8") as output:
            process = subprocess.Popen(  # noqa: S603  (our own locust, fixed arguments)
                command, env=env, cwd=server.BASE_DIR, stdout=output, stderr=subprocess.STDOUT
            )
            try:
                time.sleep(load.ramp_seconds)  # the statistics are reset when the ramp ends
                sample0 = self.sample(workers, process.pid)
                began = time.monotonic()
                connections, max_connections = 0, 0
                while time.monotonic() - began < load.step_seconds - 2:
                    now, max_connections = self.db_connections()
                    connections = max(connections, now)
                    time.sleep(1)
                sample1 = self.sample(workers, process.pid)
                wall = time.monotonic() - began
                process.wait(timeout=load.step_seconds + 120)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        stats_file = Path(f"{prefix}_stats.csv")
        if not stats_file.exists():
            raise BenchError(f"locust wrote no statistics for {users} people; see {prefix}.log.")
        stats = capacity.read_stats(stats_file.read_text(encoding="utf-8"))
        kinds: dict[str, int] = {}
        for suffix, reader in (
            ("failures", capacity.read_failures),
            ("exceptions", capacity.read_exceptions),
        ):
            path = Path(f"{prefix}_{suffix}.csv")
            if path.exists():
                kinds.update(reader(path.read_text(encoding="utf-8")))
        exceptions = sum(n for kind, n in kinds.items() if kind.startswith("exception: "))
        stats["failures"] += exceptions

        def cores(key: str) -> float:
            return round(procstat.cpu_seconds_between(sample0[key], sample1[key]) / wall, 2)

        busy = sample1["machine"][0] - sample0["machine"][0]
        total = sample1["machine"][1] - sample0["machine"][1]
        return capacity.Step(
            users=users,
            **stats,
            seconds=round(wall, 1),
            cores=os.cpu_count() or 1,
            web_cpu=cores("web"),
            db_cpu=cores("db"),
            redis_cpu=cores("redis"),
            client_cpu=cores("client"),
            machine_busy=round(busy / total, 3) if total else 0.0,
            db_connections=connections,
            db_max_connections=max_connections,
            failure_kinds=kinds,
        )

    def sample(self, workers: list[int], locust_pid: int) -> dict:
        redis_pids = [
            pid
            for pid in procstat.all_pids()
            if (stat := procstat.read_stat(pid)) is not None and stat.comm == "redis-server"
        ]
        return {
            "web": procstat.ticks_of(workers),
            "db": procstat.ticks_of(procstat.postgres_pids(self.db_name)),
            "redis": procstat.ticks_of(redis_pids),
            "client": procstat.ticks_of([locust_pid]),
            "machine": procstat.machine_ticks(),
        }

    def db_connections(self) -> tuple[int, int]:
        """(connections to the load database now, the server's max_connections)."""
        import psycopg

        where = server.server_url()
        with psycopg.connect(
            host=where["host"],
            port=where["port"],
            user=where["user"],
            password=where["password"] or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            row = conn.execute(
                "SELECT count(*), current_setting('max_connections')::int "
                "FROM pg_stat_activity WHERE datname = %s",
                [self.db_name],
            ).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def report(self, steps: list[capacity.Step]) -> int:
        served, broke = capacity.capacity(steps)
        result = {
            "scale": self.label,
            "database": self.db_name,
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "cpus": os.cpu_count(),
            "workers": self.load.workers,
            "locust": LOCUST_VERSION,
            "step_seconds": self.load.step_seconds,
            "ramp_seconds": self.load.ramp_seconds,
            "p95_limit_ms": capacity.P95_LIMIT_MS,
            "steps": [step.as_dict() for step in steps],
            "capacity": served,
            "broke_at": broke.users if broke else None,
            "bottleneck": capacity.bottleneck(broke) if broke else None,
        }
        out = Path(self.load.out or server.OUT_DIR / f"load-s{self.label}.json")
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        self.write("")
        self.write(capacity.table(steps))
        self.write("")
        self.write(capacity.summary(steps))
        self.say(f"Result written to {out}.")
        return 0
