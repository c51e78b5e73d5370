"""Round trip: make every kind of record about one person through each app's factories and
services, download it all, erase the account, then walk every model's relations to the user
model and count: nothing may still point at them. What is kept is kept pseudonymised (the link
set to empty): a signed-off summary, a supervisee's records, the audit log."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from learning import permissions, privacy
from learning.models import AuditEvent, DataExport, Notification, Role
from learning.privacy import services

from .community_factories import SpaceFactory, member, reply, thread
from .factories import InvitationFactory, MembershipFactory, UserFactory, add_to_group
from .journal_factories import make_entry
from .report_factories import complete, rate, ready_export, start
from .supervision_factories import SENTINEL, make_action, make_relationship, make_session

pytestmark = pytest.mark.django_db


def _everything_about(person, organisation, supervisor):
    """One of every kind of record about ``person`` (and some of other people's, kept)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from community.models import Flag, ThreadFollow
    from modules.models import Assignment
    from reflection.signoff import services as signoff_services
    from reflection.supervision.calendar import calendar_token_regenerate
    from reflection.supervision.models import SupervisionCheckIn, SupervisionReminderSent

    from .module_factories import make_module

    add_to_group(person, permissions.CONTENT_EDITORS)
    EmailAddress.objects.get_or_create(user=person, email=person.email)
    Authenticator.objects.create(user=person, type="totp", data={"secret": "NEVER-EXPORTED"})
    LogEntry.objects.create(user=person, content_type=None, object_repr="x", action_flag=ADDITION)
    Notification.objects.create(recipient=person, kind="t", message="Waiting.", url="/")
    InvitationFactory(organisation=organisation, invited_by=person)
    ready_export(person, organisation)
    # learning
    module, other = make_module(lessons=1), make_module(lessons=1)
    complete(person, module, code="HH-PRIV-0000-0001")
    start(person, other)
    rate(person, module, before=2, after=4)
    Assignment.objects.create(
        organisation=organisation, user=person, module=other, due_on="2099-01-01"
    )
    # SCORM and H5P: content they uploaded as an editor, their place and result in it
    from modules.h5p.services import h5p_result_record
    from modules.scorm.services import scorm_commit

    from .scorm_factories import (
        make_h5p_content,
        make_h5p_module,
        make_scorm_module,
        make_scorm_package,
    )

    package = make_scorm_package(person)
    scorm_module, scorm_lesson = make_scorm_module(package)
    scorm_commit(
        user=person,
        lesson=scorm_lesson,
        module=scorm_module,
        package=package,
        cmi={"cmi.core.lesson_location": "page-2", "cmi.suspend_data": "my place"},
    )
    h5p = make_h5p_content(person)
    h5p_module, h5p_lesson = make_h5p_module(h5p)
    h5p_result_record(
        user=person,
        lesson=h5p_lesson,
        module=h5p_module,
        content=h5p,
        verb="answered",
        completion=False,
        score_raw=None,
        score_max=None,
    )
    # journal and sign-off: one summary signed off, one waiting
    signed = signoff_services.signoff_request_create(
        author=person, entry=make_entry(person), supervisor=supervisor
    )
    signoff_services.signoff_sign(supervisor=supervisor, request=signed, comment="Well done.")
    signoff_services.signoff_request_create(
        author=person, entry=make_entry(person, title="Another"), supervisor=supervisor
    )
    # supervision: as supervisee, and as supervisor of someone else
    own = make_relationship(person, supervisor)
    session = make_session(own, locked=True, actions=1)
    SupervisionCheckIn.objects.create(
        session=session, supervisee=person, workload=3, emotional_impact=3, support=3
    )
    SupervisionReminderSent.objects.create(key=f"k-{person.pk}", recipient=person)
    calendar_token_regenerate(user=person)
    supervisee = UserFactory()
    theirs = make_relationship(supervisee, person)
    their_session = make_session(theirs, locked=True)
    make_action(their_session, owner=person)
    their_session.attendees.add(person)
    # community
    space = SpaceFactory(facilitators=[person])
    member(space, person)
    mine = thread(space, person, title="My question")
    other_thread = thread(space, title="Someone else's")
    post = reply(other_thread, person, body="My reply.")
    reply(mine, body="A reply to them.")
    ThreadFollow.objects.get_or_create(thread=other_thread, user=person)
    Flag.objects.create(post=other_thread.posts.first(), reporter=person, reason="other")
    return {
        "package": package,
        "h5p": h5p,
        "signed": signed,
        "supervisee": supervisee,
        "their_session": their_session,
        "other_thread": other_thread,
        "post": post,
    }


def _references(user_id: int) -> dict[str, int]:
    """Rows anywhere that still point at ``user_id`` through a relation to the user model."""
    found = {}
    for label, name in privacy.user_relations():
        model = apps.get_model(label)
        field = model._meta.get_field(name)
        if field.many_to_many:
            through = field.remote_field.through
            user_col = next(
                f.attname
                for f in through._meta.concrete_fields
                if f.is_relation and f.related_model is get_user_model()
            )
            count = through.objects.filter(**{user_col: user_id}).count()
        else:
            count = model._base_manager.filter(**{field.attname: user_id}).count()
        if count:
            found[f"{label}.{name}"] = count
    return found


@pytest.fixture
def person(organisation):
    return MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user


@pytest.fixture
def supervisor(organisation):
    return MembershipFactory(organisation=organisation, role=Role.SUPERVISOR).user


def test_export_then_erase_leaves_nothing_pointing_at_the_person(
    person, organisation, supervisor, django_capture_on_commit_callbacks
):
    made = _everything_about(person, organisation, supervisor)
    before = _references(person.pk)
    assert len(before) >= 30, before  # the round trip really covers the apps

    # Download: built by the task, every kind of record, the journal and log as PDFs.
    with django_capture_on_commit_callbacks(execute=True):
        export = services.data_export_request(user=person)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    content = b"".join(services.data_export_download(user=person, export=export))
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert {"records.json", "journal.pdf", "supervision-log.pdf", "README.txt"} <= set(names)
    assert len(names) == len(set(names)), "an entry is in the archive twice"
    assert archive.read("journal.pdf").startswith(b"%PDF")
    records = json.loads(archive.read("records.json"))["records"]
    for label in (
        "learning.user",
        "reflection.journalentry",
        "community.post",
        "account.emailaddress",
    ):
        assert label in records, label
    assert records["modules.scormattempt"][0]["suspend_data"] == "my place"
    assert records["modules.h5presult"][0]["verb"] == "answered"
    assert "NEVER-EXPORTED" not in archive.read("records.json").decode()
    assert "password" not in records["learning.user"][0]

    # Erase: deactivated at once, erased by the task.
    with django_capture_on_commit_callbacks(execute=True):
        services.account_erasure_request(user=person)
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    assert _references(person.pk) == {}
    connection.check_constraints()  # nothing left pointing at a row that is gone

    # Kept, pseudonymised: the SCORM package and H5P content they uploaded.
    made["package"].refresh_from_db()
    made["h5p"].refresh_from_db()
    assert made["package"].uploaded_by_id is None and made["h5p"].uploaded_by_id is None
    # Kept, pseudonymised.
    made["signed"].refresh_from_db()
    assert made["signed"].author_id is None and made["signed"].status == "signed_off"
    assert made["their_session"].__class__.objects.filter(pk=made["their_session"].pk).exists()
    rel = made["their_session"].relationship
    rel.refresh_from_db()
    assert rel.supervisor_id is None and rel.status == "ended"
    assert AuditEvent.objects.filter(action="account.erased").count() == 1
    # Deleted: their community posts; someone else's thread stays.
    assert not made["post"].__class__.objects.filter(pk=made["post"].pk).exists()
    assert made["other_thread"].__class__.objects.filter(pk=made["other_thread"].pk).exists()
    # No audit row carries content.
    for event in AuditEvent.objects.filter(action__startswith="data."):
        assert SENTINEL not in json.dumps(event.data)


def test_erase_is_idempotent_and_needs_a_request(person):
    assert services.account_erase(user_id=person.pk) is False  # active: nothing happens
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    assert services.account_erase(user_id=person.pk) is False  # never asked for
    assert get_user_model().objects.filter(pk=person.pk).exists()


def test_erasure_request_deactivates_at_once(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.account_erasure_request(user=person)
    person.refresh_from_db()
    assert person.is_active is False
    assert callbacks  # the erasure task runs after commit
    event = AuditEvent.objects.get(action="account.erasure_requested")
    assert event.data == {}


def test_expired_download_is_deleted(person):
    from tests.matrix_rows.privacy import ready_data_export

    export = ready_data_export(person)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    export.refresh_from_db()
    name = export.file.name
    with pytest.raises(services.ExportExpired):
        services.data_export_download(user=person, export=export)
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and not export.file
    assert not export.file.storage.exists(name)


def test_someone_elses_download_is_refused(person):
    from django.core.exceptions import PermissionDenied

    from tests.matrix_rows.privacy import ready_data_export

    export = ready_data_export(person)
    with pytest.raises(PermissionDenied):
        services.data_export_download(user=UserFactory(), export=export)


def test_retention_beat_deletes_expired_downloads_and_finishes_erasures(
    person, django_capture_on_commit_callbacks
):
    from tests.matrix_rows.privacy import ready_data_export

    other = UserFactory()
    export = ready_data_export(other)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False):  # the erasure task is "lost"
        services.account_erasure_request(user=person)
    assert get_user_model().objects.filter(pk=person.pk).exists()
    result = services.privacy_retention_apply(now=timezone.now() + timedelta(hours=2))
    assert result["downloads_expired"] == 1 and result["accounts_erased"] == 1
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and not export.file
    # Running again changes nothing.
    again = services.privacy_retention_apply(now=timezone.now() + timedelta(hours=2))
    assert again["downloads_expired"] == 0 and again["accounts_erased"] == 0
