"""What survives an erasure is shown pseudonymised, and the people it belongs to can still open
it: a supervisor's signed-off record ("A former member"), a supervisee's supervision history
("A former supervisor"). Community posts by an erased person are deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from learning.models import Role
from learning.privacy import services
from reflection.signoff import services as signoff_services

from .community_factories import SpaceFactory, member, reply, thread
from .factories import MembershipFactory, UserFactory
from .journal_factories import make_entry
from .supervision_factories import make_action, make_relationship, make_session

pytestmark = pytest.mark.django_db


def _erase(user, capture):
    with capture(execute=True):
        services.account_erasure_request(user=user)


@pytest.fixture
def pair(organisation):
    author = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    supervisor = MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user
    return author, supervisor


def test_supervisor_still_opens_a_signed_off_summary_from_a_former_member(
    client, pair, django_capture_on_commit_callbacks
):
    author, supervisor = pair
    signed = signoff_services.signoff_request_create(
        author=author, entry=make_entry(author), supervisor=supervisor
    )
    signoff_services.signoff_sign(supervisor=supervisor, request=signed, comment="Good.")
    waiting = signoff_services.signoff_request_create(
        author=author, entry=make_entry(author, title="Later"), supervisor=supervisor
    )
    _erase(author, django_capture_on_commit_callbacks)
    client.force_login(supervisor)
    page = client.get(reverse("signoff_detail", args=[signed.pk]))
    assert page.status_code == 200
    assert "From A former member" in page.content.decode()
    queue = client.get(reverse("signoff_queue")).content.decode()
    assert "Learning summary from A former member" in queue
    # The version that was never signed off went with the account.
    assert client.get(reverse("signoff_detail", args=[waiting.pk])).status_code == 404


def test_author_keeps_their_record_when_the_supervisor_erases(
    client, pair, django_capture_on_commit_callbacks
):
    author, supervisor = pair
    signed = signoff_services.signoff_request_create(
        author=author, entry=make_entry(author), supervisor=supervisor
    )
    signoff_services.signoff_sign(supervisor=supervisor, request=signed, comment="Good.")
    _erase(supervisor, django_capture_on_commit_callbacks)
    client.force_login(author)
    page = client.get(reverse("signoff_detail", args=[signed.pk]))
    assert page.status_code == 200
    assert "Shared with A former supervisor" in page.content.decode()
    assert "A former supervisor" in client.get(reverse("signoff_queue")).content.decode()
    account = client.get(reverse("reflective_account", args=[signed.pk]))
    assert account.status_code == 200 and "A former supervisor" in account.content.decode()
    assert client.get(reverse("cpd_record")).status_code == 200


def test_supervisee_keeps_sessions_when_the_supervisor_erases(
    client, organisation, django_capture_on_commit_callbacks
):
    supervisee = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    supervisor = UserFactory()
    rel = make_relationship(supervisee, supervisor)
    session = make_session(rel, locked=True)
    _erase(supervisor, django_capture_on_commit_callbacks)
    rel.refresh_from_db()
    session.refresh_from_db()
    assert rel.status == "ended" and rel.supervisor_id is None
    assert session.author_id is None
    client.force_login(supervisee)
    assert client.get(reverse("supervision_home")).status_code == 200
    assert client.get(reverse("supervision_detail", args=[session.pk])).status_code == 200


def test_community_posts_of_an_erased_person_are_deleted(django_capture_on_commit_callbacks):
    from community.models import Post, Thread

    space = SpaceFactory()
    leaver = member(space).user
    theirs = thread(space, leaver, title="Mine")
    others = thread(space, title="Someone else's")
    post = reply(others, leaver, body="My reply.")
    _erase(leaver, django_capture_on_commit_callbacks)
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Thread.objects.filter(pk=theirs.pk).exists()
    assert Thread.objects.filter(pk=others.pk).exists()
    assert others.posts.count() == 1


def test_supervision_pages_name_a_former_supervisor(
    client, organisation, django_capture_on_commit_callbacks
):
    supervisee = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    rel = make_relationship(supervisee, UserFactory(display_name="Zed Supervisor"))
    session = make_session(rel, locked=True)
    make_action(session, owner=rel.supervisor)
    _erase(rel.supervisor, django_capture_on_commit_callbacks)
    client.force_login(supervisee)
    for url in (
        reverse("supervision_home"),
        reverse("supervision_detail", args=[session.pk]),
        reverse("supervision_relationship", args=[rel.pk]),
    ):
        html = client.get(url).content.decode()
        assert "A former supervisor" in html, url
        assert "None" not in html and "Zed Supervisor" not in html, url
    log = client.get(reverse("supervision_export"), {"format": "csv"}).content.decode()
    assert "A former supervisor" in log and "None" not in log
