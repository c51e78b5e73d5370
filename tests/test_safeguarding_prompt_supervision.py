"""The safeguarding prompt on supervision records: the same mechanism as the journal (the
editable patterns, shown before saving with the writer's organisations' routes), on the
record's summary and its actions, when recording and when changing a record."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Membership, Role
from reflection.models import SafeguardingPhrase
from reflection.supervision.models import SupervisionSession

from .factories import OrganisationFactory
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db

CONCERN = "I am worried she is not safe tonight\u2026 he would hurt her."
PROMPT = "If someone may be at risk now"


@pytest.fixture
def rel():
    rel = make_relationship()
    organisation = OrganisationFactory(
        safeguarding_route="Ring the trust safeguarding team on extension 4321."
    )
    Membership.objects.create(user=rel.supervisor, organisation=organisation, role=Role.SUPERVISOR)
    return rel


def _post(rel, **changes) -> dict:
    return {
        "relationship": rel.pk,
        "held_on": str(timezone.localdate()),
        "duration_minutes": "50",
        "format": "one_to_one",
        "functions": ["formative"],
        "summary": "We talked about the week.",
        **changes,
    }


def test_the_prompt_comes_before_a_record_is_saved(client, rel):
    client.force_login(rel.supervisor)
    data = _post(rel, summary=CONCERN)
    response = client.post(reverse("supervision_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not SupervisionSession.objects.exists()
    assert PROMPT in html and "Your record is not saved yet" in html
    assert "Ring the trust safeguarding team on extension 4321." in html
    assert CONCERN in html  # the text is kept as typed
    assert 'name="safeguarding_seen"' in html
    response = client.post(reverse("supervision_new"), {**data, "safeguarding_seen": "on"})
    assert response.status_code == 302
    assert SupervisionSession.objects.count() == 1


def test_an_action_and_a_change_are_checked_too(client, rel):
    client.force_login(rel.supervisor)
    data = _post(rel, **{"action-0-text": CONCERN, "action-0-owner": "supervisee"})
    response = client.post(reverse("supervision_new"), data)
    assert response.status_code == 200 and PROMPT in response.content.decode()
    assert not SupervisionSession.objects.exists()
    session = make_session(rel, author=rel.supervisor)
    edit = reverse("supervision_edit", args=[session.pk])
    response = client.post(edit, _post(rel, summary=CONCERN))
    assert response.status_code == 200 and PROMPT in response.content.decode()
    assert client.post(edit, _post(rel, summary="Nothing worrying.")).status_code == 302


def test_the_editable_patterns_are_the_journals(client, rel):
    client.force_login(rel.supervisor)
    assert (
        client.post(
            reverse("supervision_new"), _post(rel, summary="The lantern is lit.")
        ).status_code
        == 302
    )
    SafeguardingPhrase.objects.create(phrase="lantern + lit/glow", window=4)
    response = client.post(reverse("supervision_new"), _post(rel, summary="The lanterns were lit."))
    assert response.status_code == 200 and PROMPT in response.content.decode()
