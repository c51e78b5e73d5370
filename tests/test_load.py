"""The load run's arithmetic (learning/bench/capacity.py) on canned numbers, and the locustfile:
it parses, defines the five kinds of people, is imported by nothing in the project, and its
form reader sends back the CSRF and one-time submission tokens a page puts in its forms. The
real run is `make load` (docs/performance.md), not a test: it seeds a database and runs gunicorn
and locust for minutes."""

from __future__ import annotations

import ast
import random
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from learning.bench import capacity, loadrun

LOCUSTFILE = Path(loadrun.__file__).with_name("locustfile.py")

STATS_CSV = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,lesson,400,0,21,25.1,9,180,40000,6.7,0.0,21,24,27,30,40,55,80,110,170,180,180\n"
    "POST,thread reply,30,1,40,52.0,20,300,0,0.5,0.02,40,45,50,60,90,120,300,300,300,300,300\n"
    ",Aggregated,1200,1,23,27.3,8,300,30000,20.04,0.02,23,26,29,33,45,64,95,130,250,300,300\n"
)
FAILURES_CSV = (
    "Method,Name,Error,Occurrences\n"
    "POST,thread reply,POST thread reply answered 500,1\n"
    "GET,lesson,ConnectionRefusedError(111),4\n"
)


def step(users, p95, failures=0, **extra):
    return capacity.Step(users=users, requests=1000, failures=failures, p95=p95, **extra)


def test_steps_are_rising_positive_numbers():
    assert capacity.parse_steps("10, 20,40,80") == [10, 20, 40, 80]
    for bad in ("", "0,10", "20,10", "10,10"):
        with pytest.raises(ValueError):
            capacity.parse_steps(bad)


def test_reads_the_aggregated_row_of_locusts_statistics():
    assert capacity.read_stats(STATS_CSV) == {
        "requests": 1200,
        "failures": 1,
        "rps": 20.0,
        "p50": 23.0,
        "p95": 64.0,
        "p99": 130.0,
    }
    with pytest.raises(ValueError):
        capacity.read_stats(STATS_CSV.splitlines()[0] + "\n")


def test_reads_the_failures_by_kind():
    assert capacity.read_failures(FAILURES_CSV) == {
        "POST thread reply: POST thread reply answered 500": 1,
        "GET lesson: ConnectionRefusedError(111)": 4,
    }


def test_a_step_is_within_the_target_only_with_p95_at_most_200_ms_and_no_errors():
    assert capacity.problems(step(10, 200.0)) == []
    assert capacity.problems(step(10, 210.0)) == ["p95 210.0 ms > 200 ms"]
    assert capacity.problems(step(10, 90.0, failures=2)) == ["2 errors"]
    assert capacity.problems(capacity.Step(users=10)) == [
        "no request was made",
        "p95 – ms > 200 ms",
    ]


def test_capacity_is_the_last_step_within_the_target_before_the_first_over_it():
    steps = [step(10, 40), step(20, 60), step(40, 150), step(80, 420), step(160, 90)]
    served, broke = capacity.capacity(steps)
    assert served == 40
    assert broke is steps[3]
    # Errors break it as much as latency does.
    served, broke = capacity.capacity([step(10, 40), step(20, 60, failures=1)])
    assert (served, broke.users) == (10, 20)


def test_capacity_when_no_step_or_every_step_is_within_the_target():
    assert capacity.capacity([step(10, 500)])[0] is None
    served, broke = capacity.capacity([step(10, 40), step(20, 60)])
    assert (served, broke) == (20, None)
    assert "at least" in capacity.summary([step(10, 40), step(20, 60)])


def test_where_it_breaks():
    cpu = step(80, 420, web_cpu=1.5, db_cpu=0.2, machine_busy=0.97)
    assert capacity.bottleneck(cpu).startswith("CPU: the machine was 97% busy")
    connections = step(80, 420, db_connections=98, db_max_connections=100)
    assert capacity.bottleneck(connections).startswith("database connections: 98 of 100")
    refused = step(80, 90, failures=3, failure_kinds={"GET lesson: connection to server": 3})
    assert capacity.bottleneck(refused).startswith("database connections")
    redis = step(80, 420, redis_cpu=0.95, machine_busy=0.5)
    assert capacity.bottleneck(redis).startswith("Redis")
    assert capacity.bottleneck(step(80, 420, machine_busy=0.4)).startswith("no resource")


def test_summary_and_table():
    steps = [step(10, 40, rps=1.5, p50=20, p99=60), step(20, 260, machine_busy=0.95)]
    text = capacity.summary(steps)
    assert text.startswith("Capacity: 10 concurrently active people within p95 ≤ 200 ms")
    assert "At 20 people: p95 260 ms > 200 ms" in text
    assert "CPU" in text
    table = capacity.table(steps).splitlines()
    assert len(table) == 4
    assert table[2].startswith("| 10 | 1.5 | 20/40/60 | 0 |")


def test_sessions_for_the_crowd():
    assert loadrun.sessions_wanted([10, 20, 40]) == {
        "practitioner": 40,
        "supervisor": 8,
        "org_admin": 2,
    }


def test_locustfile_parses_and_defines_the_five_kinds_of_people():
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    weights = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
            isinstance(base, ast.Name) and base.id == "Person" for base in node.bases
        ):
            for item in node.body:
                if isinstance(item, ast.Assign) and item.targets[0].id == "weight":
                    weights[node.name] = item.value.value
    assert weights == {
        "Practitioner": 50,
        "JournalWriter": 20,
        "Supervisor": 7,
        "CommunityMember": 20,
        "OrganisationAdmin": 3,
    }


def test_nothing_in_the_project_imports_the_locustfile():
    code = (
        "import sys, learning.bench, learning.bench.loadrun, learning.bench.capacity\n"
        "assert 'locust' not in sys.modules and 'learning.bench.locustfile' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=LOCUSTFILE.parents[2])
    root = LOCUSTFILE.parents[2]
    for folder in ("learning", "modules", "reflection", "community"):
        for path in (root / folder).rglob("*.py"):
            if path != LOCUSTFILE:
                assert "locustfile" not in path.read_text(encoding="utf-8").replace(
                    "locustfile.py", ""
                ), path


def _form_reader():
    """The locustfile's form reading (Form, FormParser, parse, form_where), without locust."""
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    wanted = {"Form", "FormParser", "parse", "form_where"}
    body = [n for n in tree.body if getattr(n, "name", None) in wanted]
    namespace = {"HTMLParser": HTMLParser, "random": random, "re": re, "TEXT": "Some text."}
    exec(compile(ast.Module(body=body, type_ignores=[]), str(LOCUSTFILE), "exec"), namespace)  # noqa: S102
    return namespace


PAGE = """
<form method="post" action="/community/s/1/follow/">
  <input type="hidden" name="csrfmiddlewaretoken" value="A">
</form>
<form method="post" action="/community/s/1/" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="CSRF">
  <input type="hidden" name="submission_token" value="ONCE">
  <input type="hidden" name="quote" value="">
  <textarea name="body"></textarea>
  <button class="nhsuk-button" type="submit">Post reply</button>
</form>
<a href="/sign-off/7/">A request</a>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="B">
  <input type="radio" name="answer" value="2"><input type="radio" name="answer" value="3">
  <button type="submit" name="action" value="sign">Sign off</button>
</form>
"""


def test_the_form_reader_sends_back_the_csrf_and_submission_tokens():
    reader = _form_reader()
    page = reader["parse"](PAGE)
    assert page.links == ["/sign-off/7/"]
    reply = reader["form_where"](page, re.escape("/community/s/1/") + "$")
    data = reply.data(body="Hello")
    assert ("csrfmiddlewaretoken", "CSRF") in data
    assert ("submission_token", "ONCE") in data
    assert ("body", "Hello") in data
    decide = reader["form_where"](page, "^/here/$", path="/here/")
    assert ("action", "sign") in decide.buttons
    answer = dict(decide.data(action="sign"))
    assert answer["answer"] in ("2", "3")
    assert answer["csrfmiddlewaretoken"] == "B"


def test_errors_in_the_simulated_peoples_code_are_read_too():
    text = (
        "Count,Message,Traceback,Nodes\n"
        "2,\"'list' object has no attribute 'read'\",\"  File x\",local\n"
    )
    assert capacity.read_exceptions(text) == {"exception: 'list' object has no attribute 'read'": 2}
