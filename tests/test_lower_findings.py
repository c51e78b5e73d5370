"""The review's lower findings, each rerun as it was reproduced, against today's code. Each
test fails if its finding comes back."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from community.models import SpaceMember
from community.threads import services as thread_services
from learning import services as learning_services
from learning.models import AuditEvent, Invitation, Role
from learning.reports.csv_export import csv_cell
from learning.security import admin_policy
from reflection.signoff.selectors import supervisors_for

from .community_factories import facilitated_space, member, thread
from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_admin_cannot_invite_themselves_as_supervisor(client, people, organisation):
    admin = people["org_admin"]
    with pytest.raises(ValidationError):
        learning_services.invitation_create(
            actor=admin, organisation=organisation, email=admin.email, role=Role.SUPERVISOR
        )
    client.force_login(admin)
    url = reverse("organisation_members", args=[organisation.slug])
    client.post(url, {"email": admin.email.upper(), "role": Role.SUPERVISOR})
    assert not Invitation.objects.filter(email__iexact=admin.email).exists()
    assert admin not in supervisors_for(people["practitioner"])


def test_the_admin_policy_allows_no_script_by_its_shape():
    script_src = admin_policy().split("script-src ")[1].split(";")[0]
    assert "sha256-" not in script_src and "unsafe-inline" not in script_src


def test_an_svg_image_with_script_is_refused(client, people):
    client.force_login(people["superuser"])
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    client.post(
        "/admin/images/add/",
        {"title": "Box", "file": SimpleUploadedFile("box.svg", svg, "image/svg+xml")},
    )
    assert not get_image_model().objects.exists()


def test_documents_and_images_have_size_limits(client, people, settings):
    settings.HOPE_MAX_DOCUMENT_MB = 1
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10
    client.force_login(people["superuser"])
    big = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    client.post("/admin/documents/add/", {"title": "Plan", "file": big})
    assert not get_document_model().objects.exists()
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, "PNG")
    image = SimpleUploadedFile("big.png", out.getvalue(), "image/png")
    client.post("/admin/images/add/", {"title": "Big", "file": image})
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/modules/?q=%22"),
        (None, "/modules/?q=NEAR(%22a%22"),
        (None, "/modules/?q=*"),
        (None, "/modules/?q=a%20AND%20-"),
        (None, "/modules/?q=%5E%3A%28%29"),
        ("practitioner", "/modules/?q=%22box"),
        ("practitioner", "/journal/new/?model=gibbs&lesson=%C2%B2&prompt=99999999999999999999"),
        ("practitioner", "/journal/new/?model=free&lesson=99999999999999999999"),
        ("coordinator", "/reports/national/?date_to_year=9999"),
        ("coordinator", "/reports/national/?date_from_year=9999&date_to_year=9999"),
        ("coordinator", "/reports/national/?date_to_year=99999999999999999999&date_to_month=13"),
        ("coordinator", "/reports/national/?date_from_year=-1&date_from_month=0"),
        ("coordinator", "/reports/national/exports/?date_to_year=9999&format=csv"),
    ],
)
def test_bad_input_from_the_review_gives_no_server_error(client, people, home_page, who, url):
    if who:
        client.force_login(people[who])
    assert client.get(url).status_code < 500


def test_a_suspended_member_cannot_edit_their_posts(client):
    space, _facilitator = facilitated_space()
    writer = member(space, approved_posts=5)
    t = thread(space, writer.user, body="My first words.")
    opening = t.posts.get()
    SpaceMember.objects.filter(pk=writer.pk).update(
        suspended_until=timezone.now() + timedelta(days=3)
    )
    with pytest.raises(PermissionDenied):
        thread_services.post_edit(actor=writer.user, post=opening, body="Changed while suspended.")
    client.force_login(writer.user)
    url = reverse("community_post_edit", args=[space.slug, opening.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Changed."}).status_code == 404
    opening.refresh_from_db()
    assert "My first words." in opening.body_html


def test_titles_are_stored_as_typed_and_escaped_once(client):
    space, _facilitator = facilitated_space()
    writer = member(space, approved_posts=5).user
    t = thread(space, writer, title="Mother & baby")
    assert t.title == "Mother & baby"
    client.force_login(writer)
    html = client.get(reverse("community_space", args=[space.slug])).content.decode()
    assert "Mother &amp; baby" in html and "&amp;amp;" not in html


def test_an_empty_csv_cell_stays_empty():
    assert csv_cell("") == "" and csv_cell(None) == ""
    assert csv_cell("=cmd") == "'=cmd"


def test_space_invitations_do_not_say_whether_an_address_has_an_account(client):
    space, facilitator = facilitated_space()
    someone = UserFactory(email="someone@example.nhs.uk")
    client.force_login(facilitator)
    url = reverse("community_members", args=[space.slug])
    known = client.post(url, {"action": "invite", "email": someone.email}, follow=True)
    unknown = client.post(url, {"action": "invite", "email": "nobody@example.nhs.uk"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    messages_known = [str(m) for m in known.context["messages"]]
    messages_unknown = [str(m) for m in unknown.context["messages"]]
    assert messages_known == messages_unknown and messages_known


def test_space_invitations_are_rate_limited(client, settings):
    space, facilitator = facilitated_space()
    client.force_login(facilitator)
    url = reverse("community_members", args=[space.slug])
    statuses = [
        client.post(url, {"action": "invite", "email": f"n{i}@example.nhs.uk"}).status_code
        for i in range(40)
    ]
    assert 400 in statuses


def test_a_failed_sign_in_stores_no_unkeyed_hash_of_the_address(client):
    typed = "someone@example.nhs.uk"
    client.post("/accounts/login/", {"login": typed, "password": PASSWORD + "x"})
    event = AuditEvent.objects.filter(action="auth.sign_in_failed").latest("pk")
    digest = event.data["email_digest"]
    assert typed not in str(event.data)
    for algorithm in ("md5", "sha1", "sha256", "sha512"):
        assert digest not in hashlib.new(algorithm, typed.encode()).hexdigest()


def test_pages_fetch_no_fonts_from_another_host(client, home_page):
    html = client.get("/").content.decode()
    assert "fonts.googleapis" not in html and "assets.nhs.uk" not in html
    for tag in re.findall(r"<(?:link|script)\b[^>]*>", html):
        assert "//" not in re.sub(r'(href|src)="/[^/][^"]*"', "", tag), tag
