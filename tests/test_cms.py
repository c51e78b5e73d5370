"""The CMS around the modules: topics and audiences as snippets, review before publishing (the
"Module review" workflow), scheduled publishing, and the "Modules due for review" report and
dashboard panel."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from learning import permissions
from modules.admin_views import modules_due_for_review
from modules.models import Audience, LessonPage, ModulePage, Topic

from .factories import UserFactory, add_to_group
from .module_factories import make_module

pytestmark = pytest.mark.django_db

REVIEWERS = "Content reviewers"
REPORT_URL = "/admin/reports/modules-due-for-review/"


@pytest.fixture
def editor():
    return add_to_group(UserFactory(), permissions.CONTENT_EDITORS)


@pytest.fixture
def reviewer():
    return add_to_group(UserFactory(), REVIEWERS)


@pytest.fixture
def practitioner(people):
    return people["practitioner"]


def _lesson() -> LessonPage:
    module = make_module(lessons=1, title="Family justice processes")
    return LessonPage.objects.child_of(module).get()


def _edit_data(lesson: LessonPage, title: str, action: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": lesson.slug,
            "summary": lesson.summary,
            "estimated_minutes": str(lesson.estimated_minutes),
            "content_note": "",
            "body": streamfield([("rich_text", rich_text(f"<p>{title}: new teaching text.</p>"))]),
            action: "1",
            **extra,
        }
    )


# --- Snippets: topics and audiences ---------------------------------------------------------


def test_editors_hold_add_and_change_on_topics_and_audiences():
    editors = Group.objects.get(name=permissions.CONTENT_EDITORS)
    codenames = set(
        editors.permissions.filter(content_type__app_label="modules").values_list(
            "codename", flat=True
        )
    )
    assert {"add_topic", "change_topic", "add_audience", "change_audience"} <= codenames
    assert "delete_topic" not in codenames


def test_editor_lists_and_searches_topics(client, editor):
    Topic.objects.create(name="Family justice processes", slug="family-justice")
    Topic.objects.create(name="HOPE Boxes", slug="hope-boxes")
    client.force_login(editor)

    response = client.get(reverse("wagtailsnippets_modules_topic:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Family justice processes" in body
    assert "HOPE Boxes" in body

    response = client.get(reverse("wagtailsnippets_modules_topic:list"), {"q": "justice"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Family justice processes" in body
    assert "HOPE Boxes" not in body


def test_editor_adds_and_changes_a_topic(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_modules_topic:add"),
        {"name": "Perinatal grief", "slug": "perinatal-grief", "description": "", "sort_order": 9},
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="perinatal-grief")
    assert topic.name == "Perinatal grief"

    response = client.post(
        reverse("wagtailsnippets_modules_topic:edit", args=[topic.pk]),
        {"name": "Grief and loss", "slug": "perinatal-grief", "description": "", "sort_order": 9},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.name == "Grief and loss"


def test_editor_adds_and_searches_audiences(client, editor):
    Audience.objects.create(name="Children's social care", slug="childrens-social-care")
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_modules_audience:add"),
        {"name": "Health visitors", "slug": "health-visitors"},
    )
    assert response.status_code == 302
    assert Audience.objects.filter(slug="health-visitors", name="Health visitors").exists()

    response = client.get(reverse("wagtailsnippets_modules_audience:list"), {"q": "health"})
    body = response.content.decode()
    assert "Health visitors" in body
    assert "Children&#x27;s social care" not in body and "Children's social care" not in body


def test_editor_cannot_delete_a_topic(client, editor):
    topic = Topic.objects.create(name="Keep me", slug="keep-me")
    client.force_login(editor)
    response = client.post(reverse("wagtailsnippets_modules_topic:delete", args=[topic.pk]))
    assert response.status_code in (302, 403)
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_practitioner_cannot_reach_the_snippets(client, practitioner):
    client.force_login(practitioner)
    response = client.get(reverse("wagtailsnippets_modules_topic:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "/admin/login/" in response["Location"]
    response = client.post(
        reverse("wagtailsnippets_modules_topic:add"), {"name": "Nope", "slug": "nope"}
    )
    assert response.status_code == 302
    assert not Topic.objects.filter(slug="nope").exists()


# --- Review workflow -------------------------------------------------------------------------


def test_migration_sets_up_the_review_workflow():
    root = Page.get_first_root_node()
    reviewers = Group.objects.get(name=REVIEWERS)
    assert reviewers.permissions.filter(codename="access_admin").exists()
    assert GroupPagePermission.objects.filter(
        group=reviewers, page=root, permission__codename="publish_page"
    ).exists()
    root_collection = Collection.get_first_root_node()
    collection_codenames = set(
        GroupCollectionPermission.objects.filter(
            group=reviewers, collection=root_collection
        ).values_list("permission__codename", flat=True)
    )
    assert collection_codenames == {
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    }
    # Editors write; they do not publish.
    assert not GroupPagePermission.objects.filter(
        group__name=permissions.CONTENT_EDITORS, permission__codename="publish_page"
    ).exists()

    workflow = Workflow.objects.get(name="Module review")
    assert workflow.active
    tasks = list(workflow.tasks.specific())
    assert [task.name for task in tasks] == ["Review by a content reviewer"]
    assert isinstance(tasks[0], GroupApprovalTask)
    assert list(tasks[0].groups.all()) == [reviewers]
    assert WorkflowPage.objects.get(page=root).workflow == workflow


def test_every_page_goes_through_module_review():
    lesson = _lesson()
    assert lesson.get_workflow().name == "Module review"
    assert lesson.get_parent().specific.get_workflow().name == "Module review"


def test_editor_submits_a_lesson_and_a_reviewer_approves_it(client, editor, reviewer):
    lesson = _lesson()
    original_title = lesson.title
    live_revision = lesson.live_revision
    edit_url = reverse("wagtailadmin_pages:edit", args=[lesson.id])

    # The editor submits a revision for moderation through the edit view.
    client.force_login(editor)
    response = client.post(
        edit_url, _edit_data(lesson, "Urgent hearings at birth", "action-submit")
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == original_title  # the live page is unchanged
    assert lesson.live_revision == live_revision
    assert lesson.has_unpublished_changes
    assert lesson.latest_revision.as_object().title == "Urgent hearings at birth"
    state = lesson.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.requested_by == editor
    assert lesson.current_workflow_task.name == "Review by a content reviewer"
    task_state = lesson.current_workflow_task_state
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[lesson.id, "approve", task_state.id]
    )
    client.logout()
    public = client.get(lesson.url).content.decode()
    assert original_title in public
    assert "Urgent hearings at birth" not in public
    client.force_login(editor)

    # The editor cannot approve their own submission.
    response = client.post(approve_url)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == original_title
    assert lesson.current_workflow_state.status == "in_progress"

    # A reviewer opens the submission in the editor, then approves it through the workflow
    # action; the change goes live.
    client.force_login(reviewer)
    assert client.get(edit_url).status_code == 200
    response = client.post(approve_url)
    assert response.status_code in (200, 302)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Urgent hearings at birth"
    assert not lesson.has_unpublished_changes
    assert lesson.live_revision != live_revision
    assert "new teaching text" in str(lesson.body[0].value)
    client.logout()
    public = client.get(lesson.url).content.decode()
    assert "Urgent hearings at birth" in public
    assert "new teaching text" in public
    state.refresh_from_db()
    assert state.status == "approved"
    task_state.refresh_from_db()
    assert task_state.status == "approved"
    assert task_state.finished_by == reviewer


def test_editor_cannot_publish_directly(client, editor):
    lesson = _lesson()
    original_title = lesson.title
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.id]),
        _edit_data(lesson, "Published without review", "action-publish"),
    )
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == original_title
    assert not lesson.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_reviewer_requests_changes_and_nothing_goes_live(client, editor, reviewer):
    lesson = _lesson()
    original_title = lesson.title
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.id]),
        _edit_data(lesson, "Needs more work", "action-submit"),
    )
    lesson = LessonPage.objects.get(pk=lesson.pk)
    task_state = lesson.current_workflow_task_state
    assert task_state is not None

    # Wagtail's API, as the task itself offers it to the reviewer.
    task = lesson.current_workflow_task
    actions = [name for name, _label, _needs_form in task.get_actions(lesson, reviewer)]
    assert "approve" in actions and "reject" in actions
    assert task.get_actions(lesson, editor) == []
    task.on_action(task_state, reviewer, "reject")

    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == original_title
    assert lesson.current_workflow_state.status == "needs_changes"


def test_approved_revision_with_a_future_go_live_waits_for_publish_scheduled(
    client, editor, reviewer
):
    lesson = _lesson()
    original_title = lesson.title
    go_live = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=2)
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.id]),
        _edit_data(
            lesson,
            "Scheduled lesson",
            "action-submit",
            go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.latest_revision.as_object().go_live_at == go_live

    # The reviewer approves (Wagtail's API); the revision is scheduled, not live.
    lesson.current_workflow_task.on_action(lesson.current_workflow_task_state, reviewer, "approve")
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == original_title
    scheduled = lesson.revisions.get(approved_go_live_at__isnull=False)
    assert scheduled.approved_go_live_at == go_live

    call_command("publish_scheduled")  # too early: nothing happens
    assert LessonPage.objects.get(pk=lesson.pk).title == original_title

    with time_machine.travel(go_live - datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    assert LessonPage.objects.get(pk=lesson.pk).title == original_title

    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.title == "Scheduled lesson"
    assert lesson.live_revision == scheduled
    assert not lesson.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_scheduled_publish_of_a_revision(reviewer):
    lesson = _lesson()
    go_live = timezone.now() + datetime.timedelta(hours=3)
    lesson.title = "Revised at three"
    lesson.go_live_at = go_live
    lesson.save_revision(user=reviewer).publish(user=reviewer)
    assert LessonPage.objects.get(pk=lesson.pk).title != "Revised at three"

    with time_machine.travel(go_live + datetime.timedelta(seconds=5), tick=False):
        call_command("publish_scheduled")
    assert LessonPage.objects.get(pk=lesson.pk).title == "Revised at three"


# --- Modules due for review ------------------------------------------------------------------


@pytest.fixture
def review_modules():
    today = timezone.localdate()
    made = {}
    for key, offset, owner in [
        ("long_overdue", -40, "Perinatal team"),
        ("overdue", -10, "Justice team"),
        ("today", 0, "Holding Hope curriculum team"),
        ("soon", 10, ""),
        ("edge", 30, "Holding Hope curriculum team"),
        ("later", 31, "Holding Hope curriculum team"),
        ("undated", None, "Holding Hope curriculum team"),
    ]:
        module = make_module(lessons=0, title=f"Review {key.replace('_', ' ')}")
        ModulePage.objects.filter(pk=module.pk).update(
            content_owner=owner,
            next_review_date=None if offset is None else today + datetime.timedelta(days=offset),
        )
        made[key] = module
    return made


def test_due_for_review_selects_the_window_most_overdue_first(review_modules):
    titles = [m.title for m in modules_due_for_review()]
    assert titles == [
        "Review long overdue",
        "Review overdue",
        "Review today",
        "Review soon",
        "Review edge",
    ]


def test_editor_sees_the_report_with_overdue_highlighted(client, editor, review_modules):
    client.force_login(editor)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Modules due for review" in body
    for key in ("long_overdue", "overdue", "today", "soon", "edge"):
        assert review_modules[key].title in body, key
    assert "Review later" not in body
    assert "Review undated" not in body
    assert (
        body.index("Review long overdue") < body.index("Review overdue") < body.index("Review soon")
    )
    assert "Justice team" in body
    assert "No owner set" in body
    assert "Overdue by 40 days" in body
    assert "Overdue by 10 days" in body
    assert "Due today" in body
    assert "Due in 10 days" in body
    assert body.count('class="hope-review-overdue"') == 2
    edit_url = reverse("wagtailadmin_pages:edit", args=[review_modules["overdue"].pk])
    assert f'href="{edit_url}"' in body


def test_report_exports_csv(client, editor, review_modules):
    client.force_login(editor)
    response = client.get(REPORT_URL, {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Module,Content owner,Next review date,Published" in content
    assert "Review overdue,Justice team" in content
    assert "Review later" not in content


def test_superuser_sees_the_report(client, people, review_modules):
    client.force_login(people["superuser"])
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    assert "Review long overdue" in response.content.decode()


def test_practitioner_gets_no_access_to_the_report(client, practitioner, review_modules):
    client.force_login(practitioner)
    response = client.get(REPORT_URL)
    assert response.status_code == 302
    assert "Review overdue" not in response.content.decode()
    response = client.get(REPORT_URL, {"export": "csv"})
    assert response.status_code == 302


def test_anonymous_gets_no_access_to_the_report(client, review_modules):
    response = client.get(REPORT_URL)
    assert response.status_code == 302


def test_reviewer_without_editor_role_is_refused_the_report(client, reviewer, review_modules):
    client.force_login(reviewer)
    response = client.get(REPORT_URL)
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert "Review overdue" not in response.content.decode()


def test_report_is_in_the_reports_menu_for_editors_only(client, editor, reviewer, home_page):
    client.force_login(editor)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert REPORT_URL in body
    client.force_login(reviewer)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert REPORT_URL not in body


def test_dashboard_panel_shows_count_and_five_most_overdue(client, editor, review_modules):
    today = timezone.localdate()
    for n in range(2):  # due on the same day as "edge", listed after it by title
        extra = make_module(lessons=0, title=f"Review extra {n}")
        ModulePage.objects.filter(pk=extra.pk).update(
            next_review_date=today + datetime.timedelta(days=30)
        )
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    body = response.content.decode()
    panel = body[body.index('id="modules-due-for-review-content"') :]
    assert "7 modules are due for review in the next 30 days or are overdue." in panel
    for key in ("long_overdue", "overdue", "today", "soon", "edge"):
        assert review_modules[key].title in panel, key
    assert "Review extra 0" not in panel and "Review extra 1" not in panel
    assert "See 2 more in the report" in panel
    assert panel.count('class="hope-review-overdue"') == 2


def test_dashboard_panel_is_not_shown_to_reviewers(client, reviewer, review_modules):
    client.force_login(reviewer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "are due for review" not in body
    assert "Review long overdue" not in body


def test_dashboard_panel_when_nothing_is_due(client, editor, home_page):
    client.force_login(editor)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No modules are due for review in the next 30 days." in body


def test_practitioner_gets_no_dashboard(client, practitioner, review_modules):
    client.force_login(practitioner)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302


def test_reviewers_publish_and_editors_only_write(editor, reviewer):
    lesson = _lesson()
    assert reviewer.has_perm("wagtailadmin.access_admin")
    reviewer_perms = lesson.permissions_for_user(reviewer)
    assert reviewer_perms.can_publish()
    assert not reviewer_perms.can_add_subpage()  # reviewers approve; editors write
    editor_perms = lesson.permissions_for_user(editor)
    assert editor_perms.can_edit()
    assert not editor_perms.can_publish()
