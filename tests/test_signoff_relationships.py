"""Sign-off follows supervisory relationships, including across organisations."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reflection.signoff import selectors as signoff_selectors
from reflection.signoff import services as signoff_services
from reflection.supervision.services import relationship_end

from .factories import MembershipFactory
from .journal_factories import make_entry
from .supervision_factories import make_relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def cross_org(people, other_organisation):
    """A practitioner in one organisation supervised by a practitioner in another (no
    supervisor role anywhere)."""
    supervisor = MembershipFactory(organisation=other_organisation, role="practitioner").user
    relationship = make_relationship(supervisee=people["practitioner"], supervisor=supervisor)
    return supervisor, relationship


def test_a_supervisor_in_another_organisation_can_sign_off(client, people, cross_org):
    supervisor, _relationship = cross_org
    author = people["practitioner"]
    assert supervisor in signoff_selectors.supervisors_for(author)
    assert people["supervisor"] in signoff_selectors.supervisors_for(author)  # by role, still
    request = signoff_services.signoff_request_create(
        author=author, entry=make_entry(author), supervisor=supervisor, note=""
    )
    client.force_login(supervisor)
    assert client.get(reverse("signoff_detail", args=[request.pk])).status_code == 200
    queue = client.get(reverse("signoff_queue")).content.decode()
    assert reverse("signoff_detail", args=[request.pk]) in queue
    response = client.post(
        reverse("signoff_detail", args=[request.pk]), {"action": "sign", "comment": "Good."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "signed_off"


def test_ending_the_relationship_ends_access_to_what_was_shared(client, people, cross_org):
    supervisor, relationship = cross_org
    author = people["practitioner"]
    request = signoff_services.signoff_request_create(
        author=author, entry=make_entry(author), supervisor=supervisor, note=""
    )
    relationship_end(actor=author, relationship=relationship)
    assert supervisor not in signoff_selectors.supervisors_for(author)
    client.force_login(supervisor)
    assert client.get(reverse("signoff_detail", args=[request.pk])).status_code == 404
    with pytest.raises(ValidationError):
        signoff_services.signoff_request_create(
            author=author, entry=make_entry(author), supervisor=supervisor, note=""
        )


def test_a_proposed_relationship_is_not_enough(people, other_organisation):
    supervisor = MembershipFactory(organisation=other_organisation, role="practitioner").user
    make_relationship(supervisee=people["practitioner"], supervisor=supervisor, status="proposed")
    assert supervisor not in signoff_selectors.supervisors_for(people["practitioner"])
    # nor does supervising someone let you share with them
    assert people["practitioner"] not in signoff_selectors.supervisors_for(supervisor)
