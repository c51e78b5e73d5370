"""The mixed workload of ``manage.py bench --load`` (docs/performance.md, "Concurrent people").

Locust runs this file in its own virtual environment (``var/locust-venv``); nothing in the
project imports it, so the project never depends on locust. The run writes a plan (JSON, path
in ``HOPE_LOAD_PLAN``): the session cookie's name, signed-in sessions for each persona and the
bench's URLs from the seeding manifest.

Each simulated person waits 5–20 seconds between actions, as someone reading and writing does
(``HOPE_LOAD_THINK`` multiplies every wait: 0.05 makes a quick check of the workload itself).
Forms are read from the page and sent back with everything the page put in them: the CSRF token
and, on forms that create something, the one-time submission token. Proportions: practitioners
reading lessons and answering checks 50%, journal writers 20%, community members 20%,
supervisors signing off 7%, organisation admins opening reports 3%.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

PLAN = json.loads(Path(os.environ["HOPE_LOAD_PLAN"]).read_text(encoding="utf-8"))
HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}"
TEXT = (
    "Talking the visit through with a colleague helped me see what I would do differently. "
    "Next time I will plan the conversation and leave more time for questions."
)
THINK = float(os.environ.get("HOPE_LOAD_THINK", "1"))
_next_session = {persona: itertools.count() for persona in PLAN["sessions"]}


def session_for(persona: str) -> str:
    sessions = PLAN["sessions"][persona]
    return sessions[next(_next_session[persona]) % len(sessions)]


class Form:
    def __init__(self, action: str, method: str):
        self.action = action
        self.method = method
        self.fields: list[tuple[str, str]] = []
        self.choices: dict[str, list[str]] = {}
        self.buttons: list[tuple[str, str]] = []
        self.textareas: list[str] = []

    def data(self, **values: str) -> list[tuple[str, str]]:
        """The form's own fields (hidden and filled), each choice's first option unless given,
        every empty text area filled, then ``values`` over the top."""
        out = [(name, value) for name, value in self.fields if name not in values]
        for name, options in self.choices.items():
            if name not in values and options:
                out.append((name, random.choice(options)))
        for name in self.textareas:
            if name not in values:
                out.append((name, TEXT))
        out.extend(values.items())
        return out


class FormParser(HTMLParser):
    """Every <form> on a page with its inputs, text areas and named buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                self._form.choices.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind == "submit":
                self._form.buttons.append((a["name"], a.get("value", "")))
            else:
                self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._form.textareas.append(a["name"])
        elif tag == "button":
            self._form.buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def form_where(page: FormParser, pattern: str, *, path: str = "") -> Form | None:
    """The first POST form whose action (the page itself when it has none) matches."""
    for form in page.forms:
        if form.method == "post" and re.search(pattern, form.action or path):
            return form
    return None


def think(low: float = 5, high: float = 20) -> None:
    time.sleep(random.uniform(low, high) * THINK)  # gevent-patched: other users run meanwhile


class Person(FastHttpUser):
    """A signed-in person: their own session cookie (a fresh session for each simulated person)
    and whatever cookies the site sets, sent as a browser behind the TLS proxy would send them."""

    abstract = True
    persona = "practitioner"
    wait_time = between(5 * THINK, 20 * THINK)

    def on_start(self) -> None:
        self.cookies = {PLAN["cookie"]: session_for(self.persona)}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept": "text/html",
        }
        headers.update(extra or {})
        return headers

    def _keep_cookies(self, response) -> None:
        headers = response.headers
        if headers is None:
            return
        for line in headers.getlist("set-cookie"):
            pair = line.split(";", 1)[0]
            name, _sep, value = pair.partition("=")
            if name.strip():
                self.cookies[name.strip()] = value.strip()

    def get(self, url: str, name: str) -> str:
        with self.client.get(
            url, headers=self._headers(), name=name, catch_response=True, allow_redirects=False
        ) as response:
            self._keep_cookies(response)
            if response.status_code != 200:
                response.failure(f"GET {name} answered {response.status_code}")
                return ""
            return response.text or ""

    def post(
        self,
        url: str,
        data: list[tuple[str, str]],
        name: str,
        *,
        ok: tuple[int, ...] = (302, 303),
        extra: dict | None = None,
    ):
        sent = {
            "Origin": ORIGIN,
            "Referer": ORIGIN + url,
            "Content-Type": "application/x-www-form-urlencoded",
            **(extra or {}),
        }
        with self.client.post(
            url,
            data=urlencode(data),
            headers=self._headers(sent),
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            self._keep_cookies(response)
            if response.status_code not in ok:
                response.failure(f"POST {name} answered {response.status_code}")
                return None
            return response


class Practitioner(Person):
    """Reads a lesson and answers its check (as the page's script does, for the fragment);
    opens My learning and My home."""

    weight = 50

    @task(5)
    def read_lesson(self) -> None:
        url = PLAN["urls"]["lesson"]
        html = self.get(url, "lesson")
        form = form_where(parse(html), r"/checks/") if html else None
        if form is not None and random.random() < 0.5:
            think(5, 15)
            self.post(
                form.action, form.data(), "check answer", ok=(200,), extra={"X-Hope-Fragment": "1"}
            )

    @task(2)
    def my_learning(self) -> None:
        self.get(PLAN["urls"]["my_learning"], "my_learning")

    @task(2)
    def dashboard(self) -> None:
        self.get(PLAN["urls"]["dashboard"], "dashboard")


class JournalWriter(Person):
    """Starts a reflection, is autosaved twice while writing, saves it; reads the journal."""

    weight = 20

    @task(2)
    def write(self) -> None:
        model = random.choice(["free", "gibbs", "rolfe", "johns", "kolb"])
        html = self.get(f"/journal/new/?model={model}", "journal new")
        forms = parse(html).forms if html else []
        form = next((f for f in forms if any(name == "model" for name, _v in f.fields)), None)
        if form is None:
            return
        today = date.today()
        values = {
            "title": "A visit that went differently",
            "tags": "load test",
            "experienced_on_day": str(today.day),
            "experienced_on_month": str(today.month),
            "experienced_on_year": str(today.year),
        }
        action = "/journal/new/"
        entry = ""
        for _round in range(2):
            think(5, 15)
            data = [(k, v) for k, v in form.data(**values) if k != "confirm_identifiers"]
            if entry:
                data.append(("entry", entry))
            response = self.post("/journal/autosave/", data, "journal autosave", ok=(200,))
            if response is None:
                return
            result = json.loads(response.text or "{}")
            if result.get("saved") and not entry:
                entry = str(result.get("entry", ""))
                action = result.get("edit_url") or action
        think(5, 15)
        self.post(action, form.data(**values), "journal save")

    @task(1)
    def journal_list(self) -> None:
        self.get(PLAN["urls"]["journal_list"], "journal_list")

    @task(1)
    def journal_entry(self) -> None:
        self.get(PLAN["urls"]["journal_entry"], "journal_entry")


class Supervisor(Person):
    """Opens the sign-off queue, then a request of their own in it, and decides it: signs it
    off when it is waiting, reopens it once signed (so the queue never empties during a run).
    Each simulated supervisor keeps to one request, so two never decide the same one at once;
    when there are more simulated supervisors than requests in the queue, the others open a
    request and read it without deciding (the seeded supervisor has a few dozen)."""

    weight = 7
    persona = "supervisor"
    numbers = itertools.count()

    def on_start(self) -> None:
        super().on_start()
        self.number = next(Supervisor.numbers)
        self.request_id: int | None = None
        self.decides = False

    @task
    def sign_off(self) -> None:
        page = parse(self.get(PLAN["urls"]["signoff_queue"], "signoff_queue"))
        if self.request_id is None:
            found = (re.fullmatch(r"/sign-off/(\d+)/", link) for link in page.links)
            ids = sorted({int(m.group(1)) for m in found if m})
            if not ids:
                return
            self.decides = self.number < len(ids)
            self.request_id = ids[self.number % len(ids)]
        think(5, 15)
        url = f"/sign-off/{self.request_id}/"
        detail = parse(self.get(url, "signoff_detail"))
        if not self.decides:
            return
        think(5, 20)
        for form in detail.forms:
            if form.method != "post":
                continue
            if ("action", "sign") in form.buttons:
                self.post(url, form.data(action="sign", comment=TEXT), "signoff decide")
                return
            if ("action", "reopen") in form.fields:
                self.post(url, form.data(comment=TEXT), "signoff decide")
                return


class CommunityMember(Person):
    """Opens a space and a thread; sometimes replies."""

    weight = 20

    @task
    def read_and_reply(self) -> None:
        self.get(PLAN["urls"]["space"], "space")
        think(5, 15)
        url = PLAN["urls"]["thread"]
        html = self.get(url, "thread")
        form = form_where(parse(html), re.escape(url) + "$") if html else None
        if form is not None and random.random() < 0.3:
            think(10, 20)
            self.post(url, form.data(body=TEXT), "thread reply")


class OrganisationAdmin(Person):
    """Opens the organisation's report, and My home now and then."""

    weight = 3
    persona = "org_admin"

    @task(3)
    def report(self) -> None:
        self.get(PLAN["urls"]["org_report"], "org_report")

    @task(1)
    def dashboard(self) -> None:
        self.get(PLAN["urls"]["dashboard"], "dashboard")
