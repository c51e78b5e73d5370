"""No report page, chart or export ever shows reflective or written content: a sentinel is
written into every free-text field the tests can reach (journal entries, supervision summaries,
change comments, check-ins, actions, addenda and agreements, community thread titles and posts)
and must appear in none of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Post
from learning import permissions
from learning.models import AuditEvent
from learning.reports.models import ReportExport
from learning.reports.registry import national_sections, organisation_sections
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionAddendum,
    SupervisionCheckIn,
    SupervisionRelationship,
    SupervisionSession,
)

from .community_factories import SpaceFactory, member, reply, thread
from .factories import UserFactory, add_to_group
from .journal_factories import SENTINEL as JOURNAL_SENTINEL
from .journal_factories import make_entry
from .report_factories import populated_organisation
from .supervision_factories import SENTINEL as SUPERVISION_SENTINEL
from .supervision_factories import make_relationship, make_session

pytestmark = pytest.mark.django_db

SENTINEL = "SENTINEL-reports-5d2a"
# The builders' own sentinels as well: "SENTINEL" is the common prefix of all three.
ALL_SENTINELS = ("SENTINEL", SENTINEL, JOURNAL_SENTINEL, SUPERVISION_SENTINEL)


def _clean(text: str, where: str) -> None:
    for sentinel in ALL_SENTINELS:
        assert sentinel not in text, where


def _write_the_sentinel_everywhere(organisation, members):
    space = SpaceFactory()
    for user in members:
        make_entry(
            user,
            title=f"Entry {SENTINEL}",
            tags=SENTINEL,
            summary=f"<p>{SENTINEL}</p>",
            body_json=f'{{"description": "<p>{SENTINEL}</p>"}}',
        )
        rel = make_relationship(user)
        SupervisionRelationship.objects.filter(pk=rel.pk).update(
            confidentiality=SENTINEL, recording=SENTINEL, escalation=SENTINEL
        )
        session = make_session(rel, summary=f"Summary {SENTINEL}", locked=True, actions=1)
        SupervisionSession.objects.filter(pk=session.pk).update(change_comment=SENTINEL)
        SupervisionAction.objects.filter(session=session).update(text=f"Action {SENTINEL}")
        SupervisionCheckIn.objects.create(
            session=session,
            supervisee=user,
            workload=3,
            emotional_impact=3,
            support=3,
            notes=f"Check-in {SENTINEL}",
            shared_with_supervisor=True,
        )
        SupervisionAddendum.objects.create(session=session, author=user, text=SENTINEL)
        opened = thread(space, member(space, user).user, title=f"Thread {SENTINEL}", body=SENTINEL)
        reply(opened, user, body=f"Reply {SENTINEL}")
    Post.objects.update(status_reason=SENTINEL)


def test_no_report_page_or_export_shows_written_content(client, django_capture_on_commit_callbacks):
    organisation, admin, members, _ = populated_organisation(5)
    _write_the_sentinel_everywhere(organisation, members)
    # figures exist, so the pages below are not empty
    assert Post.objects.filter(body_html__contains=SENTINEL).count() >= 10
    client.force_login(admin)
    pages = [reverse("reports_index")]
    for section in organisation_sections():
        url = reverse("report_organisation", args=[organisation.slug])
        pages.append(f"{url}?section={section.key}")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("report_organisation_export", args=[organisation.slug]),
                {"section": section.key},
            )
    for page in pages:
        body = client.get(page).content.decode()
        assert "<table" in body or page == reverse("reports_index")
        _clean(body, page)
    coordinator = add_to_group(UserFactory(), permissions.NATIONAL_COORDINATORS)
    client.force_login(coordinator)
    for section in national_sections():
        for group_by in ("kind", "region"):
            page = reverse("report_national") + f"?section={section.key}&group_by={group_by}"
            _clean(client.get(page).content.decode(), page)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("report_national_export"), {"section": section.key})
    exports = list(ReportExport.objects.select_related("requested_by"))
    assert len(exports) == len(organisation_sections()) + len(national_sections())
    for export in exports:
        assert export.status == "ready", export.section_key
        client.force_login(export.requested_by)
        for url in (
            reverse("report_export_detail", args=[export.pk]),
            reverse("report_export_status", args=[export.pk]),
        ):
            _clean(client.get(url).content.decode(), url)
        content = client.get(reverse("report_export_download", args=[export.pk])).content
        assert content
        _clean(content.decode(), export.section_key)
    for event in AuditEvent.objects.filter(action__startswith="report."):
        _clean(str(event.data), event.action)
