"""The benchmark's own arithmetic (learning/bench/): /proc parsing, percentiles and ratios, the
baseline comparison that fails CI, and the table. The end-to-end run is `make bench-quick`
(CI), not a test: it seeds a database and runs gunicorn for about two minutes."""

from __future__ import annotations

import pytest

from learning.bench import procstat, report, server
from learning.bench.load import Target, build_request, fetch

STAT = (
    "4242 (gunicorn: worker [learning.wsgi]) S 4200 4200 4200 0 -1 4194560 20000 0 0 0 "
    "1500 250 0 0 20 0 1 0 12345 300000000 20000 18446744073709551615 1 1 0 0 0 0 0 "
    "16781312 134235650 0 0 0 17 1 0 0 0 0 0"
)


def test_parse_stat_reads_ppid_and_cpu_ticks_after_the_command_name():
    stat = procstat.parse_stat(STAT)
    assert stat.pid == 4242
    assert stat.comm == "gunicorn: worker [learning.wsgi]"
    assert stat.ppid == 4200
    assert stat.ticks == 1500 + 250


def test_parse_stat_copes_with_parentheses_in_the_command_name():
    stat = procstat.parse_stat(STAT.replace("(gunicorn: worker [learning.wsgi])", "(a) b (c)"))
    assert stat.comm == "a) b (c"
    assert stat.ticks == 1750


def test_cpu_seconds_between_counts_new_processes_from_zero():
    before = {1: 100, 2: 50}
    after = {1: 150, 2: 50, 3: 20}
    assert procstat.cpu_seconds_between(before, after) == pytest.approx(70 / procstat.CLOCK_TICKS)


def test_reading_this_process_from_proc():
    import os

    stat = procstat.read_stat(os.getpid())
    assert stat is not None and stat.pid == os.getpid()
    busy, total = procstat.machine_ticks()
    assert 0 <= busy <= total


@pytest.mark.parametrize(
    ("cmdline", "expected"),
    [
        ("postgres: 15/main: postgres holdinghope_bench_s1 127.0.0.1(5000) idle", True),
        ("postgres: postgres holdinghope_bench_s1 127.0.0.1(5000) SELECT", True),
        ("postgres: 15/main: postgres test_other 127.0.0.1(5001) idle", False),
        ("postgres: 15/main: checkpointer", True),
        ("postgres: 15/main: walwriter", True),
        ("/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main", True),
        ("python manage.py runserver", False),
    ],
)
def test_postgres_processes_of_the_bench_database_and_the_auxiliaries(cmdline, expected):
    assert procstat.is_postgres_for(cmdline, "holdinghope_bench_s1") is expected


def test_percentiles_interpolate_like_numpy():
    values = list(range(1, 101))
    assert report.percentile(values, 50) == pytest.approx(50.5)
    assert report.percentile(values, 95) == pytest.approx(95.05)
    assert report.percentile(values, 99) == pytest.approx(99.01)
    assert report.percentile([7.0], 99) == 7.0
    assert report.percentile([], 50) is None


def test_latency_summary_is_in_milliseconds():
    summary = report.latency_summary([0.010, 0.020, 0.030])
    assert summary == {"n": 3, "p50": 20.0, "p95": 29.0, "p99": 29.8}


def test_cpu_per_request_and_ratios_to_the_floors():
    pages = {
        report.FLOOR_BARE: {
            "cpu_ms": report.cpu_summary(web_s=1.0, db_s=0.0, client_s=0.5, requests=1000),
            "load": {"rps": 500.0},
        },
        report.FLOOR_WAGTAIL: {
            "cpu_ms": report.cpu_summary(web_s=4.0, db_s=1.0, client_s=0.5, requests=1000),
            "load": {"rps": 200.0},
        },
        "lesson": {
            "cpu_ms": report.cpu_summary(web_s=5.0, db_s=1.0, client_s=0.5, requests=1000),
            "load": {"rps": 150.0},
        },
    }
    report.add_ratios(pages, cpus=2)
    assert pages["lesson"]["cpu_ms"] == {"web": 5.0, "db": 1.0, "total": 6.0, "client": 0.5}
    assert pages["lesson"]["ratio_to_bare"] == 6.0
    assert pages["lesson"]["ratio_to_wagtail"] == 1.2
    assert pages["lesson"]["ceiling_rps"] == pytest.approx(333.3, abs=0.1)
    assert pages["lesson"]["share_of_ceiling"] == 0.45
    assert report.cpu_summary(web_s=1, db_s=1, client_s=1, requests=0)["total"] is None


def test_scale_ratio_against_the_compared_run():
    pages = {"lesson": {"cpu_ms": {"total": 6.6}, "ratio_to_bare": 5.0}}
    other = {"pages": {"lesson": {"cpu_ms": {"total": 6.0}, "ratio_to_bare": 4.0}}}
    report.add_scale_ratios(pages, other)
    assert pages["lesson"]["cpu_vs_compare"] == 1.1
    assert pages["lesson"]["floor_ratio_vs_compare"] == 1.25


def _result(queries=5, ratio=4.0):
    return {
        "scale": "0.1",
        "cpus": 2,
        "workers": 2,
        "concurrency": 4,
        "pages": {
            report.FLOOR_BARE: {"floor": True, "queries": 0, "ratio_to_bare": 1.0},
            "journal_list": {
                "as": "practitioner",
                "queries": queries,
                "ratio_to_bare": ratio,
                "one_client": {"p50": 9.0, "p95": 20.0, "p99": 30.0},
                "load": {"rps": 180.0, "p50": 20.0, "p95": 40.0, "p99": 50.0},
                "cpu_ms": {"web": 4.0, "db": 1.0, "total": 5.0, "client": 0.3},
            },
        },
    }


def test_baseline_comparison_passes_within_limits():
    baseline = report.baseline_from(_result())
    assert report.compare_to_baseline(_result(ratio=4.9), baseline) == []


def test_baseline_comparison_fails_on_a_changed_query_count():
    baseline = report.baseline_from(_result(queries=5))
    problems = report.compare_to_baseline(_result(queries=6), baseline)
    assert problems == ["The page 'journal_list' now makes 6 queries; the baseline pins 5."]
    # Fewer queries also changes the pin: the baseline is rewritten on purpose.
    assert report.compare_to_baseline(_result(queries=4), baseline)


def _several(**ratios: float) -> dict:
    """A run of several pages measured against the bare view, with the given ratios."""
    result = _result()
    template = result["pages"].pop("journal_list")
    for name, ratio in ratios.items():
        result["pages"][name] = {**template, "ratio_to_bare": ratio}
    return result


def test_baseline_comparison_fails_on_more_than_a_quarter_more_cpu():
    baseline = report.baseline_from(_several(lesson=4.0, thread=8.0, space=6.0))
    problems = report.compare_to_baseline(_several(lesson=5.1, thread=8.0, space=6.0), baseline)
    assert problems == [
        "The page 'lesson' costs 5.10× the bare Django view's CPU per request; the baseline is "
        "4.00×, and more than 25% growth fails."
    ]
    assert report.compare_to_baseline(_several(lesson=4.9, thread=8.0, space=6.0), baseline) == []


def test_a_host_that_makes_every_page_dearer_is_divided_out():
    # Unchanged code on the CI host: the median page a fifth dearer, one page 31%.
    baseline = report.baseline_from(
        _several(lesson=1.27, thread=3.57, space=1.79, org_report=1.89, signoff=2.26)
    )
    ci = _several(lesson=1.52, thread=4.27, space=1.73, org_report=2.48, signoff=2.81)
    assert report.host_shift(ci, baseline) == pytest.approx(1.52 / 1.27)
    assert report.compare_to_baseline(ci, baseline) == []
    # On the same host, a page that grew 25% beyond the others still fails, and says why.
    ci["pages"]["org_report"]["ratio_to_bare"] = 2.95
    assert report.compare_to_baseline(ci, baseline) == [
        "The page 'org_report' costs 2.95× the bare Django view's CPU per request; the baseline "
        "is 1.89×, and more than 25% growth beyond this run's general 20% rise fails."
    ]


def test_a_cheaper_host_does_not_make_the_guard_stricter():
    baseline = report.baseline_from(_several(lesson=4.0, thread=8.0, space=6.0))
    cheap = _several(lesson=4.9, thread=6.0, space=4.5)
    assert report.host_shift(cheap, baseline) == 1.0
    assert report.compare_to_baseline(cheap, baseline) == []


def test_every_page_growing_alike_still_fails_past_the_hard_limit():
    baseline = report.baseline_from(_several(lesson=4.0, thread=8.0, space=6.0))
    everything = _several(lesson=6.8, thread=13.6, space=10.2)
    problems = report.compare_to_baseline(everything, baseline)
    assert len(problems) == 3
    assert all("more than 60% growth fails" in problem for problem in problems)


def test_a_cached_page_moving_by_timer_noise_passes_but_losing_its_cache_fails():
    baseline = report.baseline_from(_with_wagtail(_result(), bare=0.38, wagtail=0.05))
    noisy = _with_wagtail(_result(), bare=0.5, wagtail=0.07)
    assert report.compare_to_baseline(noisy, baseline) == []
    uncached = _with_wagtail(_result(), bare=6.0, wagtail=0.9)
    assert report.compare_to_baseline(uncached, baseline)


def _with_wagtail(result: dict, *, bare: float, wagtail: float) -> dict:
    """``result`` with the Wagtail floor measured and the journal list's two ratios set."""
    result["pages"][report.FLOOR_WAGTAIL] = {
        "floor": True,
        "queries": 2,
        "ratio_to_bare": round(bare / wagtail, 2),
        "ratio_to_wagtail": 1.0,
    }
    result["pages"]["journal_list"]["ratio_to_bare"] = bare
    result["pages"]["journal_list"]["ratio_to_wagtail"] = wagtail
    return result


def test_a_host_that_favours_the_bare_view_does_not_fail_the_guard():
    # Unchanged code on another virtual machine: every page grew 40% against the bare view,
    # and the Wagtail page with them, so against the Wagtail page nothing moved.
    baseline = report.baseline_from(_with_wagtail(_result(), bare=8.0, wagtail=1.5))
    assert baseline["pages"]["journal_list"]["ratio_to_wagtail"] == 1.5
    moved = _with_wagtail(_result(), bare=11.2, wagtail=1.5)
    moved["pages"][report.FLOOR_WAGTAIL]["ratio_to_bare"] = 7.5  # the yardstick is not judged
    assert report.compare_to_baseline(moved, baseline) == []


def test_a_page_that_grew_against_the_wagtail_page_fails_the_guard():
    baseline = report.baseline_from(_with_wagtail(_result(), bare=8.0, wagtail=1.5))
    grown = _with_wagtail(_result(), bare=8.0, wagtail=1.9)
    assert report.compare_to_baseline(grown, baseline) == [
        "The page 'journal_list' costs 1.90× the Wagtail welcome page's CPU per request; the "
        "baseline is 1.50×, and more than 25% growth fails."
    ]
    # The second window is kept when it is cheaper against the same yardstick.
    cheaper = _with_wagtail(_result(), bare=12.0, wagtail=1.6)
    assert report.keep_cheaper(grown, cheaper)["pages"]["journal_list"]["ratio_to_wagtail"] == 1.6


def test_a_floor_changing_its_query_count_still_fails_the_guard():
    baseline = report.baseline_from(_with_wagtail(_result(), bare=8.0, wagtail=1.5))
    changed = _with_wagtail(_result(), bare=8.0, wagtail=1.5)
    changed["pages"][report.FLOOR_WAGTAIL]["queries"] = 3
    assert report.compare_to_baseline(changed, baseline) == [
        "The page 'wagtail_welcome' now makes 3 queries; the baseline pins 2."
    ]


def test_baseline_comparison_fails_on_a_page_no_longer_measured():
    baseline = report.baseline_from(_result())
    result = _result()
    del result["pages"]["journal_list"]
    assert report.compare_to_baseline(result, baseline) == [
        "The page 'journal_list' is in the baseline but was not measured."
    ]


def test_targets_and_table():
    result = _result()
    result["pages"]["journal_list"]["one_client"]["p50"] = 16.0
    result["targets"] = report.targets(result["pages"], compared=False)
    missed = [t["target"] for t in result["targets"] if not t["met"]]
    assert missed == ["p50 one client (ms)"]
    text = report.table(result)
    lines = text.splitlines()
    assert lines[0].startswith("| page | as | queries | 1 client p50/p95/p99 ms | req/s |")
    assert "| journal_list | practitioner | 5 | 16.0/20.0/30.0 | 180 |" in text
    # Absolute CPU per request (web, database, total) beside the ratios.
    assert "| CPU ms web | CPU ms db | CPU ms total | × bare |" in lines[0]
    assert "| 4.00 | 1.00 | 5.00 | 4.00 |" in text
    assert "MISS: p50 one client (ms)" in text
    assert "| bare_django | anonymous | 0 |" in text and "floor" in text
    assert "0.30–0.30 CPU ms per request" in text


def test_table_shows_the_compared_run_column_when_there_is_one():
    result = _result()
    result["pages"]["journal_list"]["cpu_vs_compare"] = 1.3
    result["pages"]["journal_list"]["floor_ratio_vs_compare"] = 1.1
    result["targets"] = report.targets(result["pages"], compared=True)
    text = report.table(result)
    assert "× compared run (raw / per floor)" in text
    assert "| 1.30 / 1.10 |" in text
    assert "CPU vs compared run" in text


def test_public_cached_pages_are_held_to_a_thousand_requests_a_second():
    pages = {"landing": {"as": None, "queries": 3, "cached": True, "load": {"rps": 900.0}}}
    found = {t["target"]: t["met"] for t in report.targets(pages, compared=False)}
    assert found == {"queries": True, "req/s from the page cache": False}


def test_database_names_and_urls():
    assert server.database_name("1") == "holdinghope_bench_s1"
    assert server.database_name("0.1") == "holdinghope_bench_s0_1"
    assert server.database_name("100.0") == "holdinghope_bench_s100"
    with pytest.raises(ValueError):
        server.database_name("0")
    found = server.server_url({"DATABASE_URL": "postgres://bob:pw@db.local:5433/x"})
    assert found == {"host": "db.local", "port": 5433, "user": "bob", "password": "pw"}
    assert server.server_url({"DATABASE_URL": "sqlite:///x"})["host"] == "127.0.0.1"
    assert (
        server.database_url(found, "holdinghope_bench_s1")
        == "postgres://bob:pw@db.local:5433/holdinghope_bench_s1"
    )


def test_serving_environment_is_production_with_https_cookies_and_the_bench_urls(tmp_path):
    env = server.serving_env("postgres://postgres@127.0.0.1:5432/x", tmp_path)
    assert env["DJANGO_SETTINGS_MODULE"] == "learning.settings.production"
    assert env["HOPE_BENCH_URLS"] == "1"
    assert env["HOPE_FIELD_ENCRYPTION_KEYS"] == server.BENCH_KEY
    assert "SECURE_SSL_REDIRECT" not in env
    assert len(env["SECRET_KEY"]) > 40


def test_the_request_claims_https_and_closes_the_connection():
    raw = build_request("/journal/", host="127.0.0.1", cookie="__Secure-sessionid=abc")
    text = raw.decode()
    assert text.startswith("GET /journal/ HTTP/1.1\r\n")
    assert "X-Forwarded-Proto: https\r\n" in text
    assert "Connection: close\r\n" in text
    assert text.endswith("Cookie: __Secure-sessionid=abc\r\n\r\n")


def test_fetch_reads_a_whole_response_from_a_socket_server():
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello")
        conn.close()

    thread = threading.Thread(target=serve)
    thread.start()
    response = fetch(Target("t", "127.0.0.1", port, build_request("/", host="x")))
    thread.join()
    listener.close()
    assert response.status == 200
    assert response.headers["content-type"] == "text/plain"
    assert response.body == b"hello"


def test_a_second_measurement_keeps_each_pages_cheaper_window():
    from learning.bench import report as bench_report

    first = {
        "pages": {
            "bare_django": {"floor": True, "ratio_to_bare": 1.0},
            "thread": {"floor": False, "ratio_to_bare": 9.0, "queries": 8},
            "space": {"floor": False, "ratio_to_bare": 5.0, "queries": 5},
        }
    }
    second = {
        "pages": {
            "bare_django": {"floor": True, "ratio_to_bare": 1.0},
            "thread": {"floor": False, "ratio_to_bare": 6.0, "queries": 8},
            "space": {"floor": False, "ratio_to_bare": 5.5, "queries": 5},
        }
    }
    kept = bench_report.keep_cheaper(first, second)
    assert kept["pages"]["thread"]["ratio_to_bare"] == 6.0
    assert kept["pages"]["space"]["ratio_to_bare"] == 5.0
    assert kept["measured_twice"] is True
    baseline = {"pages": {"thread": {"queries": 8, "ratio_to_bare": 5.0}}}
    assert bench_report.compare_to_baseline(first, baseline)
    assert not bench_report.compare_to_baseline(kept, baseline)


def _silent_then_answering_server(silent: int, first_status: int = 0):
    """A server on loopback that accepts ``silent`` connections without answering, then answers
    every later one with 200: a machine too busy to reply in time, then one that does."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []

    def serve():
        count = 0
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            count += 1
            if count <= silent:
                if first_status:
                    conn.recv(65536)
                    conn.sendall(f"HTTP/1.1 {first_status} Busy\r\n\r\n".encode())
                    conn.close()
                else:
                    held.append(conn)
                continue
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nlate")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()

    def stop():
        listener.close()
        for conn in held:
            conn.close()

    return listener.getsockname()[1], stop


def test_a_slow_answer_is_retried_and_reported_not_a_stack_trace():
    from learning.bench.runner import Options, Runner

    port, stop = _silent_then_answering_server(silent=1)
    said: list[str] = []
    runner = Runner(Options(quick=True), write=said.append)
    try:
        target = Target("lesson", "127.0.0.1", port, build_request("/", host="x"))
        response = runner.fetch_patiently("lesson", target, timeout=0.3, backoff=0.01)
    finally:
        stop()
    assert response.status == 200
    assert response.body == b"late"
    assert any(
        "did not answer in 0.3 s (TimeoutError); trying again in 0.01 s" in line for line in said
    )


def test_a_page_that_never_answers_is_a_bench_error_with_a_message():
    from learning.bench.runner import BenchError, Options, Runner

    port, stop = _silent_then_answering_server(silent=10)
    runner = Runner(Options(quick=True), write=lambda line: None)
    try:
        target = Target("thread", "127.0.0.1", port, build_request("/", host="x"))
        with pytest.raises(BenchError, match="'thread' did not answer after 4 tries"):
            runner.fetch_patiently("thread", target, timeout=0.1, backoff=0.01)
    finally:
        stop()


def test_a_refused_connection_is_said_as_such_and_a_stopped_server_names_its_log(tmp_path):
    import subprocess
    import sys

    from learning.bench.runner import BenchError, Options, Runner
    from learning.bench.server import free_port

    port = free_port()  # nothing listens on it
    said: list[str] = []
    runner = Runner(Options(quick=True), write=said.append)
    target = Target("thread", "127.0.0.1", port, build_request("/", host="x"))
    with pytest.raises(BenchError, match="'thread' did not answer after 2 tries"):
        runner.fetch_patiently("thread", target, attempts=2, timeout=0.1, backoff=0.01)
    assert any("'thread' was refused a connection" in line for line in said)

    class Stopped:  # a gunicorn whose workers could not start
        log = tmp_path / "gunicorn.log"
        process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])

    Stopped.process.wait()
    runner.gunicorn = Stopped()  # type: ignore[assignment]
    with pytest.raises(BenchError, match=r"gunicorn stopped \(exit status 3\).*gunicorn\.log"):
        runner.fetch_patiently("thread", target, attempts=2, timeout=0.1, backoff=0.01)


def test_a_server_error_while_busy_is_retried_and_reported():
    from learning.bench.runner import Options, Runner

    port, stop = _silent_then_answering_server(silent=2, first_status=502)
    said: list[str] = []
    runner = Runner(Options(quick=True), write=said.append)
    try:
        target = Target("lesson", "127.0.0.1", port, build_request("/", host="x"))
        response = runner.fetch_patiently("lesson", target, timeout=1, backoff=0.01)
    finally:
        stop()
    assert response.status == 200
    assert sum("'lesson' answered 502; trying again" in line for line in said) == 2


def test_cpu_targets_against_the_bare_view_per_kind_of_page():
    def page(ratio):
        return {
            "as": "practitioner",
            "queries": 5,
            "ratio_to_bare": ratio,
            "one_client": {"p50": 9.0, "p95": 20.0},
            "load": {"rps": 200.0},
        }

    pages = {
        report.FLOOR_BARE: {"floor": True, "as": None, "ratio_to_bare": 1.0},
        report.SIGNED_IN_EMPTY: page(3.5),
        "lesson": page(10.5),
        "thread": page(11.5),
        "dashboard": page(None),
    }
    found = {
        t["page"]: (t["met"], t["limit"])
        for t in report.targets(pages, compared=False)
        if t["target"] == "CPU vs bare view"
    }
    assert found == {
        report.SIGNED_IN_EMPTY: (False, 3.0),
        "lesson": (False, 10.0),
        "thread": (True, 12.0),
        "dashboard": (False, 12.0),  # not measured is not met, and does not crash
    }


def test_the_targets_summary_says_met_and_not_met_with_the_figures():
    result = _result()
    result["pages"]["journal_list"]["one_client"]["p50"] = 16.0
    result["pages"]["journal_list"]["load"]["rps"] = None
    result["targets"] = report.targets(result["pages"], compared=False)
    summary = report.targets_summary(result)
    assert summary.splitlines()[0] == "Targets: 3 of 5 met."
    assert (
        "- p50 one client (ms) (≤ 15.0): not met on 1 of 1 pages (journal_list 16.00)." in summary
    )
    assert "- req/s at saturation (≥ 150.0): not met on 1 of 1 pages (journal_list –)." in summary
    assert "- queries: met on all 1 pages." in summary
    assert report.targets_summary({"pages": {}}) == "Targets: none checked."
    result["pages"]["lesson"] = {**result["pages"]["journal_list"], "ratio_to_bare": 10.5}
    result["targets"] = report.targets(result["pages"], compared=False)
    assert "- CPU vs bare view: not met on 1 of 2 pages (lesson 10.50 (≤ 10.0))." in (
        report.targets_summary(result)
    )
