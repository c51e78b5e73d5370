"""Rate limits on posting and reporting posts: a whole sentence saying what to do, and nothing
the person typed is lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Flag, Post, Thread
from learning.ratelimit import rate_limit_message

from .community_factories import facilitated_space, member, reply, thread
from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.HOPE_RATE_LIMITS = {"post": "2/10m", "flag": "1/1h", "export": "1/1h"}


def test_the_counter_is_per_person_and_per_action(tight):
    a, b = UserFactory(), UserFactory()
    assert rate_limit_message(a, "post") is None
    assert rate_limit_message(a, "post") is None
    message = rate_limit_message(a, "post")
    assert message.startswith("You have posted a lot in a short time. Wait ")
    assert rate_limit_message(b, "post") is None  # someone else
    assert rate_limit_message(a, "flag") is None  # another action


def test_posting_too_fast_keeps_the_text_and_says_when_to_try_again(client, tight):
    space, _facilitator = facilitated_space()
    author = member(space).user
    client.force_login(author)
    url = reverse("community_thread_new", args=[space.slug])
    for n in range(2):
        response = client.post(url, {"title": f"Question {n}", "body": "Some words."})
        assert response.status_code == 302
    response = client.post(url, {"title": "Question three", "body": "Words I typed."})
    assert response.status_code == 400
    body = response.content.decode()
    assert "You have posted a lot in a short time." in body
    assert "Words I typed." in body and 'value="Question three"' in body
    assert Thread.objects.filter(space=space).count() == 2


def test_replies_and_reports_are_limited_too(client, tight):
    space, _facilitator = facilitated_space()
    first = thread(space)
    someone = member(space).user
    client.force_login(someone)
    url = reverse("community_thread", args=[space.slug, first.pk])
    for _n in range(2):
        assert client.post(url, {"body": "A reply."}).status_code == 302
    response = client.post(url, {"body": "One reply too many."})
    assert response.status_code == 400
    assert "One reply too many." in response.content.decode()
    assert Post.objects.filter(thread=first).count() == 3  # the opening post and two replies

    others = [reply(first), reply(first)]
    flag_url = lambda post: reverse("community_post_flag", args=[space.slug, post.pk])  # noqa: E731
    assert client.post(flag_url(others[0]), {"reason": "off_topic"}).status_code == 302
    response = client.post(flag_url(others[1]), {"reason": "off_topic"})
    assert response.status_code == 400
    assert "You have reported a lot of posts in a short time." in response.content.decode()
    assert Flag.objects.count() == 1


def test_journal_downloads_are_limited(client, tight):
    from learning.models import AuditEvent

    user = UserFactory()
    client.force_login(user)
    url = reverse("journal_export")
    assert client.get(url, {"format": "json"}).status_code == 200
    response = client.get(url, {"format": "json"})
    assert response.status_code == 429
    assert "You have asked for a lot of downloads in a short time." in response.content.decode()
    assert AuditEvent.objects.filter(action="journal.exported").count() == 1


def test_report_exports_are_limited(client, tight):
    from learning.reports.models import ReportExport

    from .report_factories import populated_organisation

    organisation, admin, *_ = populated_organisation(1)
    client.force_login(admin)
    url = reverse("report_organisation_export", args=[organisation.slug])
    data = {"section": "training"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "You have asked for a lot of downloads in a short time." in response.content.decode()
    assert response.redirect_chain[0][0] == reverse("report_organisation", args=[organisation.slug])
    assert ReportExport.objects.count() == 1
