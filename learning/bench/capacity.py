"""The arithmetic of ``manage.py bench --load``: one step's figures from locust's CSV summary
and the CPU samples, whether a step is within the target, the capacity figure and where the
node breaks. Plain functions on plain data, so they are tested on canned numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field

P95_LIMIT_MS = 200.0
DEFAULT_STEPS = (200, 400, 600, 800, 1000, 1200)
# A resource this busy, as a share of what it can give, is where the node breaks.
SATURATED = 0.85


@dataclass
class Step:
    users: int
    requests: int = 0
    failures: int = 0
    rps: float = 0.0
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    seconds: float = 0.0
    cores: int = 2
    web_cpu: float = 0.0  # the gunicorn workers' CPU as a share of one core (1.0 = one core)
    db_cpu: float = 0.0  # the bench database's PostgreSQL processes, the same way
    redis_cpu: float = 0.0  # redis-server (shared by everything on the machine)
    client_cpu: float = 0.0  # locust itself
    machine_busy: float = 0.0  # the whole machine, 0..1
    db_connections: int = 0  # the most connections to the bench database seen in the step
    db_max_connections: int = 0
    failure_kinds: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def parse_steps(text: str) -> list[int]:
    """ "10,20,40" → [10, 20, 40]: positive, rising."""
    steps = [int(part) for part in text.replace(" ", "").split(",") if part]
    if not steps or any(n <= 0 for n in steps) or steps != sorted(set(steps)):
        raise ValueError("Give the steps as rising numbers of people, for example 10,20,40,80.")
    return steps


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_stats(csv_text: str) -> dict:
    """The "Aggregated" row of locust's ``<prefix>_stats.csv``: requests, failures, requests a
    second and the 50th, 95th and 99th percentiles in milliseconds."""
    for row in csv.DictReader(io.StringIO(csv_text)):
        if row.get("Name") == "Aggregated":
            return {
                "requests": int(_number(row.get("Request Count", "0")) or 0),
                "failures": int(_number(row.get("Failure Count", "0")) or 0),
                "rps": round(_number(row.get("Requests/s", "0")) or 0.0, 1),
                "p50": _number(row.get("50%", "")),
                "p95": _number(row.get("95%", "")),
                "p99": _number(row.get("99%", "")),
            }
    raise ValueError("locust's statistics have no Aggregated row (no request was made).")


def read_failures(csv_text: str) -> dict[str, int]:
    """``<prefix>_failures.csv`` → {"POST thread reply: answered 500": 3, …}."""
    out: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(csv_text)):
        key = f"{row.get('Method', '')} {row.get('Name', '')}: {row.get('Error', '')}".strip()
        out[key] = out.get(key, 0) + int(_number(row.get("Occurrences", "0")) or 0)
    return out


def read_exceptions(csv_text: str) -> dict[str, int]:
    """``<prefix>_exceptions.csv`` (errors in the simulated people's own code, which locust
    does not count as failed requests) → {"exception: <message>": count}."""
    out: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(csv_text)):
        key = f"exception: {row.get('Message', '')}"
        out[key] = out.get(key, 0) + int(_number(row.get("Count", "0")) or 0)
    return out


def problems(step: Step, limit_ms: float = P95_LIMIT_MS) -> list[str]:
    """Why a step is over the target (empty when it is within it)."""
    out = []
    if step.requests == 0:
        out.append("no request was made")
    if step.failures:
        out.append(f"{step.failures} errors")
    if step.p95 is None or step.p95 > limit_ms:
        out.append(f"p95 {step.p95 if step.p95 is not None else '–'} ms > {limit_ms:g} ms")
    return out


def capacity(steps: list[Step], limit_ms: float = P95_LIMIT_MS) -> tuple[int | None, Step | None]:
    """(the most people of a step within the target before the first step over it, that first
    step over it or None). None people when even the first step is over."""
    served = None
    for step in steps:
        if problems(step, limit_ms):
            return served, step
        served = step.users
    return served, None


def bottleneck(step: Step) -> str:
    """Which resource ran out in ``step``, in a sentence: database connections when the errors
    say so or the connections reached the server's limit, the CPU when the machine (or the web
    workers' cores) was saturated, Redis when redis-server used most of its one core."""
    errors = " ".join(step.failure_kinds).lower()
    if (
        step.db_max_connections and step.db_connections >= step.db_max_connections - 3
    ) or "connection" in errors:
        return (
            f"database connections: {step.db_connections} of {step.db_max_connections} "
            "PostgreSQL connections in use"
        )
    if step.redis_cpu >= SATURATED:
        return f"Redis: redis-server used {step.redis_cpu:.0%} of its one core"
    cores = step.cores or 1
    if step.machine_busy >= SATURATED or (step.web_cpu + step.db_cpu) / cores >= SATURATED:
        return (
            f"CPU: the machine was {step.machine_busy:.0%} busy (web workers "
            f"{step.web_cpu:.2f} cores, PostgreSQL {step.db_cpu:.2f}, Redis {step.redis_cpu:.2f}, "
            f"locust {step.client_cpu:.2f} of {cores})"
        )
    return (
        f"no resource was saturated (machine {step.machine_busy:.0%} busy): requests queued for "
        "the web workers"
    )


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def table(steps: list[Step]) -> str:
    head = (
        "| people | req/s | p50/p95/p99 ms | errors | web CPU (cores) | PostgreSQL CPU | "
        "Redis CPU | locust CPU | machine busy | DB connections |"
    )
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for s in steps:
        lines.append(
            f"| {s.users} | {s.rps:.1f} | {_ms(s.p50)}/{_ms(s.p95)}/{_ms(s.p99)} | "
            f"{s.failures} | {s.web_cpu:.2f} | {s.db_cpu:.2f} | {s.redis_cpu:.2f} | "
            f"{s.client_cpu:.2f} | {s.machine_busy:.0%} | {s.db_connections} |"
        )
    return "\n".join(lines)


def summary(steps: list[Step], limit_ms: float = P95_LIMIT_MS) -> str:
    served, broke = capacity(steps, limit_ms)
    if broke is None:
        top = steps[-1].users if steps else 0
        return (
            f"Every step was within p95 ≤ {limit_ms:g} ms with no errors, up to {top} people; "
            "the capacity is at least that (add larger steps to find where it breaks)."
        )
    why = "; ".join(problems(broke, limit_ms))
    if served is None:
        return (
            f"Even the first step ({broke.users} people) was over the target ({why}); "
            f"where it broke: {bottleneck(broke)}."
        )
    return (
        f"Capacity: {served} concurrently active people within p95 ≤ {limit_ms:g} ms and no "
        f"errors. At {broke.users} people: {why}; where it broke: {bottleneck(broke)}."
    )
