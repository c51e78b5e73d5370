"""``manage.py install_curriculum`` and ``manage.py bootstrap``: a new site gets the shipped
content and its first organisation, admin and reviewer without the Django admin; both are safe
to run again; a shipped change never overwrites a page an editor has changed, but goes to the
review workflow; bad input is refused with a sentence before anything is written."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, WorkflowState

from community.models import Space
from learning.models import Invitation, Membership, Organisation, Role, User
from learning.seeding import InstallReport
from modules.curriculum import CURRICULUM_DIR
from modules.models import HomePage, InstalledPage, LessonPage, ModuleIndexPage, ModulePage
from modules.seed_curriculum import seed_curriculum

from .factories import UserFactory, add_to_group

pytestmark = pytest.mark.django_db

FIRST_FILE = "01-separation-at-birth.json"
TITLE = json.loads((CURRICULUM_DIR / FIRST_FILE).read_text(encoding="utf-8"))["title"]


def _run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def one_module(tmp_path):
    """A curriculum folder holding the first shipped module, and a way to change it."""
    shutil.copy(CURRICULUM_DIR / FIRST_FILE, tmp_path / FIRST_FILE)

    def change(**fields):
        path = tmp_path / FIRST_FILE
        data = json.loads(path.read_text(encoding="utf-8"))
        data.update(fields)
        path.write_text(json.dumps(data), encoding="utf-8")
        return data

    return tmp_path, change


# --- install_curriculum ---------------------------------------------------------------------


def test_install_on_an_empty_site_then_again(client):
    """The whole shipped curriculum, on a site with only Wagtail's welcome page and nobody in
    it; a second run changes nothing."""
    out = _run("install_curriculum")
    assert not User.objects.exists()
    # The English tree, plus the Welsh translation of the module shipped in Welsh (with the
    # home and catalogue pages it sits under).
    english = {"locale__language_code": "en-gb"}
    assert HomePage.objects.live().filter(**english).count() == 1
    assert ModuleIndexPage.objects.live().filter(**english).count() == 1
    assert ModulePage.objects.live().filter(**english).count() == 8
    assert ModulePage.objects.live().filter(locale__language_code="cy").count() == 1
    assert LessonPage.objects.live().count() == LessonPage.objects.count() > 8
    assert Space.objects.count() == 4 and not Space.objects.filter(facilitators__isnull=False)
    assert "Created and published" in out and f"Module: {TITLE}" in out
    assert "Safeguarding phrases:" in out
    assert client.get("/").status_code == 200
    catalogue = client.get("/modules/").content.decode()
    assert all(m.title in catalogue for m in ModulePage.objects.filter(**english))

    pages, revisions = Page.objects.count(), ModulePage.objects.get(slug="hope-boxes").revisions
    count = revisions.count()
    again = _run("install_curriculum")
    assert "Created and published" not in again and "Updated" not in again
    assert f"Already up to date: {InstalledPage.objects.count() + 4}." in again
    assert Page.objects.count() == pages and revisions.count() == count


def test_a_shipped_change_to_an_untouched_page_is_published(one_module):
    directory, change = one_module
    seed_curriculum(directory=directory)
    change(summary="A corrected summary of the module.")
    report = InstallReport()
    seed_curriculum(directory=directory, report=report)
    module = ModulePage.objects.get(slug="separation-at-birth")
    assert module.summary == "A corrected summary of the module."
    assert report.updated == [f"Module: {TITLE}"]
    assert not WorkflowState.objects.exists()
    # Lessons whose shipped source did not change are left alone.
    assert not [label for label in report.updated if label.startswith("Lesson:")]


def test_a_shipped_change_to_an_edited_page_goes_to_review(one_module):
    directory, change = one_module
    seed_curriculum(directory=directory)
    editor = add_to_group(UserFactory(), "Content editors")
    module = ModulePage.objects.get(slug="separation-at-birth")
    module.summary = "The editor's own summary."
    module.save_revision(user=editor).publish()

    change(summary="A corrected summary of the module.")
    report = InstallReport()
    seed_curriculum(directory=directory, report=report)

    module = ModulePage.objects.get(slug="separation-at-birth")
    assert module.summary == "The editor's own summary."  # the live page is untouched
    assert module.has_unpublished_changes
    draft = module.get_latest_revision_as_object()
    assert draft.summary == "A corrected summary of the module."
    state = WorkflowState.objects.get(object_id=str(module.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.revision_id == module.latest_revision_id
    assert report.submitted == [f"Module: {TITLE}"]

    # Run again with nothing new shipped: nothing more is made or submitted.
    report = InstallReport()
    seed_curriculum(directory=directory, report=report)
    assert report.submitted == [] and report.updated == []
    assert WorkflowState.objects.count() == 1

    # Another shipped change while that review waits: still not published; the review starts
    # again with the newest version, which keeps the editor's other changes.
    module.search_description = "The editor's search description."
    module.save_revision(user=editor)
    change(summary="A second correction.")
    report = InstallReport()
    seed_curriculum(directory=directory, report=report)
    module = ModulePage.objects.get(slug="separation-at-birth")
    assert module.summary == "The editor's own summary."
    draft = module.get_latest_revision_as_object()
    assert draft.summary == "A second correction."
    assert draft.search_description == "The editor's search description."
    assert report.submitted == [f"Module: {TITLE} (the review in progress was started again)"]
    live = WorkflowState.objects.get(status=WorkflowState.STATUS_IN_PROGRESS)
    assert live.current_task_state.revision_id == module.latest_revision_id


def test_the_command_prints_which_pages_went_to_review(one_module, monkeypatch):
    directory, change = one_module
    from learning import seeding

    monkeypatch.setitem(
        seeding._INSTALL_STEPS,
        "modules.curriculum",
        seeding.InstallStep(
            "modules.curriculum",
            lambda report: seed_curriculum(directory=directory, report=report),
            30,
        ),
    )
    _run("install_curriculum")
    editor = add_to_group(UserFactory(), "Content editors")
    lesson = LessonPage.objects.order_by("path").first()
    lesson.summary = "An editor's summary."
    lesson.save_revision(user=editor).publish()
    data = json.loads((directory / FIRST_FILE).read_text(encoding="utf-8"))
    data["lessons"][0]["summary"] = "A shipped correction."
    change(lessons=data["lessons"])
    out = _run("install_curriculum")
    assert "submitted for review (1):" in out
    assert f"  - Lesson: {lesson.title} ({TITLE})" in out
    assert "wait for a content reviewer" in out


def test_a_site_installed_by_the_older_seed_is_taken_over_without_losing_edits(one_module):
    """Pages made before install records were kept: untouched ones take the shipped version;
    one a person has revised goes to review."""
    directory, _change = one_module
    seed_curriculum(directory=directory)
    InstalledPage.objects.all().delete()
    editor = add_to_group(UserFactory(), "Content editors")
    lesson = LessonPage.objects.order_by("path").first()
    lesson.summary = "An editor's summary."
    lesson.save_revision(user=editor).publish()
    report = InstallReport()
    seed_curriculum(directory=directory, report=report)
    assert report.created == []
    assert report.submitted == [f"Lesson: {lesson.title} ({TITLE})"]
    lesson.refresh_from_db()
    assert lesson.summary == "An editor's summary."
    assert f"Module: {TITLE}" in report.updated


# --- bootstrap ------------------------------------------------------------------------------

BOOTSTRAP = (
    *("--organisation", "Northgate Perinatal Mental Health Service"),
    *("--kind", "pmhs", "--region", "north_west"),
    *("--safeguarding-route", "Call the duty safeguarding lead on the number in the handbook."),
    *("--admin-email", "First.Admin@northgate.example", "--reviewer-email", "reviewer@hh.example"),
    *("--reviewer-name", "Rowan Reviewer"),
)


def test_bootstrap_then_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = _run("bootstrap", *BOOTSTRAP)
    org = Organisation.objects.get(slug="northgate-perinatal-mental-health-service")
    assert org.safeguarding_route.startswith("Call the duty safeguarding lead")
    invitation = Invitation.objects.get(organisation=org)
    assert (invitation.email, invitation.role) == ("first.admin@northgate.example", Role.ORG_ADMIN)
    assert [m.to for m in mail.outbox] == [["first.admin@northgate.example"]]
    reviewer = User.objects.get(email="reviewer@hh.example")
    assert not reviewer.has_usable_password()
    assert set(reviewer.groups.values_list("name", flat=True)) == {
        "Content editors",
        "Content reviewers",
    }
    assert "invited as organisation admin" in out and "content reviewer" in out

    with django_capture_on_commit_callbacks(execute=True):
        again = _run("bootstrap", *BOOTSTRAP)
    assert Organisation.objects.count() == 1 and Invitation.objects.count() == 1
    assert len(mail.outbox) == 1 and User.objects.count() == 1
    assert "already there" in again and "not sent again" in again
    assert "already a content reviewer" in again


def test_the_reviewer_can_publish_the_installed_curriculum(one_module):
    directory, _change = one_module
    seed_curriculum(directory=directory)
    _run("bootstrap", *BOOTSTRAP)
    reviewer = User.objects.get(email="reviewer@hh.example")
    module = ModulePage.objects.get(slug="separation-at-birth")
    assert module.permissions_for_user(reviewer).can_publish()
    editor = UserFactory()
    assert not module.permissions_for_user(editor).can_publish()


def test_bootstrap_keeps_an_existing_admin_and_an_existing_reviewer():
    org = Organisation.objects.create(
        slug="riverside", name="Riverside", kind="mmhs", region="london", safeguarding_route="x"
    )
    admin = UserFactory(email="admin@riverside.example")
    Membership.objects.create(user=admin, organisation=org, role=Role.ORG_ADMIN)
    reviewer = UserFactory(email="superuser@riverside.example", is_superuser=True)
    out = _run(
        "bootstrap",
        *("--organisation", "Riverside", "--slug", "riverside", "--kind", "mmhs"),
        *("--region", "london", "--safeguarding-route", "Another route"),
        *("--admin-email", admin.email, "--reviewer-email", reviewer.email),
    )
    assert "already an organisation admin: no invitation sent" in out
    assert not Invitation.objects.exists()
    org.refresh_from_db()
    assert org.safeguarding_route == "x"
    assert list(reviewer.groups.values_list("name", flat=True)) == ["Content reviewers"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--safeguarding-route", "  "), "needs its safeguarding route"),
        (("--admin-email", "not-an-address"), "organisation admin's email address"),
        (("--reviewer-email", "x@"), "content reviewer's email address"),
        (("--organisation", " "), "Give the organisation's name"),
        (("--slug", "no spaces please"), "may use only letters"),
        (("--kind", "hospital"), "invalid choice"),
    ],
)
def test_bootstrap_refuses_bad_input_before_writing(change, message):
    args = list(BOOTSTRAP)
    if change[0] in args:
        args[args.index(change[0]) + 1] = change[1]
    else:
        args += list(change)
    with pytest.raises(CommandError, match=message):
        _run("bootstrap", *args)
    assert not Organisation.objects.exists() and not User.objects.exists()
    assert not Invitation.objects.exists()
    assert Group.objects.get(name="Content reviewers").user_set.count() == 0


def test_seed_demo_installs_and_bootstraps():
    """seed_demo runs both commands: the curriculum is installed, the demo superuser is the
    content reviewer, and the demo organisation admin (already one) is not invited."""
    call_command("seed_demo", "--quiet-sign-ins", stdout=io.StringIO())
    english = ModulePage.objects.live().filter(locale__language_code="en-gb")
    assert english.count() == 8
    # The one module translated in full, as a Welsh page beside its English source.
    assert ModulePage.objects.live().exclude(locale__language_code="en-gb").count() == 1
    reviewers = Group.objects.get(name="Content reviewers").user_set.all()
    assert [u.email for u in reviewers] == ["admin@demo.holdinghope.test"]
    assert not Invitation.objects.filter(role=Role.ORG_ADMIN).exists()
