"""The private journal: services, selectors, views, query counts and privacy."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from learning.guard import IdentifiersFound, html_to_text
from learning.models import AuditEvent
from reflection.journal import selectors, services
from reflection.models import JournalEntry, SafeguardingPhrase

from .conftest import ROLE_NAMES
from .journal_factories import SENTINEL, make_entry

pytestmark = pytest.mark.django_db

GIBBS = {
    "model": "gibbs",
    "title": "After the hearing",
    "experienced_on": "2026-01-10",
    "tags": "court, grief",
    "section-description": f"We met after the hearing. {SENTINEL}",
    "section-feelings": "I felt helpless.",
    "summary": "Ask for restorative supervision sooner.",
}
NHS_NUMBER = "943 476 5919"


def create(author, **overrides):
    fields = {
        "title": "A reflection",
        "experienced_on": date(2026, 1, 10),
        "model": "rolfe",
        "sections": {"what": f"Something happened. {SENTINEL}"},
        "tags": "court",
        "summary": "What I learned.",
    }
    fields.update(overrides)
    return services.journal_entry_create(author=author, **fields)


# --- services and selectors ------------------------------------------------------------------


def test_create_sanitises_stores_and_audits_without_content(people):
    author = people["practitioner"]
    entry = create(
        author,
        sections={"what": "<p>Fine <script>alert(1)</script><strong>bold</strong></p>"},
        tags=" court,Court , grief ",
    )
    assert entry.sections["what"] == "<p>Fine alert(1)<strong>bold</strong></p>"
    assert entry.tags == "court, grief"
    event = AuditEvent.objects.get(action="journal_entry.created")
    assert event.actor == author and event.target_id == str(entry.pk)
    assert event.data == {"model": "rolfe", "identifier_kinds": [], "from_lesson": False}


def test_plain_text_becomes_paragraphs(people):
    entry = create(people["practitioner"], sections={"what": "One.\n\nTwo & <three>"})
    assert entry.sections["what"] == "<p>One.</p>\n\n<p>Two &amp; &lt;three&gt;</p>"
    assert html_to_text(entry.sections["what"]) == "One.\n\nTwo & <three>"


def test_validation_errors_are_whole_sentences(people):
    with pytest.raises(ValidationError) as excinfo:
        create(
            people["practitioner"],
            title="",
            experienced_on=timezone.localdate() + timedelta(days=1),
            sections={},
        )
    errors = excinfo.value.message_dict
    assert errors["title"] == ["Enter a title for this reflection."]
    assert errors["experienced_on"] == ["The date of the experience must be today or in the past."]
    assert errors["sections"] == ["Write something in at least one part of your reflection."]


def test_identifier_guard_blocks_until_confirmed_and_records_only_the_decision(people):
    author = people["practitioner"]
    with pytest.raises(IdentifiersFound) as excinfo:
        create(author, sections={"what": f"Her NHS number is {NHS_NUMBER}."})
    assert list(excinfo.value.found) == ["section-what"]
    assert not JournalEntry.objects.exists()
    entry = create(
        author, sections={"what": f"Her NHS number is {NHS_NUMBER}."}, confirm_identifiers=True
    )
    assert entry.identifier_check_confirmed_at is not None
    event = AuditEvent.objects.get(action="journal_entry.created")
    assert event.data["identifier_kinds"] == ["nhs_number"]
    assert NHS_NUMBER not in str(event.data)


def test_only_the_author_may_update_or_delete(people):
    entry = create(people["practitioner"])
    for role in ("supervisor", "org_admin", "superuser", "anonymous"):
        with pytest.raises(PermissionDenied):
            services.journal_entry_update(
                actor=people[role],
                entry=entry,
                title="Changed",
                experienced_on=date(2026, 1, 1),
                model="rolfe",
                sections={"what": "x"},
            )
        with pytest.raises(PermissionDenied):
            services.journal_entry_delete(actor=people[role], entry=entry)
    services.journal_entry_delete(actor=people["practitioner"], entry=entry)
    assert not JournalEntry.objects.exists()
    assert AuditEvent.objects.filter(action="journal_entry.deleted").count() == 1


def test_selector_shows_the_author_only(people):
    entry = make_entry(people["practitioner"])
    assert list(selectors.journal_entries_visible_to(people["practitioner"])) == [entry]
    for role in ROLE_NAMES:
        if role != "practitioner":
            assert not selectors.journal_entries_visible_to(people[role]).exists(), role


def test_search_and_tag_filter_decrypt_the_authors_entries_only(people):
    author = people["practitioner"]
    a = make_entry(author, title="Court day", tags="court")
    make_entry(author, title="Team meeting", tags="team")
    make_entry(people["supervisor"], title="Court day too", tags="court")
    assert selectors.journal_entry_ids_matching(author, query="court") == [a.pk]
    assert selectors.journal_entry_ids_matching(author, tag="COURT") == [a.pk]
    assert selectors.journal_entry_ids_matching(author, query=SENTINEL.lower()) != []


# --- views -----------------------------------------------------------------------------------


def test_list_search_filter_and_keyset_pages(client, people, django_assert_max_num_queries):
    author = people["practitioner"]
    for n in range(23):
        make_entry(author, title=f"Entry {n:02d}", experienced_on=date(2026, 1, 1) + timedelta(n))
    make_entry(author, title="Only in kolb", model="kolb", tags="special")
    client.force_login(author)
    url = reverse("journal_list")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    html = response.content.decode()
    assert "Entry 22" in html and "Entry 03" not in html
    cursor = response.context["page"].next_cursor
    second = client.get(url, {"after": cursor}).content.decode()
    assert "Entry 03" in second and "Entry 22" not in second
    with django_assert_max_num_queries(8):
        found = client.get(url, {"q": "kolb"}).content.decode()
    assert "Only in kolb" in found and "Entry 01" not in found
    assert "Only in kolb" in client.get(url, {"tag": "special"}).content.decode()
    assert "Only in kolb" in client.get(url, {"model": "kolb"}).content.decode()
    assert "Entry 01" not in client.get(url, {"model": "kolb"}).content.decode()


def test_new_entry_choose_model_then_save(client, people, django_assert_max_num_queries):
    client.force_login(people["practitioner"])
    with django_assert_max_num_queries(8):
        choose = client.get(reverse("journal_new"))
    assert "Gibbs" in choose.content.decode()
    with django_assert_max_num_queries(8):
        form = client.get(reverse("journal_new"), {"model": "gibbs"})
    assert "Feelings" in form.content.decode()
    with django_assert_max_num_queries(8):
        response = client.post(reverse("journal_new"), GIBBS)
    entry = JournalEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journal_detail", args=[entry.pk])
    assert entry.sections["feelings"] == "<p>I felt helpless.</p>"
    with django_assert_max_num_queries(8):
        detail = client.get(response["Location"])
    assert "I felt helpless." in detail.content.decode()
    assert "no-store" in detail["Cache-Control"]


def test_identifiers_are_highlighted_text_kept_and_confirmation_recorded(client, people):
    client.force_login(people["practitioner"])
    data = {**GIBBS, "section-feelings": f"Her NHS number {NHS_NUMBER} was on the letter."}
    response = client.post(reverse("journal_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<mark class="hope-identifier">{NHS_NUMBER}' in html
    assert "These are not identifying details" in html
    assert f"Her NHS number {NHS_NUMBER} was on the letter.</textarea>" in html
    assert not JournalEntry.objects.exists()
    response = client.post(reverse("journal_new"), {**data, "confirm_identifiers": "on"})
    assert response.status_code == 302
    assert JournalEntry.objects.get().identifier_check_confirmed_at is not None


def test_edit_keeps_text_on_error_and_saves(client, people):
    entry = create(people["practitioner"])
    client.force_login(people["practitioner"])
    url = reverse("journal_edit", args=[entry.pk])
    assert f"Something happened. {SENTINEL}" in client.get(url).content.decode()
    response = client.post(
        url, {"title": "", "experienced_on": "2026-01-10", "section-what": "Kept"}
    )
    assert response.status_code == 400
    assert "Kept</textarea>" in response.content.decode()
    assert "Enter a title for this reflection." in response.content.decode()
    response = client.post(
        url, {"title": "New title", "experienced_on": "2026-01-10", "section-what": "Changed"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "New title" and entry.sections["what"] == "<p>Changed</p>"


def test_entry_started_from_a_lesson_prompt(client, people, home_page):
    from modules.progress.selectors import lessons_of

    from .module_factories import make_module

    lesson = lessons_of(make_module(lessons=1))[0]
    block = next(b for b in lesson.body if b.block_type == "reflection_prompt")
    client.force_login(people["practitioner"])
    lesson_html = client.get(lesson.url).content.decode()
    link = f"/journal/new/?lesson={lesson.pk}&amp;prompt={block.id}"
    assert link in lesson_html
    form = client.get(reverse("journal_new"), {"lesson": lesson.pk, "prompt": block.id})
    assert "What did you notice?" in form.content.decode()
    response = client.post(
        reverse("journal_new"),
        {**GIBBS, "lesson": lesson.pk, "prompt": block.id, "section-description": "Noticed."},
    )
    entry = JournalEntry.objects.get()
    assert entry.lesson_id == lesson.pk and entry.prompt == "What did you notice?"
    assert lesson.title in client.get(response["Location"]).content.decode()
    client.logout()
    assert link not in client.get(lesson.url).content.decode()


def test_safeguarding_prompt_comes_before_saving_and_points_to_the_route(
    client, people, organisation
):
    organisation.safeguarding_route = "Ring the trust safeguarding team on extension 4321."
    organisation.save()
    client.force_login(people["practitioner"])
    concern = "I am worried she is not safe tonight\u2026 he would hurt her."
    data = {**GIBBS, "section-feelings": concern}
    response = client.post(reverse("journal_new"), data)
    html = response.content.decode()
    # Shown on the form, before anything is saved, with the text kept as typed.
    assert response.status_code == 200
    assert not JournalEntry.objects.exists()
    assert "If someone may be at risk now" in html and "not saved yet" in html
    assert "Ring the trust safeguarding team on extension 4321." in html
    assert concern in html
    assert 'name="safeguarding_seen"' in html
    # Saving again, having seen it, saves.
    response = client.post(reverse("journal_new"), {**data, "safeguarding_seen": "on"})
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    # The saved entry does not repeat it.
    again = client.get(reverse("journal_detail", args=[entry.pk])).content.decode()
    assert "If someone may be at risk now" not in again


def test_safeguarding_prompt_on_edit_and_editable_patterns(client, people):
    entry = create(people["practitioner"], model="gibbs", sections={"description": "A day."})
    client.force_login(people["practitioner"])
    url = reverse("journal_edit", args=[entry.pk])
    data = {**GIBBS, "section-feelings": "The lantern stays lit."}
    assert client.post(url, data).status_code == 302  # nothing concerning
    SafeguardingPhrase.objects.create(phrase="lantern + lit/glow", window=4)
    response = client.post(url, {**data, "section-feelings": "The lanterns were lit."})
    assert (
        response.status_code == 200 and "If someone may be at risk now" in response.content.decode()
    )
    # An editor's "not current" pattern quiets the sentence it matches.
    SafeguardingPhrase.objects.create(phrase="in training", not_current=True)
    quiet = {**data, "section-feelings": "In training the lanterns were lit."}
    assert client.post(url, quiet).status_code == 302


def test_delete_asks_first_and_says_what_stays(client, people, django_assert_num_queries):
    from reflection.signoff import services as signoff_services

    entry = create(people["practitioner"])
    client.force_login(people["practitioner"])
    url = reverse("journal_delete", args=[entry.pk])
    client.get(url)
    # the entry, its signed-off versions
    with django_assert_num_queries(2):
        page = client.get(url).content.decode()
    assert "Delete this reflection?" in page and "cannot be undone" in page
    assert "stays with their sign-off record" not in page
    assert JournalEntry.objects.filter(pk=entry.pk).exists()  # asking deletes nothing
    entry.summary = "<p>What I learned.</p>"
    entry.save()
    request = signoff_services.signoff_request_create(
        author=people["practitioner"], entry=entry, supervisor=people["supervisor"], note=""
    )
    signoff_services.signoff_sign(supervisor=people["supervisor"], request=request, comment="")
    page = client.get(url).content.decode()
    assert "It stays with their sign-off record" in page


def test_delete_removes_the_entry(client, people):
    entry = create(people["practitioner"])
    client.force_login(people["practitioner"])
    response = client.post(reverse("journal_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not JournalEntry.objects.exists()


# --- privacy ---------------------------------------------------------------------------------


def journal_urls(entry) -> list[tuple[str, str]]:
    return [
        ("get", reverse("journal_detail", args=[entry.pk])),
        ("get", reverse("journal_edit", args=[entry.pk])),
        ("post", reverse("journal_edit", args=[entry.pk])),
        ("get", reverse("journal_delete", args=[entry.pk])),
        ("post", reverse("journal_delete", args=[entry.pk])),
    ]


@pytest.mark.parametrize(
    "role", [r for r in ROLE_NAMES if r not in {"practitioner", "anonymous", "deactivated"}]
)
def test_every_non_author_gets_404_everywhere(client, people, role):
    entry = make_entry(people["practitioner"])
    client.force_login(people[role])
    for method, url in journal_urls(entry):
        response = getattr(client, method)(url, {"title": "x", "section-what": "x"})
        assert response.status_code == 404, (role, method, url)
        assert SENTINEL not in response.content.decode()
    listing = client.get(reverse("journal_list"), {"q": "hard"}).content.decode()
    assert "A hard day in clinic" not in listing
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


def test_admins_do_not_show_journal_entries(client, people):
    entry = make_entry(people["practitioner"])
    client.force_login(people["superuser"])
    for url in (
        f"/django-admin/reflection/journalentry/{entry.pk}/change/",
        "/django-admin/reflection/journalentry/",
        f"/admin/snippets/reflection/journalentry/edit/{entry.pk}/",
        "/admin/snippets/reflection/journalentry/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    search = client.get("/admin/pages/search/", {"q": "hard day"})
    assert SENTINEL not in search.content.decode()


def test_sentinel_is_nowhere_in_the_raw_database_audit_rows_or_logs(client, people, caplog):
    client.force_login(people["practitioner"])
    with caplog.at_level(logging.DEBUG):
        client.post(reverse("journal_new"), GIBBS)
        entry = JournalEntry.objects.get()
        client.post(
            reverse("journal_edit", args=[entry.pk]),
            {**GIBBS, "section-feelings": f"{SENTINEL} again"},
        )
    assert SENTINEL not in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reflection_journalentry")
        assert SENTINEL not in repr(cursor.fetchall())
        cursor.execute("SELECT * FROM learning_auditevent")
        assert SENTINEL not in repr(cursor.fetchall())
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")
            for (table,) in cursor.fetchall():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
                assert SENTINEL not in repr(cursor.fetchall()), table
