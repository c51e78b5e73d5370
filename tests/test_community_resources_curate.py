"""Facilitators look after their space's library: upload a document (checked for size and type,
its title and description through the identifier guard), order the library and take documents
out. The national coordinator may too; members and anyone else never (404)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document

from community.models import MembershipPolicy, SpaceResource
from community.resources import services
from learning import permissions
from learning.guard import IdentifiersFound
from learning.models import AuditEvent

from .community_factories import SpaceFactory, facilitated_space, member
from .data_builders import builds_test_data
from .factories import UserFactory, add_to_group
from .media_factories import make_document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path)


def _pdf(name: str = "plan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _coordinator():
    return add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)


@builds_test_data
def _upload(space, actor, title="Separation plan", **kw):
    """The upload service (each call is its own request in production)."""
    return services.resource_upload(
        actor=actor, space=space, title=title, file=kw.pop("file", _pdf()), **kw
    )


# --- the rule -------------------------------------------------------------------------------


def test_the_rule_lets_facilitators_and_the_coordinator_curate_and_nobody_else():
    space, facilitator = facilitated_space()
    _other_space, other_facilitator = facilitated_space()
    reader = member(space).user
    assert permissions.can_curate_resources(facilitator, space)
    assert permissions.can_curate_resources(_coordinator(), space)
    assert not permissions.can_curate_resources(reader, space)
    assert not permissions.can_curate_resources(other_facilitator, space)
    assert not permissions.can_curate_resources(UserFactory(), space)
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_curate_resources(AnonymousUser(), space)


# --- services -------------------------------------------------------------------------------


def test_an_upload_goes_to_the_end_of_the_library_in_the_space_collection_and_is_audited():
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.REQUEST)
    chosen = make_document("Chosen by an editor")
    SpaceResource.objects.create(space=space, document=chosen, sort_order=0)
    resource = _upload(space, facilitator, description="  For <b>birth</b> planning. ")
    assert resource.sort_order == 1
    assert resource.description == "For birth planning."
    document = resource.document
    assert document.title == "Separation plan"
    assert document.uploaded_by_user == facilitator
    space.refresh_from_db()
    assert document.collection == space.resource_collection
    assert document.collection.get_parent().is_root()
    # A second upload reuses the collection.
    assert _upload(space, facilitator, title="Another").document.collection == document.collection
    event = AuditEvent.objects.get(action="community.resource_added", target_id=str(resource.pk))
    assert event.data["document"] == document.pk
    assert "Separation" not in str(event.data)


@pytest.mark.parametrize(
    "name, content",
    [
        ("plan.exe", b"MZ\x90\x00"),
        ("plan.pdf", b"MZ\x90\x00 not really a pdf"),  # renamed
        ("plan.docx", PDF),  # not a zip
        ("notes.txt", b"text\x00with a nul"),
        ("picture.svg", b"<svg></svg>"),
    ],
)
def test_files_of_the_wrong_type_are_refused(name, content):
    space, facilitator = facilitated_space()
    with pytest.raises(ValidationError) as exc:
        _upload(space, facilitator, file=SimpleUploadedFile(name, content))
    assert "file" in exc.value.message_dict
    assert not SpaceResource.objects.exists() and not Document.objects.exists()


def test_text_and_office_files_are_taken():
    space, facilitator = facilitated_space()
    _upload(space, facilitator, title="Contacts", file=SimpleUploadedFile("c.csv", b"a,b\n1,2\n"))
    _upload(space, facilitator, title="Form", file=SimpleUploadedFile("f.docx", b"PK\x03\x04x"))
    assert SpaceResource.objects.filter(space=space).count() == 2


def test_a_file_too_big_is_refused(settings):
    settings.HOPE_MAX_DOCUMENT_MB = 1
    space, facilitator = facilitated_space()
    big = _pdf(content=PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        _upload(space, facilitator, file=big)
    assert "1 MB" in exc.value.message_dict["file"][0]


def test_a_title_is_needed_and_identifiers_are_confirmed_first():
    space, facilitator = facilitated_space()
    with pytest.raises(ValidationError) as exc:
        _upload(space, facilitator, title="  <i></i> ")
    assert "title" in exc.value.message_dict
    with pytest.raises(IdentifiersFound):
        _upload(space, facilitator, description="NHS number 943 476 5919")
    assert not SpaceResource.objects.exists()
    resource = _upload(
        space, facilitator, description="NHS number 943 476 5919", confirm_identifiers=True
    )
    event = AuditEvent.objects.get(action="community.resource_added", target_id=str(resource.pk))
    assert event.data["identifier_kinds"]


def test_members_and_other_facilitators_cannot_change_a_library():
    space, _facilitator = facilitated_space()
    _other, other_facilitator = facilitated_space()
    reader = member(space).user
    for actor in (reader, other_facilitator):
        with pytest.raises(PermissionDenied):
            _upload(space, actor)
    resource = _upload(space, _coordinator())
    with pytest.raises(PermissionDenied):
        services.resource_remove(actor=reader, space=space, resource_id=resource.pk)
    with pytest.raises(PermissionDenied):
        services.resource_move(actor=reader, space=space, resource_id=resource.pk, direction="up")


def test_moving_up_and_down_swaps_neighbours_and_stops_at_the_ends():
    space, facilitator = facilitated_space()
    a, b, c = (_upload(space, facilitator, title=t) for t in ("A", "B", "C"))

    def order():
        rows = space.resources.select_related("document").order_by("sort_order", "pk")
        return [r.document.title for r in rows]

    services.resource_move(actor=facilitator, space=space, resource_id=c.pk, direction="up")
    assert order() == ["A", "C", "B"]
    services.resource_move(actor=facilitator, space=space, resource_id=a.pk, direction="up")
    assert order() == ["A", "C", "B"]
    services.resource_move(actor=facilitator, space=space, resource_id=a.pk, direction="down")
    assert order() == ["C", "A", "B"]
    services.resource_move(actor=facilitator, space=space, resource_id=b.pk, direction="down")
    assert order() == ["C", "A", "B"]
    other_space, other_facilitator = facilitated_space()
    stranger = _upload(other_space, other_facilitator)
    with pytest.raises(PermissionDenied):  # not in this library
        services.resource_move(
            actor=facilitator, space=space, resource_id=stranger.pk, direction="up"
        )


def test_removing_deletes_an_uploaded_document_but_keeps_an_editors_choice():
    space, facilitator = facilitated_space()
    chosen = make_document("Chosen by an editor")
    kept = SpaceResource.objects.create(space=space, document=chosen, sort_order=0)
    uploaded = _upload(space, facilitator)
    document_pk = uploaded.document.pk
    services.resource_remove(actor=facilitator, space=space, resource_id=uploaded.pk)
    assert not Document.objects.filter(pk=document_pk).exists()
    services.resource_remove(actor=facilitator, space=space, resource_id=kept.pk)
    assert Document.objects.filter(pk=chosen.pk).exists()
    assert not SpaceResource.objects.filter(space=space).exists()
    removed = AuditEvent.objects.filter(action="community.resource_removed").order_by("pk")
    assert [e.data["document"] for e in removed] == [document_pk, chosen.pk]
    assert [e.data["document_deleted"] for e in removed] == [True, False]


# --- views ----------------------------------------------------------------------------------


def _manage(space):
    return reverse("community_resources_manage", args=[space.slug])


def test_the_manage_link_shows_only_to_those_who_may_curate(client):
    space, facilitator = facilitated_space()
    reader = member(space).user
    page = reverse("community_resources", args=[space.slug])
    client.force_login(reader)
    assert "Manage resources" not in client.get(page).content.decode()
    client.force_login(facilitator)
    assert _manage(space) in client.get(page).content.decode()


def test_only_facilitators_and_the_coordinator_reach_the_screen(client):
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.INVITATION)
    _other, other_facilitator = facilitated_space()
    for person, status in (
        (member(space).user, 404),
        (UserFactory(), 404),
        (other_facilitator, 404),
        (facilitator, 200),
        (_coordinator(), 200),
    ):
        client.force_login(person)
        assert client.get(_manage(space)).status_code == status
        assert client.post(_manage(space), {"title": "x"}).status_code in (status, 400)
    client.logout()
    assert client.get(_manage(space)).status_code == 302


def test_a_facilitator_uploads_reorders_and_removes_on_the_screen(client):
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.REQUEST)
    client.force_login(facilitator)
    response = client.post(
        _manage(space),
        {"title": "Birth plan", "description": "A template.", "file": _pdf()},
    )
    assert response.status_code == 302
    client.post(_manage(space), {"title": "Pathway", "file": _pdf("p.pdf")})
    second = SpaceResource.objects.get(document__title="Pathway")
    assert client.post(_manage(space), {"action": "up", "resource": second.pk}).status_code == 302
    page = client.get(reverse("community_resources", args=[space.slug])).content.decode()
    assert page.index("Pathway") < page.index("Birth plan")
    assert "A template." in page
    assert client.post(_manage(space), {"action": "remove", "resource": "x"}).status_code == 404
    response = client.post(_manage(space), {"action": "remove", "resource": second.pk})
    assert response.status_code == 302
    assert list(SpaceResource.objects.values_list("document__title", flat=True)) == ["Birth plan"]


def test_the_screen_shows_what_to_fix_and_the_identifier_panel(client):
    space, facilitator = facilitated_space()
    client.force_login(facilitator)
    response = client.post(_manage(space), {"title": "", "file": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a title for the document" in body and "Choose a file to upload" in body
    response = client.post(
        _manage(space),
        {"title": "Plan", "file": SimpleUploadedFile("a.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "The file must be a PDF" in response.content.decode()
    response = client.post(
        _manage(space),
        {"title": "Plan for 943 476 5919", "file": _pdf()},
    )
    assert response.status_code == 400
    assert response.context["identifiers"]
    assert not SpaceResource.objects.exists()


def test_an_uploaded_document_is_served_to_members_only(client):
    space, facilitator = facilitated_space(membership_policy=MembershipPolicy.INVITATION)
    document = _upload(space, facilitator).document
    client.force_login(member(space).user)
    assert client.get(document.url).status_code == 200
    client.force_login(member(SpaceFactory()).user)
    assert client.get(document.url).status_code == 404
