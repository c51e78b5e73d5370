"""A space's resources: editors choose documents in the Wagtail admin, members read and
download them, and a document in a space's library is never served to someone who cannot read
that space (the same 404 as a document that does not exist)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import MembershipPolicy, SpaceMember, SpaceResource
from community.resources import selectors

from .community_factories import SpaceFactory, facilitated_space, member
from .factories import UserFactory
from .media_factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    """Wagtail serves a document from a path on disk, which the in-memory test storage lacks."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)


def _library(**space_fields):
    space, facilitator = facilitated_space(**space_fields)
    template = make_document("HOPE Box template")
    pathway = make_document("Local pathway")
    SpaceResource.objects.create(space=space, document=pathway, sort_order=1)
    SpaceResource.objects.create(space=space, document=template, sort_order=0)
    return space, facilitator, template, pathway


def test_members_see_the_library_in_order_and_download_its_documents(client):
    space, _facilitator, template, pathway = _library(membership_policy=MembershipPolicy.REQUEST)
    reader = member(space).user
    client.force_login(reader)
    response = client.get(reverse("community_resources", args=[space.slug]))
    assert response.status_code == 200
    assert [r.document for r in response.context["resources"]] == [template, pathway]
    body = response.content.decode()
    assert body.index("HOPE Box template") < body.index("Local pathway")
    download = client.get(template.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "Resources" in client.get(reverse("community_space", args=[space.slug])).content.decode()


def test_a_private_space_documents_are_not_served_to_others(client):
    space, _facilitator, template, _pathway = _library(
        membership_policy=MembershipPolicy.INVITATION
    )
    outsider = member(SpaceFactory()).user
    client.force_login(outsider)
    assert client.get(reverse("community_resources", args=[space.slug])).status_code == 404
    assert client.get(template.url).status_code == 404
    client.logout()
    assert client.get(template.url).status_code == 404
    # Losing membership ends downloads too.
    reader = member(space).user
    client.force_login(reader)
    assert client.get(template.url).status_code == 200
    SpaceMember.objects.filter(space=space, user=reader).delete()
    assert client.get(template.url).status_code == 404


def test_documents_in_no_library_are_served_as_before_and_editors_reach_all(client, people):
    loose = make_document("Lesson handout")
    assert selectors.may_download(UserFactory(), loose.pk)
    _space, _facilitator, template, _pathway = _library(
        membership_policy=MembershipPolicy.INVITATION
    )
    assert selectors.may_download(people["editor"], template.pk)
    assert not selectors.may_download(people["practitioner"], template.pk)


def test_an_empty_library_says_so(client):
    space, facilitator = facilitated_space()
    client.force_login(facilitator)
    body = client.get(reverse("community_resources", args=[space.slug])).content.decode()
    assert "There are no resources in this space yet." in body


def test_an_editor_adds_documents_to_a_space_in_the_wagtail_admin(client):
    from learning import permissions as rules

    from .factories import add_to_group
    from .test_community_facilitator_appoint import _space_form

    space, _facilitator = facilitated_space(membership_policy=MembershipPolicy.REQUEST)
    document = make_document("Birth plan template")
    editor = add_to_group(UserFactory(), rules.CONTENT_EDITORS)
    client.force_login(editor)
    data = {
        **_space_form(space),
        "resources-TOTAL_FORMS": "1",
        "resources-0-document": str(document.pk),
        "resources-0-ORDER": "1",
        "resources-0-id": "",
    }
    response = client.post(reverse("wagtailsnippets_community_space:edit", args=[space.pk]), data)
    assert response.status_code == 302, response.content[:3000]
    assert list(selectors.resources_of(space).values_list("document_id", flat=True)) == [
        document.pk
    ]
