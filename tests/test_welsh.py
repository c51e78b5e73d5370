"""The service in Welsh: the Welsh catalogue is complete and up to date with the code, pages
render in Welsh for each role with ``<html lang="cy">`` and no English interface message left,
the "Cymraeg" / "English" switcher is remembered on the account and in the browser, emails go
in the recipient's language, and choosing Welsh costs no query."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from learning import notify
from learning.dates import nhs_date, nhs_datetime
from learning.models import AuditEvent, Notification, User

from .factories import PASSWORD, UserFactory

ROOT = Path(settings.BASE_DIR)
WELSH_PO = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
WELSH_MO = WELSH_PO.with_suffix(".mo")
# Source folders whose messages are extracted (what `makemessages` reads in the project).
SOURCES = ("community", "learning", "modules", "reflection", "templates")
# Words that are the same in both languages or are names: never a sign of a missed message.
SAME_IN_BOTH = {"Holding Hope", "PDF", "CSV", "English", "Cymraeg"}


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def po_entries(path: Path) -> list[dict]:
    """Each entry of a .po file: ``msgid``, ``plural``, ``msgstr`` (a list of forms) and
    whether it is fuzzy. The header (empty msgid) is left out."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None and entry["msgid"]:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"msgid": "", "plural": None, "msgstr": {}, "fuzzy": False, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            entry["plural"] = _unquote(line[13:])
            field = ("plural",)
        elif line.startswith("msgid "):
            entry["msgid"] = _unquote(line[6:])
            field = ("msgid",)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            entry["msgstr"][index] = _unquote(line[line.index("]") + 2 :])
            field = ("msgstr", index)
        elif line.startswith("msgstr "):
            entry["msgstr"][0] = _unquote(line[7:])
            field = ("msgstr", 0)
        elif line.startswith('"') and field is not None:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] = (entry[field[0]] or "") + _unquote(line)
    return entries


# --- (a) the catalogue ----------------------------------------------------------------------


def test_every_welsh_message_is_translated_and_not_fuzzy():
    entries = po_entries(WELSH_PO)
    assert len(entries) > 1500
    problems = []
    for entry in entries:
        forms = entry["msgstr"]
        expected = 6 if entry["plural"] is not None else 1
        if entry["fuzzy"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        elif len(forms) != expected or not all(forms.values()):
            problems.append(f"not translated: {entry['msgid']!r}")
    assert problems == [], "Welsh catalogue problems:\n" + "\n".join(problems)


def test_welsh_translations_keep_every_placeholder():
    placeholder = re.compile(r"%\([a-z_0-9]+\)[sd]|%%|\{[a-z_0-9]*\}|<[^>]+>")
    problems = []
    for entry in po_entries(WELSH_PO):
        for index, text in entry["msgstr"].items():
            source = entry["msgid"] if index == 1 or entry["plural"] is None else entry["plural"]
            if sorted(placeholder.findall(text)) != sorted(placeholder.findall(source)):
                problems.append(f"{entry['msgid']!r} -> {text!r}")
    assert problems == [], "Placeholders differ:\n" + "\n".join(problems)


def test_the_welsh_header_has_the_six_welsh_plural_forms():
    header = WELSH_PO.read_text(encoding="utf-8").split("\n\n", 1)[0]
    fields = "".join(_unquote(line) for line in header.splitlines() if line.startswith('"'))
    assert "Language: cy\n" in fields
    assert (
        "Plural-Forms: nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 "
        ": (n==6) ? 4 : 5;" in fields
    )


def test_the_compiled_welsh_catalogue_matches_the_po_file(tmp_path):
    """The committed .mo is what Django reads (a fresh machine does not compile): it must be
    the .po compiled, so a translation changed in the .po is not silently missing."""
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt (GNU gettext) is needed to check the compiled catalogue")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(WELSH_PO)], check=True)
    assert fresh.read_bytes() == WELSH_MO.read_bytes(), (
        "locale/cy/LC_MESSAGES/django.mo is out of date: run "
        "`python manage.py compilemessages -l cy` and commit it"
    )


def test_the_english_catalogue_keeps_allauths_wording_and_is_compiled(tmp_path):
    english_po = ROOT / "locale" / "en_GB" / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(english_po)], check=True)
    assert fresh.read_bytes() == english_po.with_suffix(".mo").read_bytes()
    allauth_po = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
    reworded = {e["msgid"]: e["msgstr"][0] for e in po_entries(allauth_po)}
    for entry in po_entries(english_po):
        if entry["plural"] is None:
            assert entry["msgstr"][0] == reworded.get(entry["msgid"], entry["msgid"])
    with translation.override("en-gb"):
        assert translation.gettext("Incorrect password.") == (
            "The password is not right. Check it and try again"
        )
        assert translation.gettext("Skip to main content") == "Skip to main content"


def test_the_welsh_catalogue_has_every_message_in_the_code(tmp_path, settings):
    """Extract the messages afresh (``makemessages`` into a temporary folder holding links to
    the project's sources) and name every msgid the Welsh catalogue lacks."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (GNU gettext) is needed to extract the messages")
    for name in SOURCES:
        os.symlink(ROOT / name, tmp_path / name)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["cy"], symlinks=True, verbosity=0)
    finally:
        os.chdir(here)
    extracted = po_entries(tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po")
    have = {(e["msgid"], e["plural"]) for e in po_entries(WELSH_PO) if not e["obsolete"]}
    missing = sorted(
        {(e["msgid"], e["plural"]) for e in extracted} - have, key=lambda pair: pair[0]
    )
    assert missing == [], (
        f"{len(missing)} message(s) in the code are not in locale/cy/LC_MESSAGES/django.po. "
        "Run `python manage.py makemessages -l cy`, translate them, then "
        "`python manage.py compilemessages -l cy` (docs/welsh.md). Missing:\n"
        + "\n".join(repr(msgid) for msgid, _plural in missing)
    )


# --- (b) pages in Welsh ---------------------------------------------------------------------


class WelshPageText(HTMLParser):
    """The text of a page, without scripts and without passages marked as English."""

    def __init__(self):
        super().__init__()
        self.skip: list[str] = []
        self.texts: list[str] = []
        self.html_lang = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang", "")
        hidden = (
            self.skip
            or tag in {"script", "style"}
            or (attributes.get("lang") or "").lower().split("-")[0] == "en"
        )
        if hidden and tag not in {"br", "img", "input", "meta", "link", "hr", "source"}:
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skip:
            self.texts.append(text)


def english_messages() -> set[str]:
    """English interface messages whose Welsh is different (whole messages, no placeholders)."""
    messages = set()
    for entry in po_entries(WELSH_PO):
        msgid = entry["msgid"]
        if "%" in msgid or "{" in msgid or "<" in msgid or msgid in SAME_IN_BOTH:
            continue
        if len(msgid) > 3 and entry["msgstr"].get(0) != msgid:
            messages.add(msgid)
    return messages


def _assert_welsh(response) -> None:
    assert response.status_code == 200
    parser = WelshPageText()
    parser.feed(response.content.decode())
    assert parser.html_lang == "cy"
    english = english_messages()
    left = sorted({text for text in parser.texts if text in english})
    assert left == [], f"English interface text on {response.request['PATH_INFO']}: {left}"


@pytest.fixture
def welsh_people(people):
    User.objects.filter(pk__in=[p.pk for p in people.values() if p]).update(language="cy")
    return {role: User.objects.get(pk=p.pk) if p else None for role, p in people.items()}


PAGES = [
    ("practitioner", "dashboard"),
    ("practitioner", "my_learning"),
    ("practitioner", "cpd_record"),
    ("practitioner", "journal_list"),
    ("practitioner", "journal_new"),
    ("practitioner", "notification_list"),
    ("practitioner", "account_details"),
    ("practitioner", "community_index"),
    ("practitioner", "supervision_home"),
    ("supervisor", "signoff_queue"),
    ("supervisor", "supervision_relationship_new"),
    ("facilitator", "community_my_posts"),
    ("org_admin", "reports_index"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), PAGES)
def test_pages_render_in_welsh_for_each_role(client, welsh_people, role, name):
    client.force_login(welsh_people[role])
    _assert_welsh(client.get(reverse(name)))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_sign_in_pages_render_in_welsh_from_the_cookie(client, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.get(reverse(name))
    _assert_welsh(response)
    assert "Mewngofnodi" in response.content.decode()


@pytest.mark.django_db
def test_english_stays_the_default_with_the_switcher_to_welsh(client):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert '<html lang="en-GB"' in page
    assert 'lang="cy" hreflang="cy">Cymraeg</a>' in page


@pytest.mark.django_db
def test_allauth_messages_carry_our_wording_in_welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.nhs.uk", "password": "wrong words"}
    )
    assert "Rhowch gyfeiriad e-bost a chyfrinair cywir" in response.content.decode()


def test_dates_use_welsh_month_and_day_names():
    import datetime

    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime(2026, 12, 2, 14, 47))
    with translation.override("cy"):
        assert nhs_date(moment.date()) == "2 Rhagfyr 2026"
        assert nhs_datetime(moment, weekday=True) == "Dydd Mercher 2 Rhagfyr 2026 am 2:47yh"
    with translation.override("en-gb"):
        assert nhs_datetime(moment, weekday=True) == "Wednesday 2 December 2026 at 2:47pm"


@pytest.mark.django_db
def test_the_error_pages_follow_the_language():
    from django.template import loader

    with translation.override("cy"):
        page = loader.get_template("500.html").render()
    assert '<html lang="cy">' in page
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in page
    with translation.override("en-gb"):
        assert '<html lang="en-GB">' in loader.get_template("503.html").render()


@pytest.mark.django_db
def test_the_countdown_words_come_from_the_page(client, welsh_people):
    client.force_login(welsh_people["practitioner"])
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-word-minutes="{n} munud"' in page
    assert 'data-word-second="1 eiliad"' in page


# --- (c) the switcher -----------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_not_signed_in_switches_with_the_cookie(client):
    url = reverse("language_switch", kwargs={"code": "cy"})
    response = client.get(url, {"next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="cy"' in page
    assert 'lang="en-GB" hreflang="en-GB">English</a>' in page
    response = client.get(reverse("language_switch", kwargs={"code": "en-gb"}), {"next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_the_switcher_never_sends_people_to_another_site(client, target):
    url = reverse("language_switch", kwargs={"code": "cy"})
    response = client.get(url, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_an_unknown_language_is_not_found(client):
    assert client.get(reverse("language_switch", kwargs={"code": "fr"})).status_code == 404


@pytest.mark.django_db
def test_a_signed_in_choice_is_kept_on_the_account_and_applied_at_the_next_sign_in(client):
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("language_switch", kwargs={"code": "cy"}), {"next": "/dashboard/"})
    user.refresh_from_db()
    assert user.language == "cy"
    assert AuditEvent.objects.filter(action="account.language_set", actor=user).count() == 1
    # Another browser, with no cookie and an English browser preference.
    other = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    response = other.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert '<html lang="cy"' in response.content.decode()
    assert response.cookies.get(settings.LANGUAGE_COOKIE_NAME) or other.cookies.get(
        settings.LANGUAGE_COOKIE_NAME
    )
    # Switching back is kept too, and audited once.
    response = client.get(reverse("language_switch", kwargs={"code": "en-gb"}), {"next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
    client.get(reverse("language_switch", kwargs={"code": "en-gb"}), {"next": "/"})
    user.refresh_from_db()
    assert user.language == "en-gb"
    assert AuditEvent.objects.filter(action="account.language_set", actor=user).count() == 2


# --- (d) emails -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "hello", "link"),
    [("cy", "Helo,", "Agorwch ef ar Holding Hope"), ("", "Hello,", "Open it on Holding Hope")],
)
def test_a_notification_email_goes_in_the_recipients_language(language, hello, link):
    person = UserFactory(language=language)
    notice = Notification.objects.create(
        recipient=person, kind="test", message="Something is waiting.", url="/dashboard/"
    )
    notify.notification_email_send(notification_id=notice.pk)
    (email,) = mail.outbox
    assert email.to == [person.email]
    assert email.body.startswith(hello)
    assert link in email.body
    assert translation.get_language() == settings.LANGUAGE_CODE


@pytest.mark.django_db
def test_an_account_email_goes_in_the_persons_language(client):
    user = UserFactory(language="cy")
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith("Ailosod eich cyfrinair")


# --- (e) no extra query ---------------------------------------------------------------------


@pytest.mark.django_db
def test_choosing_welsh_costs_no_query(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = people["practitioner"]
    client.force_login(person)
    client.get(reverse("dashboard"))
    counts = {}
    for language in ("en-gb", "cy"):
        User.objects.filter(pk=person.pk).update(language=language)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard"))
        counts[language] = len(queries.captured_queries)
    assert '<html lang="cy"' in response.content.decode()
    assert counts["cy"] == counts["en-gb"]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), PAGES)
def test_each_page_costs_the_same_queries_in_welsh_as_in_english(client, people, role, name):
    """The pinned query counts hold in both languages: warmed once in each, a page asks the
    database as often in Welsh as in English."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = people[role]
    client.force_login(person)
    counts = {}
    for language in ("en-gb", "cy"):
        User.objects.filter(pk=person.pk).update(language=language)
        client.get(reverse(name))  # warm the caches in this language
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200
        counts[language] = len(queries.captured_queries)
    assert counts["cy"] == counts["en-gb"], counts


@pytest.mark.django_db
def test_content_pages_cost_what_their_pins_say_in_each_language(client, people, home_page):
    """A module and a lesson with no Welsh version, pinned in each language: in Welsh each
    looks for its translation (and shows the English under a notice)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from modules.progress.selectors import lessons_of

    from .module_factories import make_module

    module = make_module(lessons=2)
    lesson = lessons_of(module)[0]
    person = people["practitioner"]
    client.force_login(person)
    counts: dict[tuple[str, str], int] = {}
    for language in ("en-gb", "cy"):
        User.objects.filter(pk=person.pk).update(language=language)
        for name, url in (("module", module.url), ("lesson", lesson.url)):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[(name, language)] = len(queries.captured_queries)
    # In Welsh, three page look-ups more: the Welsh tree's root for routing, the page's live
    # translation, and its lessons' translated titles. The same few whatever the data size.
    assert counts == {
        ("module", "en-gb"): 3,
        ("lesson", "en-gb"): 4,
        ("module", "cy"): 6,
        ("lesson", "cy"): 7,
    }


@pytest.mark.django_db
def test_the_switch_link_brings_back_the_query_unless_it_is_over_long(client):
    """The header's language link carries the page's address back with its query, so a search
    or a filter survives the switch; an address longer than LANGUAGE_NEXT_MAX comes back as its
    path alone, so a page is never padded by a copy of a huge query."""
    from html import escape
    from urllib.parse import parse_qs, urlsplit

    from learning.context_processors import LANGUAGE_NEXT_MAX

    def switch_next(response) -> str:
        href = response.context["language_switch"]["href"]
        return parse_qs(urlsplit(href).query)["next"][0]

    login = reverse("account_login")
    short = client.get(login, {"next": "/dashboard/"})
    assert switch_next(short) == f"{login}?next=%2Fdashboard%2F"
    long_query = {"next": "/" + "x" * LANGUAGE_NEXT_MAX}
    response = client.get(login, long_query)
    assert switch_next(response) == login
    href = response.context["language_switch"]["href"]
    assert len(href) < 100
    assert escape(href) in response.content.decode()
