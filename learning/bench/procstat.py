"""CPU time of processes from /proc (Linux): utime + stime of /proc/<pid>/stat, in seconds."""

from __future__ import annotations

import os
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = "/proc"


@dataclass(frozen=True)
class Stat:
    pid: int
    comm: str
    ppid: int
    ticks: int  # utime + stime


def parse_stat(text: str) -> Stat:
    """Parse one /proc/<pid>/stat line. The command name is in parentheses and may itself hold
    spaces and parentheses, so the fields are split after the last ')'."""
    open_at = text.index("(")
    close_at = text.rindex(")")
    pid = int(text[:open_at].strip())
    comm = text[open_at + 1 : close_at]
    fields = text[close_at + 2 :].split()
    # fields[0] is field 3 (state); ppid is field 4, utime 14, stime 15 (man 5 proc).
    ppid = int(fields[1])
    utime, stime = int(fields[11]), int(fields[12])
    return Stat(pid=pid, comm=comm, ppid=ppid, ticks=utime + stime)


def read_stat(pid: int, proc: str = PROC) -> Stat | None:
    try:
        with open(f"{proc}/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            return parse_stat(handle.read())
    except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
        return None


def read_cmdline(pid: int, proc: str = PROC) -> str:
    try:
        with open(f"{proc}/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def all_pids(proc: str = PROC) -> list[int]:
    return [int(name) for name in os.listdir(proc) if name.isdigit()]


def children_of(parent: int, proc: str = PROC) -> list[int]:
    found = []
    for pid in all_pids(proc):
        stat = read_stat(pid, proc)
        if stat is not None and stat.ppid == parent:
            found.append(pid)
    return found


# Auxiliary PostgreSQL processes that work for every database (their CPU is part of the cost).
POSTGRES_AUXILIARY = (
    "checkpointer",
    "background writer",
    "walwriter",
    "autovacuum launcher",
    "logical replication launcher",
    "stats collector",
)


def is_postgres_for(cmdline: str, database: str) -> bool:
    """A backend of ``database`` ("postgres: user db 127.0.0.1(1234) idle") or an auxiliary
    process; backends of other databases (other people's tests) are left out."""
    if not cmdline.startswith("postgres:"):
        # The postmaster itself ("/usr/lib/postgresql/15/bin/postgres -D …").
        return cmdline.split(" ", 1)[0].endswith("/postgres")
    words = cmdline[len("postgres:") :].split()
    if words and words[0].endswith(":"):  # a cluster name, e.g. "15/main:"
        words = words[1:]
    if len(words) >= 2 and words[1] == database:
        return True
    rest = " ".join(words)
    return any(rest.startswith(name) for name in POSTGRES_AUXILIARY)


def postgres_pids(database: str, proc: str = PROC) -> list[int]:
    pids = []
    for pid in all_pids(proc):
        stat = read_stat(pid, proc)
        if stat is None or stat.comm != "postgres":
            continue
        if is_postgres_for(read_cmdline(pid, proc), database):
            pids.append(pid)
    return pids


def ticks_of(pids: list[int], proc: str = PROC) -> dict[int, int]:
    out = {}
    for pid in pids:
        stat = read_stat(pid, proc)
        if stat is not None:
            out[pid] = stat.ticks
    return out


def cpu_seconds_between(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds spent between two samples. A process that appeared in between counts from
    zero; one that exited in between is lost (connections are kept open, so none should)."""
    ticks = sum(value - before.get(pid, 0) for pid, value in after.items())
    return max(ticks, 0) / CLOCK_TICKS


def machine_ticks(proc: str = PROC) -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    with open(f"{proc}/stat", encoding="ascii") as handle:
        first = handle.readline().split()
    values = [int(v) for v in first[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])
    return total - idle, total
