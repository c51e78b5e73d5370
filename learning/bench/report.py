"""Numbers from samples: percentiles, per-page summaries, targets, the baseline comparison and
the table printed at the end of a run."""

from __future__ import annotations

import math
import statistics

FLOOR_BARE = "bare_django"
FLOOR_WAGTAIL = "wagtail_welcome"
FLOORS = (FLOOR_BARE, FLOOR_WAGTAIL)
# A signed-in page with no data of its own: the layout through the whole middleware stack
# (learning/bench/floor.py). Measured like any page, held to its own target.
SIGNED_IN_EMPTY = "signed_in_empty"
# Pages held to a tighter CPU target than the other signed-in pages (docs/performance.md).
LEARNING_PAGES = ("lesson", "module")
BASELINE_GROWTH_LIMIT = 1.25
# However the host moves every page alike, a page that costs this much more than its baseline
# fails: the guard forgives a machine, not a page.
BASELINE_HARD_LIMIT = 1.6
# Fewer measured pages than this say nothing about the host in general.
HOST_SHIFT_MIN_PAGES = 3
# Pages served from the page cache cost a fraction of the bare view; below this much growth
# (in bare-view units) a change is timer noise, not a regression.
BASELINE_NOISE_FLOOR = 0.1
# The same in units of the Wagtail welcome page, which costs five to eight bare views. The two
# cached pages cost a twentieth of it, so a rounding step or a scheduler hiccup moves them by
# 40%; a page that stops being cached costs ten times more and still fails.
BASELINE_NOISE_FLOOR_WAGTAIL = 0.05

TARGETS = {
    "signed_in_p50_ms": 15.0,
    "signed_in_p95_ms": 40.0,
    "signed_in_rps": 150.0,
    "signed_in_queries": 8,
    # CPU per request (web + database) divided by the bare view's in the same run.
    "signed_in_bare_ratio": 12.0,
    "learning_bare_ratio": 10.0,
    "signed_in_empty_bare_ratio": 3.0,
    # A public Wagtail page: site, the reader's locale, route, ancestors, view restrictions.
    "public_queries": 5,
    "public_cached_rps": 1000.0,
    "scale_cpu_ratio": 1.2,
}


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between closest ranks (numpy's
    default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(seconds: list[float]) -> dict:
    ms = [s * 1000.0 for s in seconds]
    return {
        "n": len(ms),
        "p50": _round(percentile(ms, 50)),
        "p95": _round(percentile(ms, 95)),
        "p99": _round(percentile(ms, 99)),
    }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return round(value / floor, 2)


def cpu_summary(*, web_s: float, db_s: float, client_s: float, requests: int) -> dict:
    if requests <= 0:
        return {"web": None, "db": None, "total": None, "client": None}
    web = web_s * 1000.0 / requests
    db = db_s * 1000.0 / requests
    return {
        "web": round(web, 3),
        "db": round(db, 3),
        "total": round(web + db, 3),
        "client": round(client_s * 1000.0 / requests, 3),
    }


def add_ratios(pages: dict, cpus: int) -> None:
    """Each page's web+db CPU per request against the two floors, and the CPU ceiling: the
    requests/s the machine's cores could serve at that cost if nothing else ran."""
    bare = (pages.get(FLOOR_BARE) or {}).get("cpu_ms", {}).get("total")
    wagtail = (pages.get(FLOOR_WAGTAIL) or {}).get("cpu_ms", {}).get("total")
    for page in pages.values():
        total = page.get("cpu_ms", {}).get("total")
        page["ratio_to_bare"] = ratio(total, bare)
        page["ratio_to_wagtail"] = ratio(total, wagtail)
        page["ceiling_rps"] = round(cpus * 1000.0 / total, 1) if total else None
        rps = page.get("load", {}).get("rps")
        page["share_of_ceiling"] = ratio(rps, page["ceiling_rps"])


def add_scale_ratios(pages: dict, other: dict) -> None:
    """CPU per request here against the same page in ``other`` (the 1× run): raw, and divided
    by each run's own bare-view floor (which cancels a difference in how busy the machine was
    between the two runs)."""
    for name, page in pages.items():
        theirs = other.get("pages", {}).get(name, {})
        page["cpu_vs_compare"] = ratio(
            page.get("cpu_ms", {}).get("total"), theirs.get("cpu_ms", {}).get("total")
        )
        page["floor_ratio_vs_compare"] = ratio(
            page.get("ratio_to_bare"), theirs.get("ratio_to_bare")
        )


def targets(pages: dict, *, compared: bool) -> list[dict]:
    """Every target that applies to a page, met or missed (the targets in docs/performance.md)."""
    out = []

    def check(name, what, value, limit, *, at_least=False):
        met = False if value is None else value >= limit if at_least else value <= limit
        out.append(
            {
                "page": name,
                "target": what,
                "value": value,
                "limit": limit,
                "met": met,
                "at_least": at_least,
            }
        )

    for name, page in pages.items():
        if name in FLOORS:
            continue
        signed_in = page.get("as") is not None
        one = page.get("one_client", {})
        if signed_in:
            check(name, "queries", page.get("queries"), TARGETS["signed_in_queries"])
            check(name, "p50 one client (ms)", one.get("p50"), TARGETS["signed_in_p50_ms"])
            check(name, "p95 one client (ms)", one.get("p95"), TARGETS["signed_in_p95_ms"])
            check(
                name,
                "req/s at saturation",
                page.get("load", {}).get("rps"),
                TARGETS["signed_in_rps"],
                at_least=True,
            )
            if name == SIGNED_IN_EMPTY:
                limit = TARGETS["signed_in_empty_bare_ratio"]
            elif name in LEARNING_PAGES:
                limit = TARGETS["learning_bare_ratio"]
            else:
                limit = TARGETS["signed_in_bare_ratio"]
            check(name, "CPU vs bare view", page.get("ratio_to_bare"), limit)
        else:
            check(name, "queries", page.get("queries"), TARGETS["public_queries"])
            if page.get("cached"):
                check(
                    name,
                    "req/s from the page cache",
                    page.get("load", {}).get("rps"),
                    TARGETS["public_cached_rps"],
                    at_least=True,
                )
        if compared:
            check(
                name, "CPU vs compared run", page.get("cpu_vs_compare"), TARGETS["scale_cpu_ratio"]
            )
    return out


# --- the committed baseline (quick mode) -----------------------------------------------------


BASELINE_ABOUT = (
    "Quick benchmark baseline (make bench-quick). Query counts must match exactly; each page's "
    "CPU per request divided by the Wagtail welcome page's, measured in the same run, may grow "
    "by at most 25% beyond the median page's growth, and by at most 60% in all (the ratio to "
    "the bare view is kept for reading). Rewrite with: manage.py "
    "bench --quick --write-baseline"
)


def baseline_from(result: dict) -> dict:
    return {
        "about": BASELINE_ABOUT,
        "scale": result.get("scale"),
        "pages": {
            name: {
                "queries": page.get("queries"),
                "ratio_to_bare": page.get("ratio_to_bare"),
                "ratio_to_wagtail": page.get("ratio_to_wagtail"),
            }
            for name, page in result["pages"].items()
        },
    }


def _guard_ratio(page: dict) -> float | None:
    """The ratio the regression guard compares.

    A page's cost against the Wagtail welcome page in the same run: both are templates, ORM
    and middleware, so a host whose caches or clock favour the tiny bare view (the ratio to
    it moved by 30-45% between virtual machines on unchanged code) moves both alike. Results
    or baselines written before this ratio existed fall back to the bare view."""
    if page.get("ratio_to_wagtail") is not None:
        return page["ratio_to_wagtail"]
    return page.get("ratio_to_bare")


def _ratios(expected: dict, page: dict) -> tuple[float | None, float | None, str, float]:
    """The baseline's and the run's ratio for one page, the yardstick's name and its noise."""
    if expected.get("ratio_to_wagtail") is not None and page.get("ratio_to_wagtail") is not None:
        return (
            expected["ratio_to_wagtail"],
            page["ratio_to_wagtail"],
            "the Wagtail welcome page",
            BASELINE_NOISE_FLOOR_WAGTAIL,
        )
    return (
        expected.get("ratio_to_bare"),
        page.get("ratio_to_bare"),
        "the bare Django view",
        BASELINE_NOISE_FLOOR,
    )


def host_shift(result: dict, baseline: dict) -> float:
    """How much dearer this run makes pages in general: the median growth of the measured pages
    against the baseline, never below 1.

    Unchanged code measured on another virtual machine moved every page by about a fifth
    against the Wagtail page (their mixes of template, ORM and middleware work differ), which
    a single yardstick cannot absorb. A regression in the code moves one page or a few; the
    median moves only when most pages move, and ``BASELINE_HARD_LIMIT`` still holds then."""
    growths = []
    for name, expected in baseline.get("pages", {}).items():
        page = result["pages"].get(name)
        if page is None or name in FLOORS:
            continue
        was, now, _unit, noise = _ratios(expected, page)
        if was and now and was > noise:
            growths.append(now / was)
    if len(growths) < HOST_SHIFT_MIN_PAGES:
        return 1.0
    return max(1.0, statistics.median(growths))


def compare_to_baseline(result: dict, baseline: dict) -> list[str]:
    """One sentence per regression; an empty list when the run is as good as the baseline.

    A page fails when its CPU ratio grew more than 25% beyond the run's general shift
    (``host_shift``), or more than 60% whatever the shift, and by more than timer noise. The two
    floors are the yardsticks, not the code under test: their query counts are pinned, their
    CPU is not (each is measured against the other only for reading)."""
    problems = []
    shift = host_shift(result, baseline)
    for name, expected in baseline.get("pages", {}).items():
        page = result["pages"].get(name)
        if page is None:
            problems.append(f"The page '{name}' is in the baseline but was not measured.")
            continue
        if expected.get("queries") is not None and page.get("queries") != expected["queries"]:
            problems.append(
                f"The page '{name}' now makes {page.get('queries')} queries; the baseline "
                f"pins {expected['queries']}."
            )
        if name in FLOORS:
            continue
        was, now, unit, noise = _ratios(expected, page)
        if not (was and now) or now - was <= noise:
            continue
        if now > was * BASELINE_HARD_LIMIT:
            problems.append(
                f"The page '{name}' costs {now:.2f}× {unit}'s CPU per request; the baseline "
                f"is {was:.2f}×, and more than 60% growth fails."
            )
        elif now > was * BASELINE_GROWTH_LIMIT * shift:
            beyond = "" if shift == 1.0 else f" beyond this run's general {shift - 1:.0%} rise"
            problems.append(
                f"The page '{name}' costs {now:.2f}× {unit}'s CPU per request; the baseline "
                f"is {was:.2f}×, and more than 25% growth{beyond} fails."
            )
    return problems


def keep_cheaper(first: dict, second: dict) -> dict:
    """``first`` with each measured page replaced by its ``second`` measurement where that one
    cost less CPU relative to the floor the guard uses (floors stay from ``first``)."""
    pages = dict(first["pages"])
    for name, page in second["pages"].items():
        was = pages.get(name)
        if was is None or page.get("floor"):
            continue
        if (_guard_ratio(page) or 0) < (_guard_ratio(was) or 0):
            pages[name] = page
    return {**first, "pages": pages, "measured_twice": True}


# --- the table -------------------------------------------------------------------------------


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(result: dict) -> str:
    """A Markdown table of the run, then the targets missed."""
    compared = any(p.get("cpu_vs_compare") is not None for p in result["pages"].values())
    header = [
        "page",
        "as",
        "queries",
        "1 client p50/p95/p99 ms",
        "req/s",
        "loaded p50/p95/p99 ms",
        "CPU ms web",
        "CPU ms db",
        "CPU ms total",
        "× bare",
        "× Wagtail",
    ]
    if compared:
        header.append("× compared run (raw / per floor)")
    header.append("targets")
    missed_by_page: dict[str, list[str]] = {}
    met_by_page: dict[str, int] = {}
    for item in result.get("targets", []):
        if item["met"]:
            met_by_page[item["page"]] = met_by_page.get(item["page"], 0) + 1
        else:
            missed_by_page.setdefault(item["page"], []).append(item["target"])
    rows = [header, ["---"] * len(header)]
    for name, page in result["pages"].items():
        one, load, cpu = page.get("one_client", {}), page.get("load", {}), page.get("cpu_ms", {})
        if name in FLOORS:
            verdict = "floor"
        elif missed_by_page.get(name):
            verdict = "MISS: " + ", ".join(missed_by_page[name])
        else:
            verdict = f"pass ({met_by_page.get(name, 0)})"
        row = [
            name + (" (cache)" if page.get("cached") else ""),
            page.get("as") or "anonymous",
            _fmt(page.get("queries")),
            "/".join(_fmt(one.get(k)) for k in ("p50", "p95", "p99")),
            _fmt(load.get("rps"), 0),
            "/".join(_fmt(load.get(k)) for k in ("p50", "p95", "p99")),
            _fmt(cpu.get("web"), 2),
            _fmt(cpu.get("db"), 2),
            _fmt(cpu.get("total"), 2),
            _fmt(page.get("ratio_to_bare"), 2),
            _fmt(page.get("ratio_to_wagtail"), 2),
        ]
        if compared:
            row.append(
                f"{_fmt(page.get('cpu_vs_compare'), 2)} / "
                f"{_fmt(page.get('floor_ratio_vs_compare'), 2)}"
            )
        row.append(verdict)
        rows.append(row)
    lines = ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    client = [p.get("cpu_ms", {}).get("client") for p in result["pages"].values()]
    client = [c for c in client if c is not None]
    notes = [
        f"Scale {result.get('scale')}, {result.get('cpus')} CPUs, {result.get('workers')} gunicorn "
        f"sync workers, {result.get('concurrency')} client processes at saturation.",
    ]
    if client:
        notes.append(
            f"The load generator itself used {min(client):.2f}–{max(client):.2f} CPU ms per "
            "request."
        )
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n\n" + targets_summary(result)


def targets_summary(result: dict) -> str:
    """Each target, met or not met, with the pages that miss it and by how much."""
    items = result.get("targets") or []
    if not items:
        return "Targets: none checked."
    by_target: dict[str, list[dict]] = {}
    for item in items:
        by_target.setdefault(item["target"], []).append(item)
    met = sum(1 for item in items if item["met"])
    lines = [f"Targets: {met} of {len(items)} met."]
    for target, checks in by_target.items():
        missed = [c for c in checks if not c["met"]]
        if not missed:
            lines.append(f"- {target}: met on all {len(checks)} pages.")
            continue
        sign = "≥" if missed[0].get("at_least") else "≤"
        limits = {c["limit"] for c in checks}
        if len(limits) == 1:
            head = f"{target} ({sign} {_fmt(missed[0]['limit'], 1)})"
            shown = ", ".join(
                f"{c['page']} {_fmt(c['value'], 2)}"
                for c in sorted(missed, key=lambda c: c["page"])
            )
        else:  # each page its own limit (the CPU targets)
            head = target
            shown = ", ".join(
                f"{c['page']} {_fmt(c['value'], 2)} ({sign} {_fmt(c['limit'], 1)})"
                for c in sorted(missed, key=lambda c: c["page"])
            )
        lines.append(f"- {head}: not met on {len(missed)} of {len(checks)} pages ({shown}).")
    return "\n".join(lines)
