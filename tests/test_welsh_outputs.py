"""What the platform produces outside a page is in the language of the person it is for:
notices and their emails, invitations, files (PDF, CSV, calendar) and the editor's interface."""

from __future__ import annotations

import ast
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from community.spaces import services as spaces
from learning import notify, services
from learning.calendar import CalendarEvent, calendar_feed_text, calendar_source_register
from learning.details.services import details_language_set
from learning.language import in_language_of, language_of, languages_for_unknown
from learning.models import Notification, Role

from .community_factories import facilitated_space
from .factories import OrganisationFactory, UserFactory, ensure_wagtail_tree

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
WELSH_INVITED = "Rydych wedi cael gwahoddiad i ymuno"
ENGLISH_INVITED = "You are invited to join"


def _committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


# --- the one place ---------------------------------------------------------------------------


def test_language_of_is_the_persons_choice_else_the_sites_default():
    assert language_of(UserFactory.build(language="cy")) == "cy"
    assert language_of(UserFactory.build(language="")) == "en-gb"
    with translation.override("en-gb"):
        with in_language_of(UserFactory.build(language="cy")) as code:
            assert code == "cy"
            assert translation.get_language() == "cy"
        assert translation.get_language() == "en-gb"


# --- notices ---------------------------------------------------------------------------------


def test_a_notice_caused_by_someone_in_english_is_welsh_for_a_welsh_reader():
    """The facilitator browses in English; the person invited reads Welsh: the stored notice
    and its email are Welsh (before, both were the facilitator's English)."""
    space, facilitator = facilitated_space(name="Grŵp myfyrio")
    reader = UserFactory(language="cy")
    with translation.override("en-gb"), _committed():
        spaces.member_invite(actor=facilitator, space=space, email=reader.email)
    notice = Notification.objects.get(recipient=reader, kind="community.invited")
    assert notice.message == "Rydych wedi cael gwahoddiad i ymuno â Grŵp myfyrio."
    [email] = [m for m in mail.outbox if m.to == [reader.email]]
    assert "Rydych wedi cael gwahoddiad" in email.subject
    assert ENGLISH_INVITED not in email.subject + email.body


def test_the_same_notice_is_english_for_an_english_reader_whatever_the_senders_language():
    space, facilitator = facilitated_space(name="Reflective group")
    reader = UserFactory(language="en-gb")
    with translation.override("cy"):
        spaces.member_invite(actor=facilitator, space=space, email=reader.email)
    notice = Notification.objects.get(recipient=reader, kind="community.invited")
    assert notice.message == "You are invited to join Reflective group."


def test_notify_refuses_text_already_translated():
    with pytest.raises(TypeError, match="unevaluated"):
        notify.notify(recipient=UserFactory(), kind="test", message="Ready-made.", url="/")


def _notify_calls() -> list[tuple[Path, ast.Call, ast.AST | None]]:
    """Every call of notify() and of the helpers that pass their ``message`` on to it, with the
    function each is in, across the apps and the core."""
    trees = {}
    for folder in ("learning", "modules", "reflection", "community"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                trees[path] = ast.parse(path.read_text(encoding="utf-8"))
    forwarders = {"notify"}
    for tree in trees.values():
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and any(
                a.arg == "message" for a in fn.args.args + fn.args.kwonlyargs
            ):
                for call in ast.walk(fn):
                    if (
                        isinstance(call, ast.Call)
                        and getattr(call.func, "id", getattr(call.func, "attr", "")) == "notify"
                        and any(
                            k.arg == "message" and getattr(k.value, "id", "") == "message"
                            for k in call.keywords
                        )
                    ):
                        forwarders.add(fn.name)
    found = []
    for path, tree in trees.items():
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        for call in ast.walk(tree):
            name = getattr(getattr(call, "func", None), "id", None) or getattr(
                getattr(call, "func", None), "attr", None
            )
            if isinstance(call, ast.Call) and name in forwarders:
                node = call
                while node in parents and not isinstance(node, ast.FunctionDef):
                    node = parents[node]
                found.append((path, call, node))
    return found


def _passed_message(call: ast.Call, path: Path) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    if path.name == "services.py" and len(call.args) == 3:  # _tell_author(post, kind, message)
        return call.args[2]
    return None


LAZY_CALLS = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "partial"}


def _unevaluated(value: ast.AST) -> bool:
    """A lambda, a lazy translation, a ``functools.partial`` of a function that translates when
    called, or a choice between two of them."""
    if isinstance(value, ast.Lambda):
        return True
    if isinstance(value, ast.IfExp):
        return _unevaluated(value.body) and _unevaluated(value.orelse)
    if isinstance(value, ast.Call):
        name = (
            value.func.id if isinstance(value.func, ast.Name) else getattr(value.func, "attr", "")
        )
        return name in LAZY_CALLS
    return False


def test_every_notify_caller_passes_its_message_unevaluated():
    """A message built before notify() is in the language of whoever caused it: each caller
    passes a ``lambda`` (or a helper's own ``message`` parameter, passed on), and every
    reminder row holding a message holds a lambda."""
    calls = _notify_calls()
    assert len(calls) > 25, "the scan found too few notify() calls"
    wrong = []
    for path, call, function in calls:
        value = _passed_message(call, path)
        if value is None:
            continue  # a helper that takes no message (it builds its own lambda)
        forwarded = (
            isinstance(value, ast.Name)
            and value.id == "message"
            and isinstance(function, ast.FunctionDef)
            and any(a.arg == "message" for a in function.args.args + function.args.kwonlyargs)
        )
        if not (_unevaluated(value) or forwarded):
            wrong.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    for path in (ROOT / "reflection" / "supervision" / "reminders.py",):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    named = isinstance(key, ast.Constant) and key.value == "message"
                    if named and not isinstance(value, ast.Lambda):
                        wrong.append(f"{path.relative_to(ROOT)}:{value.lineno}")
    assert not wrong, f"notify() given a message already translated: {wrong}"


# --- invitations -----------------------------------------------------------------------------


def _invite(organisation, email: str, people):
    admin = people["org_admin"]
    admin_org = admin.memberships.get(role=Role.ORG_ADMIN).organisation
    if admin_org != organisation:
        from .factories import MembershipFactory

        admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    with _committed():
        services.invitation_create(
            actor=admin, organisation=organisation, email=email, role=Role.PRACTITIONER
        )
    return mail.outbox[-1]


def test_an_invitation_to_someone_whose_language_is_known_is_in_that_language(people, organisation):
    UserFactory(email="cymraeg@example.nhs.uk", language="cy")
    with translation.override("en-gb"):
        email = _invite(organisation, "cymraeg@example.nhs.uk", people)
    assert WELSH_INVITED in email.subject
    assert ENGLISH_INVITED not in email.subject
    assert "You have been invited" not in email.body


def test_an_invitation_to_an_unknown_person_in_wales_is_welsh_then_english(people):
    in_wales = OrganisationFactory(slug="bwrdd", name="Bwrdd Iechyd", in_wales=True)
    email = _invite(in_wales, "newydd@example.nhs.uk", people)
    assert email.subject.index(WELSH_INVITED) < email.subject.index(ENGLISH_INVITED)
    welsh = email.body.index("Rydych wedi cael gwahoddiad")
    english = email.body.index("You have been invited")
    assert welsh < english
    assert email.body.count("/invitations/") == 2  # the link in each language


def test_an_invitation_to_an_unknown_person_in_england_is_english_then_welsh(people, organisation):
    assert organisation.in_wales is False
    email = _invite(organisation, "new@example.nhs.uk", people)
    assert email.subject.index(ENGLISH_INVITED) < email.subject.index(WELSH_INVITED)
    assert email.body.index("You have been invited") < email.body.index("Rydych wedi cael")


def test_languages_for_unknown():
    assert languages_for_unknown(in_wales=True) == ("cy", "en-gb")
    assert languages_for_unknown(in_wales=False) == ("en-gb", "cy")


# --- files -----------------------------------------------------------------------------------


def test_the_calendar_feed_is_in_its_persons_language():
    from datetime import date

    calendar_source_register(
        "tests.welsh",
        lambda user, today: [
            CalendarEvent(
                uid="welsh-1@test",
                summary=str(translation.gettext("Due: %(module)s") % {"module": "Modiwl"}),
                starts=date(2026, 12, 2),
                ends=date(2026, 12, 3),
            )
        ],
    )
    try:
        with translation.override("en-gb"):
            text = calendar_feed_text(UserFactory(language="cy"), today=date(2026, 12, 1))
    finally:
        from learning import calendar

        calendar._SOURCES.pop("tests.welsh")
    assert "I'w gwblhau: Modiwl" in text
    assert "Due:" not in text


def test_the_data_export_readme_is_in_the_persons_language():
    """Each line goes through the catalogue of the language active when it is written (the
    person's, in the export task)."""
    from learning.privacy import services as privacy

    def tagged(message):
        return f"[{translation.get_language()}] {message}"

    with (
        mock.patch.object(privacy, "_", tagged),
        in_language_of(UserFactory.build(language="cy")),
    ):
        welsh = privacy.readme_text()
    assert "[cy] Everything Holding Hope holds about you." in welsh
    assert "[cy] records.json: every record about you, by kind of record." in welsh


def test_report_csv_words_follow_the_language():
    from learning.reports.csv_export import csv_cell

    with translation.override("cy"):
        assert (csv_cell(True), csv_cell(False)) == ("Ie", "Na")
    with translation.override("en-gb"):
        assert (csv_cell(True), csv_cell(False)) == ("Yes", "No")


# --- the editor's interface ------------------------------------------------------------------


def test_a_welsh_editor_sees_the_wagtail_admin_in_welsh(client, people):
    ensure_wagtail_tree()
    editor = people["editor"]
    # Wagtail's own setting said English: choosing Welsh on the site brings it in step.
    UserProfile.objects.create(user=editor, preferred_language="en-gb")
    details_language_set(user=editor, language="cy")
    assert UserProfile.objects.get(user=editor).preferred_language == "cy"
    client.force_login(editor)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="cy"' in body
    assert "Tudalennau" in body  # "Pages", from Wagtail's Welsh catalogue
    details_language_set(user=editor, language="en-gb")
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tudalennau" not in body
