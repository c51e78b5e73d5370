"""The NMC reflective discussion: recorded by the person (identifier-guarded, frozen and
hashed), confirmed by another NMC registrant with an account here, whose PIN is checked against
the NMC's format and against their own details; notices both ways; the task list counts it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from learning.models import AuditEvent, Notification
from learning.privacy import handlers
from reflection.portfolio import discussion
from reflection.portfolio.models import ReflectiveDiscussion
from reflection.portfolio.revalidation import revalidation_task_list

from .factories import UserFactory
from .portfolio_factories import make_discussion

pytestmark = pytest.mark.django_db

SUMMARY = "We talked about my accounts on supervision and on handover."


def _nmc(**kw):
    return UserFactory(professional_register="nmc", registration_number="12A3456E", **kw)


def _form(confirmer, **overrides) -> dict:
    when = timezone.localdate() - timedelta(days=2)
    data = {
        "discussed_on_day": str(when.day),
        "discussed_on_month": str(when.month),
        "discussed_on_year": str(when.year),
        "partner_name": "Alex <b>Morgan</b>",
        "summary": SUMMARY,
        "confirmer_email": confirmer.email.upper(),
    }
    data.update(overrides)
    return data


def _status(user) -> str:
    return {t.key: t for t in revalidation_task_list(user).tasks}["discussion"].status


def test_a_discussion_is_frozen_asked_confirmed_and_counted(client):
    owner = _nmc()
    colleague = UserFactory(professional_register="nmc", registration_number="98B7654C")
    client.force_login(owner)
    assert client.get(reverse("discussion_new")).status_code == 200
    response = client.post(reverse("discussion_new"), _form(colleague))
    assert response.status_code == 302
    item = ReflectiveDiscussion.objects.get(owner=owner)
    assert item.partner_name == "Alex Morgan"
    assert item.status == "pending" and len(item.content_hash) == 64
    assert _status(owner) == "in_progress"
    event = AuditEvent.objects.get(action="portfolio.discussion_requested")
    assert SUMMARY not in str(event.data)
    notice = Notification.objects.get(recipient=colleague, kind="portfolio.discussion_waiting")
    assert notice.url == reverse("discussion_confirm", args=[item.pk])

    url = reverse("discussion_confirm", args=[item.pk])
    # the owner and anyone else: 404
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"registration_number": "12A3456E"}).status_code == 404

    client.force_login(colleague)
    page = client.get(url)
    assert page.status_code == 200 and SUMMARY in page.content.decode()
    bad = client.post(url, {"registration_number": "1234"})
    assert bad.status_code == 400 and "12A3456E" in bad.content.decode()
    wrong = client.post(url, {"registration_number": "11A1111A"})
    assert "Enter the NMC PIN that is in your details" in wrong.content.decode()
    item.refresh_from_db()
    assert item.status == "pending"
    done = client.post(url, {"registration_number": "98b 7654c"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == "confirmed"
    assert item.confirmer_pin == "98B7654C"
    assert item.confirmer_name == colleague.get_full_name()
    assert item.confirmed_at is not None
    notice.refresh_from_db()
    assert notice.done_at is not None
    assert Notification.objects.filter(recipient=owner, kind="portfolio.discussion_confirmed")
    assert _status(owner) == "completed"
    assert "98B7654C" in client.get(url).content.decode()
    again = client.post(url, {"registration_number": "98B7654C"})
    assert again.status_code == 400

    client.force_login(owner)
    home = client.get(reverse("discussion_home")).content.decode()
    assert "98B7654C" in home and item.hash_prefix in home


def test_the_summary_is_identifier_guarded(client):
    owner, colleague = _nmc(), _nmc()
    client.force_login(owner)
    data = _form(colleague, summary="Mrs Smith and her baby came up.")
    response = client.post(reverse("discussion_new"), data)
    assert response.status_code == 400
    assert not ReflectiveDiscussion.objects.exists()
    response = client.post(reverse("discussion_new"), {**data, "confirm_identifiers": "on"})
    assert response.status_code == 302


def test_an_unknown_address_or_ones_own_is_refused(client):
    owner = _nmc()
    client.force_login(owner)
    response = client.post(
        reverse("discussion_new"), {**_form(owner), "confirmer_email": "nobody@example.org"}
    )
    assert response.status_code == 400
    assert "Holding Hope" in response.content.decode()
    response = client.post(reverse("discussion_new"), _form(owner))
    assert "not your own" in response.content.decode()
    assert not ReflectiveDiscussion.objects.exists()


def test_only_an_nmc_registrant_with_a_pin_can_confirm():
    owner = _nmc()
    social_worker = UserFactory(professional_register="swe", registration_number="SW123456")
    item = make_discussion(owner, social_worker)
    with pytest.raises(Exception) as exc:
        discussion.discussion_confirm(
            confirmer=social_worker, item=item, registration_number="12A3456E"
        )
    assert "only another NMC registrant" in str(exc.value)
    with pytest.raises(PermissionDenied):
        discussion.discussion_confirm(confirmer=owner, item=item, registration_number="12A3456E")


def test_a_new_request_replaces_the_one_waiting_and_the_owner_can_delete(client):
    owner, colleague = _nmc(), _nmc()
    old = make_discussion(owner, colleague)
    client.force_login(owner)
    client.post(reverse("discussion_new"), _form(colleague))
    assert not ReflectiveDiscussion.objects.filter(pk=old.pk).exists()
    item = ReflectiveDiscussion.objects.get(owner=owner)
    client.force_login(colleague)
    assert client.post(reverse("discussion_delete", args=[item.pk])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("discussion_delete", args=[item.pk])).status_code == 200
    assert client.post(reverse("discussion_delete", args=[item.pk])).status_code == 302
    assert not ReflectiveDiscussion.objects.exists()


def test_privacy_deletes_the_owners_and_unlinks_the_confirmers():
    owner, colleague = _nmc(), _nmc()
    item = make_discussion(owner, colleague, confirmed=True)
    (handler,) = [h for h in handlers() if h.label == "reflection.reflectivediscussion"]
    assert handler.export(colleague)[0]["summary"] == item.summary
    handler.erase(colleague)
    item.refresh_from_db()
    assert item.confirmer_id is None and item.confirmer_pin
    handler.erase(owner)
    assert not ReflectiveDiscussion.objects.exists()
