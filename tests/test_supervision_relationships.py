"""Supervisory relationships: propose by email, accept or decline, end (records kept), the
agreement both confirm, and the selector the journal's sign-off uses."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from learning.models import AuditEvent
from reflection.supervision import selectors, services
from reflection.supervision.models import SupervisionRelationship

from .factories import UserFactory
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db

Rel = SupervisionRelationship


def propose(actor, other, **overrides):
    fields = {
        "actor": actor,
        "other_email": other.email,
        "actor_is_supervisor": False,
        "kind": "clinical",
        "frequency_min_weeks": 4,
        "frequency_max_weeks": 6,
        "started_on": date(2026, 1, 5),
        "confidentiality": "Within limits.",
        "recording": "Dates and summaries.",
        "escalation": "Line manager.",
    }
    fields.update(overrides)
    return services.relationship_propose(**fields)


def test_a_supervisee_proposes_and_the_supervisor_accepts(django_capture_on_commit_callbacks):
    supervisee, supervisor = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rel = propose(supervisee, supervisor, other_email=supervisor.email.upper())
    assert (rel.supervisee, rel.supervisor, rel.status) == (supervisee, supervisor, "proposed")
    from learning.models import Notification

    note = Notification.objects.get(recipient=supervisor)
    assert note.kind == "supervision.proposed" and str(supervisee) in note.message
    assert note.url == reverse("supervision_relationship", args=[rel.pk])
    assert rel.supervisee_agreed_at is not None and rel.supervisor_agreed_at is None
    assert not selectors.active_supervisors_of(supervisee).exists()
    with pytest.raises(ValidationError):  # the proposer cannot accept their own proposal
        services.relationship_accept(actor=supervisee, relationship=rel)
    with pytest.raises(PermissionDenied):
        services.relationship_accept(actor=UserFactory(), relationship=rel)
    with django_capture_on_commit_callbacks(execute=True):
        services.relationship_accept(actor=supervisor, relationship=rel)
    assert Notification.objects.get(recipient=supervisee).kind == "supervision.accepted"
    rel.refresh_from_db()
    assert rel.status == "active" and rel.supervisor_agreed_at is not None
    assert list(selectors.active_supervisors_of(supervisee)) == [supervisor]
    assert not selectors.active_supervisors_of(supervisor).exists()
    assert list(
        AuditEvent.objects.filter(target_id=str(rel.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["supervision.relationship_proposed", "supervision.relationship_accepted"]


def test_a_supervisor_in_another_organisation_can_propose():
    supervisor, supervisee = UserFactory(), UserFactory()
    rel = propose(supervisor, supervisee, actor_is_supervisor=True, kind="pma")
    assert rel.supervisor == supervisor and rel.supervisor_agreed_at is not None
    services.relationship_decline(actor=supervisee, relationship=rel)
    rel.refresh_from_db()
    assert rel.status == "declined"
    with pytest.raises(ValidationError):
        services.relationship_accept(actor=supervisee, relationship=rel)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"other_email": "nobody@example.nhs.uk"}, "other_email"),
        ({"kind": "pastoral"}, "kind"),
        ({"frequency_min_weeks": 0}, "frequency_min_weeks"),
        ({"frequency_min_weeks": 6, "frequency_max_weeks": 4}, "frequency_max_weeks"),
        ({"started_on": None}, "started_on"),
        ({"escalation": "  "}, "escalation"),
    ],
)
def test_proposals_are_validated(overrides, field):
    with pytest.raises(ValidationError) as exc:
        propose(UserFactory(), UserFactory(), **overrides)
    assert field in exc.value.message_dict


def test_nobody_supervises_themselves_or_duplicates_an_open_relationship():
    me, other = UserFactory(), UserFactory()
    with pytest.raises(ValidationError) as exc:
        propose(me, me)
    assert "other_email" in exc.value.message_dict
    propose(me, other)
    with pytest.raises(ValidationError) as exc:
        propose(me, other)
    assert "kind" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        make_relationship(me, me)


def test_ending_keeps_past_records_readable_by_both(client):
    rel = make_relationship()
    session = make_session(rel, locked=True)
    services.relationship_end(actor=rel.supervisee, relationship=rel)
    rel.refresh_from_db()
    assert rel.status == "ended" and rel.ended_on is not None
    assert not selectors.active_supervisors_of(rel.supervisee).exists()
    for person in (rel.supervisee, rel.supervisor):
        client.force_login(person)
        assert client.get(reverse("supervision_detail", args=[session.pk])).status_code == 200
    with pytest.raises(ValidationError):
        services.relationship_end(actor=rel.supervisor, relationship=rel)


# A complete proposal form, but for the other person's email address.
PROPOSAL = {
    "role": "supervisee",
    "kind": "restorative",
    "frequency_min_weeks": "4",
    "frequency_max_weeks": "6",
    "started_on": "2026-02-01",
    "confidentiality": "A",
    "recording": "B",
    "escalation": "C",
}


def test_propose_and_answer_through_the_pages(client):
    supervisee, supervisor = UserFactory(), UserFactory()
    client.force_login(supervisee)
    url = reverse("supervision_relationship_new")
    page = client.get(url).content.decode()
    assert "Confidentiality and its limits" in page and "except where there is a risk" in page
    response = client.post(url, {"role": "supervisee", "other_email": "x@nowhere.test"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "x@nowhere.test" in body  # what was typed is kept
    assert "Choose the type of supervision." in body and "There is a problem" in body
    response = client.post(url, {**PROPOSAL, "other_email": supervisor.email})
    rel = Rel.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision_relationship", args=[rel.pk]
    )
    client.force_login(supervisor)
    detail = reverse("supervision_relationship", args=[rel.pk])
    assert "Accept the agreement" in client.get(detail).content.decode()
    assert client.post(detail, {"action": "accept"}).status_code == 302
    rel.refresh_from_db()
    assert rel.status == "active"
    client.force_login(UserFactory())
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "end"}).status_code == 404
    rel.refresh_from_db()
    assert rel.status == "active"


def test_proposals_are_rate_limited_so_the_form_cannot_list_who_has_an_account(client, settings):
    """Each proposal looks an email address up; after the limit the form says when to try
    again, keeps what was typed and looks nothing up."""
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "propose": "2/1h"}
    client.force_login(UserFactory())
    url = reverse("supervision_relationship_new")
    for n in range(2):
        response = client.post(url, {**PROPOSAL, "other_email": f"n{n}@nowhere.test"})
        assert response.status_code == 400
        assert "someone who has signed up" in response.content.decode()
    response = client.post(url, {**PROPOSAL, "other_email": "third@nowhere.test"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "You have sent a lot of supervision proposals in a short time. Wait " in body
    assert "What you wrote is still here." in body and "third@nowhere.test" in body
    assert "someone who has signed up" not in body  # no lookup once limited
    assert not Rel.objects.exists()


def test_active_supervisors_of_is_one_query(django_assert_num_queries):
    supervisee = UserFactory()
    for _ in range(3):
        make_relationship(supervisee)
    make_relationship(supervisee, status="ended")
    make_relationship(supervisee, status="proposed")
    with django_assert_num_queries(1):
        assert len(list(selectors.active_supervisors_of(supervisee))) == 3
    assert not selectors.active_supervisors_of(None).exists()
