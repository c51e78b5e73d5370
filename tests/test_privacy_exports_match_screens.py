"""A person's data download holds exactly what their screens show: for every role, each shared
record in the export (sign-off summaries, supervision records, moderation history, assignments
and invitations made for an organisation) opens on the screen that shows it, and the records
those screens answer with 404 (a withdrawn version, a summary from a supervisory link that has
ended, a space no longer facilitated, a cancelled assignment) are not in the export."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from community.models import Flag, MembershipPolicy, ModerationAction, Post, PostRevision, Space
from learning.models import Role
from learning.privacy.services import records_about
from modules.models import Assignment
from reflection.signoff import services as signoff
from reflection.supervision.models import SupervisionAddendum, SupervisionCheckIn

from .community_factories import SpaceFactory, member, session, thread
from .factories import InvitationFactory, MembershipFactory, UserFactory
from .journal_factories import make_entry
from .module_factories import make_module
from .supervision_factories import make_action, make_relationship, make_session

pytestmark = pytest.mark.django_db

CHECKIN_NOTE = "SENTINEL-private-checkin-9a4b"
OLD_SPACE_NOTE = "SENTINEL-old-space-moderation-3e2f"

# The kinds of record that are shared or another person's content.
SHARED = (
    "reflection.signoffrequest",
    "reflection.supervisionrelationship",
    "reflection.supervisionsession",
    "reflection.supervisionaction",
    "reflection.supervisionaddendum",
    "community.flag",
    "community.postrevision",
    "community.moderationaction",
    "community.reflectivesession",
    "modules.assignment",
    "learning.invitation",
)


@pytest.fixture
def world(organisation, people):
    p, s, f, a = (people[k] for k in ("practitioner", "supervisor", "facilitator", "org_admin"))
    ended = UserFactory()  # supervised the practitioner across organisations; link now ended
    withdrawn = MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user
    now = timezone.now()

    # Supervision with the current supervisor: a record, an action, an addendum, and the
    # practitioner's private check-in (never shared).
    rel = make_relationship(p, s)
    record = make_session(rel, locked=True)
    make_action(record, owner=s)
    SupervisionAddendum.objects.create(session=record, author=s, text="Added later.")
    SupervisionCheckIn.objects.create(
        session=record, supervisee=p, workload=4, emotional_impact=4, support=2, notes=CHECKIN_NOTE
    )
    signed = signoff.signoff_request_create(author=p, entry=make_entry(p), supervisor=s)
    signoff.signoff_sign(supervisor=s, request=signed, comment="Well done.")

    # A version replaced by a newer one: the first is withdrawn.
    entry = make_entry(p, title="Second reflection")
    first = signoff.signoff_request_create(author=p, entry=entry, supervisor=withdrawn)
    second = signoff.signoff_request_create(author=p, entry=entry, supervisor=withdrawn)
    first.refresh_from_db()
    assert first.status == "withdrawn"

    # A supervisory relationship that has since ended: its signed-off summary 404s for the
    # former supervisor; the session records stay with both parties.
    old_rel = make_relationship(p, ended)
    old_request = signoff.signoff_request_create(
        author=p, entry=make_entry(p, title="Third reflection"), supervisor=ended
    )
    signoff.signoff_sign(supervisor=ended, request=old_request, comment="Signed.")
    old_record = make_session(old_rel, author=ended, locked=True)
    old_rel.status, old_rel.ended_on = "ended", timezone.localdate()
    old_rel.save(update_fields=["status", "ended_on"])

    # Community: a space the facilitator runs, and one they no longer facilitate.
    def moderated(space, note):
        member(space, f)
        member(space, p)
        started = thread(space, p, title="A question")
        post = Post.objects.filter(thread=started).first()
        reporter = member(space).user
        flag = Flag.objects.create(
            post=post, reporter=reporter, reason="other", resolved_by=f, resolved_at=now
        )
        revision = PostRevision.objects.create(post=post, body_html=f"<p>{note}</p>", edited_by=f)
        action = ModerationAction.objects.create(
            space=space, actor=f, kind="edited", post=post, reason=note
        )
        return flag, revision, action, session(space, created_by=f)

    moderated(SpaceFactory(facilitators=[f]), "Edited to take out a name.")
    old_space = SpaceFactory(facilitators=[f], membership_policy=MembershipPolicy.INVITATION)
    old_rows = moderated(old_space, OLD_SPACE_NOTE)
    old_space.facilitators.remove(f)
    old_space.members.filter(user=f).delete()

    # Organisation admin: an open assignment and a waiting invitation (shown); a cancelled
    # assignment and an accepted invitation (not shown).
    module, other = make_module(lessons=1), make_module(lessons=1)
    due = timezone.localdate() + timedelta(days=30)
    Assignment.objects.create(organisation=organisation, user=p, module=module, due_on=due,
                              assigned_by=a)  # fmt: skip
    cancelled = Assignment.objects.create(
        organisation=organisation, user=p, module=other, due_on=due, assigned_by=a, cancelled_at=now
    )
    InvitationFactory(organisation=organisation, invited_by=a)
    accepted = InvitationFactory(
        organisation=organisation, invited_by=a, accepted_at=now, accepted_by=UserFactory()
    )
    # A national coordinator who is not an admin of the organisation.
    coordinators = Assignment.objects.create(
        organisation=organisation, user=s, module=module, due_on=due,
        assigned_by=people["coordinator"],
    )  # fmt: skip

    return {
        "ended": ended,
        "withdrawn": withdrawn,
        "first": first,
        "second": second,
        "signed": signed,
        "old_request": old_request,
        "old_record": old_record,
        "old_rows": old_rows,
        "cancelled": cancelled,
        "accepted": accepted,
        "coordinators": coordinators,
    }


def _shown(client, user, label: str, row: dict) -> bool:
    """Whether the screen that shows this record opens for ``user`` (and lists it)."""
    if label == "reflection.signoffrequest":
        url = reverse("signoff_detail", args=[row["id"]])
    elif label == "reflection.supervisionrelationship":
        url = reverse("supervision_relationship", args=[row["id"]])
    elif label == "reflection.supervisionsession":
        url = reverse("supervision_detail", args=[row["id"]])
    elif label in ("reflection.supervisionaction", "reflection.supervisionaddendum"):
        url = reverse("supervision_detail", args=[row["session_id"]])
    elif label in ("community.flag", "community.postrevision") or (
        label == "community.moderationaction" and "actor_id" in row
    ):
        if label == "community.flag" and row["reporter_id"] == user.pk:
            return True  # their own report
        own_post = Post.objects.filter(pk=row["post_id"], author_id=user.pk)
        if label == "community.postrevision" and own_post.exists():
            return True  # an earlier version of their own post
        url = reverse("community_moderation_post", args=[row["post_id"]])
    elif label == "community.moderationaction":
        return client.get(reverse("community_my_posts")).status_code == 200
    elif label == "community.reflectivesession":
        slug = Space.objects.get(pk=row["space_id"]).slug
        url = reverse("community_session", args=[slug, row["id"]])
    elif label == "modules.assignment":
        if row["user_id"] == user.pk:
            return True  # assigned to them
        page = client.get(reverse("organisation_assignments", args=["home-org"]))
        cancel = reverse("organisation_assignment_cancel", args=["home-org", row["id"]])
        return page.status_code == 200 and cancel in page.content.decode()
    elif label == "learning.invitation":
        if row["accepted_by_id"] == user.pk:
            return True  # the invitation they accepted
        page = client.get(reverse("organisation_members", args=["home-org"]))
        return page.status_code == 200 and row["email"] in page.content.decode()
    else:
        raise AssertionError(label)
    return client.get(url).status_code == 200


ROLES = (
    "practitioner",
    "supervisor",
    "ended",
    "withdrawn",
    "facilitator",
    "org_admin",
    "coordinator",
)


@pytest.mark.parametrize("role", ROLES)
def test_export_holds_nothing_the_screens_would_404(client, people, world, role):
    user = world.get(role) or people[role]
    records = records_about(user)
    text = json.dumps(records, cls=DjangoJSONEncoder, ensure_ascii=False)
    client.force_login(user)
    checked = 0
    for label in SHARED:
        for row in records.get(label, []):
            assert _shown(client, user, label, row), (role, label, row)
            checked += 1
    if role != "practitioner":
        # Another person's private check-in is never in anyone else's export.
        assert CHECKIN_NOTE not in text
    ids = {label: {r["id"] for r in rows if "id" in r} for label, rows in records.items()}
    requests = ids.get("reflection.signoffrequest", set())
    if role == "practitioner":
        # Their own summaries, every version, whole.
        assert {world["first"].pk, world["second"].pk, world["old_request"].pk} <= requests
        assert CHECKIN_NOTE in text
    if role == "supervisor":
        assert requests == {world["signed"].pk} and checked >= 5
    if role == "withdrawn":
        assert requests == {world["second"].pk}
        assert client.get(reverse("signoff_detail", args=[world["first"].pk])).status_code == 404
    if role == "ended":
        assert world["old_request"].pk not in requests
        url = reverse("signoff_detail", args=[world["old_request"].pk])
        assert client.get(url).status_code == 404
        # The ended relationship's session record still opens for them, so it is exported.
        assert world["old_record"].pk in ids["reflection.supervisionsession"]
    if role == "facilitator":
        flag, revision, action, old_session = world["old_rows"]
        assert flag.pk not in ids.get("community.flag", set())
        assert revision.pk not in ids.get("community.postrevision", set())
        assert action.pk not in ids.get("community.moderationaction", set())
        assert old_session.pk not in ids.get("community.reflectivesession", set())
        assert OLD_SPACE_NOTE not in text and checked >= 4
        url = reverse("community_moderation_post", args=[flag.post_id])
        assert client.get(url).status_code == 404
    if role == "org_admin":
        assert world["cancelled"].pk not in ids.get("modules.assignment", set())
        assert world["accepted"].pk not in ids.get("learning.invitation", set())
        assert len(ids["modules.assignment"]) == 1 and len(ids["learning.invitation"]) == 1
    if role == "coordinator":
        assert world["coordinators"].pk not in ids.get("modules.assignment", set())
