"""Topics, audiences and supervision themes in Welsh: one row each in both languages, with a
Welsh name (``name_cy``) a Welsh reader sees and an English reader never does. Without a Welsh
name, the English one shows."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from learning.language import in_language_of, in_reader_language, shown_name
from modules.curriculum import AUDIENCES, TOPICS
from modules.models import Audience, Topic
from modules.pages.views import filter_options
from modules.seed_curriculum import _taxonomies
from reflection.supervision.exports import supervision_log_rows
from reflection.supervision.models import SupervisionTheme

from .factories import UserFactory
from .module_factories import make_module
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db


def _welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def test_the_name_follows_the_active_language_and_falls_back_to_english():
    topic = Topic(name="Moral injury", name_cy="Niwed moesol")
    untranslated = Topic(name="Grief and loss")
    with translation.override("cy"):
        assert shown_name(topic) == str(topic) == topic.shown_name == "Niwed moesol"
        assert shown_name(untranslated) == "Grief and loss"
        assert in_reader_language("English", "") == "English"
    with translation.override("en-gb"):
        assert str(topic) == "Moral injury"
    with in_language_of(UserFactory.build(language="cy")):
        assert str(topic) == "Niwed moesol"


def test_a_welsh_name_is_used_once_but_many_may_be_empty():
    Topic.objects.create(name="One", slug="one", name_cy="Un")
    Topic.objects.create(name="Two", slug="two")
    Topic.objects.create(name="Three", slug="three")  # two empty Welsh names are allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="Four", slug="four", name_cy="Un")


def test_the_catalogue_shows_topics_and_audiences_in_the_readers_language(client):
    topic = Topic.objects.create(name="Moral injury", slug="moral-injury", name_cy="Niwed moesol")
    Audience.objects.create(
        name="Children's social care", slug="social-care", name_cy="Gofal cymdeithasol plant"
    )
    Audience.objects.create(name="Midwives", slug="midwives")  # no Welsh name yet
    module = make_module(lessons=1, topic=topic)
    catalogue = module.get_parent().url

    english = client.get(catalogue).content.decode()
    assert '<option value="moral-injury">Moral injury</option>' in english
    assert "Niwed moesol" not in english and "Gofal cymdeithasol plant" not in english

    welsh = _welsh(client).get(catalogue).content.decode()
    assert '<option value="moral-injury">Niwed moesol</option>' in welsh
    assert '<option value="social-care">Gofal cymdeithasol plant</option>' in welsh
    assert '<option value="midwives">Midwives</option>' in welsh
    assert "· Niwed moesol" in welsh  # on the module's card
    # The filter is by the shared row, so it finds the module in either language.
    filtered = _welsh(client).get(catalogue, {"topic": "moral-injury"}).content.decode()
    assert module.title in filtered


def test_filter_names_are_cached_once_for_both_languages(django_assert_num_queries):
    Topic.objects.create(name="Moral injury", slug="moral-injury", name_cy="Niwed moesol")
    filter_options()
    with django_assert_num_queries(0), translation.override("cy"):
        assert ("moral-injury", "Niwed moesol") in filter_options()["topics"]
    # An edit in the admin clears the cache (modules.receivers).
    Topic.objects.filter(slug="moral-injury").first().save()
    with translation.override("cy"):
        Topic.objects.filter(slug="moral-injury").update(name_cy="Anaf moesol")
        assert ("moral-injury", "Anaf moesol") in filter_options()["topics"]


def test_the_installer_gives_shipped_topics_their_welsh_names_and_keeps_an_editors(
    django_assert_num_queries,
):
    _taxonomies(None)
    assert {t.slug: t.name_cy for t in Topic.objects.all()} == {
        t["slug"]: t["name_cy"] for t in TOPICS
    }
    assert {a.slug: a.name_cy for a in Audience.objects.all()} == {
        a["slug"]: a["name_cy"] for a in AUDIENCES
    }
    Topic.objects.filter(slug="hope-boxes").update(name_cy="Blychau GOBAITH")
    # Installing again changes nothing: one look-up a row, no writes.
    with django_assert_num_queries(len(TOPICS) + len(AUDIENCES)):
        _taxonomies(None)
    assert Topic.objects.get(slug="hope-boxes").name_cy == "Blychau GOBAITH"


def test_the_starting_supervision_themes_have_welsh_names():
    themes = dict(SupervisionTheme.objects.values_list("name", "name_cy"))
    assert themes["Moral injury"] == "Niwed moesol"
    assert themes["Vicarious trauma"] == "Trawma dirprwyol"
    assert all(themes.values())


def test_a_welsh_supervisor_chooses_and_reads_themes_in_welsh(client):
    theme = SupervisionTheme.objects.get(name="Moral injury")
    rel = make_relationship()
    client.force_login(rel.supervisor)
    url = reverse("supervision_new") + f"?relationship={rel.pk}"
    assert "Niwed moesol" not in client.get(url).content.decode()
    rel.supervisor.language = "cy"
    rel.supervisor.save(update_fields=["language"])
    form = client.get(url).content.decode()
    assert "Niwed moesol" in form and "Moral injury" not in form

    session = make_session(rel)
    session.themes.set([theme])
    detail = client.get(reverse("supervision_detail", args=[session.pk])).content.decode()
    assert "Niwed moesol" in detail
    # The supervisee's log is in their own language (English here), whoever wrote it.
    with in_language_of(rel.supervisee):
        rows = supervision_log_rows(rel.supervisee, include_summaries=False)
    assert rows[0].themes == ("Moral injury",)
    rel.supervisee.language = "cy"
    with in_language_of(rel.supervisee):
        rows = supervision_log_rows(rel.supervisee, include_summaries=False)
    assert rows[0].themes == ("Niwed moesol",)
