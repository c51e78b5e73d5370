"""``manage.py seed_scale``: counts proportional to the scale, the manifest's pages answer 200
for their persona, a second run is a no-op, other scales and other people are refused, the data
is deterministic and every constraint holds (SQLite here; the COPY path on PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from zeal import zeal_ignore

from community.models import Post, Space, Thread
from learning.models import Organisation
from learning.scale.plan import BENCH_DOMAIN, THREAD_REPLIES, Counts
from learning.scale.runner import seed
from modules.models import (
    Assignment,
    Certificate,
    CheckAttempt,
    ConfidenceRating,
    Enrolment,
    LessonCompletion,
    ModuleCheckAttempt,
    ModulePage,
)
from reflection.models import JournalEntry, SignOffRequest, SupervisionSession

from .factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PROGRESS = (
    Enrolment,
    LessonCompletion,
    CheckAttempt,
    ModuleCheckAttempt,
    ConfidenceRating,
    Certificate,
    Assignment,
)


def _seed(scale, **kwargs):
    # Seeding is test set-up (like the factories), not a request path: zeal does not watch it.
    with zeal_ignore():
        return seed(scale, quiet=True, **kwargs)


def _bench_users():
    return get_user_model().objects.filter(email__endswith="@" + BENCH_DOMAIN)


def _digest() -> str:
    """A digest of selected columns across the seeded tables (no ciphertexts: Fernet tokens
    carry a time and a random IV)."""
    parts = [
        _bench_users().order_by("pk").values_list("pk", "email", "display_name"),
        ModulePage.objects.order_by("pk").values_list("pk", "path", "slug", "url_path"),
        Enrolment.objects.order_by("pk").values_list("pk", "user_id", "module_id", "completed_at"),
        CheckAttempt.objects.order_by("pk").values_list("pk", "user_id", "lesson_id", "correct"),
        JournalEntry.objects.order_by("pk").values_list("pk", "author_id", "experienced_on"),
        SignOffRequest.objects.order_by("pk").values_list("pk", "entry_id", "status"),
        SupervisionSession.objects.order_by("pk").values_list("pk", "relationship_id", "held_on"),
        Post.objects.order_by("pk").values_list("pk", "thread_id", "author_id", "created_at"),
    ]
    digest = hashlib.sha256()
    for rows in parts:
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _max_ids() -> dict[str, int | None]:
    models = (get_user_model(), Organisation, *PROGRESS, JournalEntry, SupervisionSession, Post)
    return {
        m._meta.label: m.objects.order_by("-pk").values_list("pk", flat=True).first()
        for m in models
    }


def test_counts_follow_the_scale_and_constraints_hold():
    one = Counts.at(1)
    assert one == Counts(1000, 20, 40, 100_000, 10_000, 2000, 20, 10_000)
    for scale in (10, 100):
        assert Counts.at(scale) == Counts(*(scale * v for v in one.__dict__.values()))
    counts = Counts.at(0.2)
    _seed(0.2)
    assert _bench_users().count() == counts.users == 200
    assert Organisation.objects.count() == counts.organisations
    assert sum(m.objects.count() for m in PROGRESS) == counts.progress_rows == 20_000
    assert JournalEntry.objects.count() == counts.journal_entries
    assert SupervisionSession.objects.count() == counts.sessions
    assert Space.objects.count() == counts.spaces
    assert Post.objects.count() == counts.posts
    english = ModulePage.objects.live().filter(locale__language_code="en-gb")
    assert english.count() == 8 + counts.generated_modules
    # Every table holds rows of each kind.
    assert all(m.objects.exists() for m in PROGRESS)
    assert (
        SignOffRequest.objects.filter(
            status="pending", supervisor__email__startswith="supervisor@"
        ).count()
        == 6
    )
    thread = Thread.objects.get(reply_count=THREAD_REPLIES)
    assert thread.posts.filter(status="published", is_opening=False).count() == THREAD_REPLIES
    connection.check_constraints()


def test_the_command_writes_a_manifest_whose_pages_answer_200_for_their_persona(tmp_path):
    path = tmp_path / "manifest.json"
    out, err = io.StringIO(), io.StringIO()
    with zeal_ignore():
        call_command("seed_scale", scale="0.02", manifest=str(path), stdout=out, stderr=err)
    assert "progress rows:" in err.getvalue()
    assert "practitioner@" + BENCH_DOMAIN in out.getvalue()
    assert str(path) in out.getvalue()
    data = json.loads(path.read_text())
    assert data["scale"] == 0.02
    people = {
        u.email: u for u in get_user_model().objects.filter(email__in=data["accounts"].values())
    }
    personas = {name: people[email] for name, email in data["accounts"].items()}
    assert personas["practitioner"].check_password(data["password"])
    for name, page in data["pages"].items():
        client = Client()
        if page["as"]:
            client.force_login(personas[page["as"]])
        response = client.get(page["url"])
        assert response.status_code == 200, (name, page, response.status_code)


def test_a_second_run_is_a_no_op_and_another_scale_is_refused(tmp_path):
    first = _seed(0.02)
    before = _max_ids()
    path = tmp_path / "again.json"
    again = _seed(0.02, manifest=str(path))
    assert _max_ids() == before
    assert again["counts"] == first["counts"]
    assert json.loads(path.read_text())["pages"] == first["pages"]
    with pytest.raises(CommandError, match="fresh database"):
        _seed(0.05)


def test_a_database_with_other_people_is_refused_unless_forced():
    UserFactory(email="someone@example.org")
    with pytest.raises(CommandError, match="--force"), zeal_ignore():
        call_command("seed_scale", scale="0.02", verbosity=0)
    _seed(0.02, force=True)
    assert _bench_users().count() == Counts.at(0.02).users


def test_the_scale_must_be_positive():
    with pytest.raises(CommandError, match="positive number"):
        call_command("seed_scale", scale="0", verbosity=0)


def _rewind_sequences() -> None:
    """PostgreSQL does not roll sequences back with a savepoint: set each back to its table's
    highest id, as in a fresh database (SQLite's roll back by themselves)."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def test_the_same_scale_gives_the_same_data():
    digests = []
    for _ in range(2):
        _rewind_sequences()
        savepoint = transaction.savepoint()
        _seed(0.02)
        digests.append(_digest())
        transaction.savepoint_rollback(savepoint)
    assert digests[0] == digests[1]


@pytest.mark.postgres
def test_the_copy_path_on_postgresql_keeps_every_constraint():
    data = _seed(0.05)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.check_constraints()
    counts = Counts.at(0.05)
    assert _bench_users().count() == counts.users
    assert sum(m.objects.count() for m in PROGRESS) == counts.progress_rows
    assert data["counts"]["community_post"] == counts.posts
    # Sequences moved past the ids written: the ORM can add rows after the seed.
    last = JournalEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    entry = JournalEntry.objects.create(
        author=_bench_users().first(), title="After", experienced_on="2026-01-01"
    )
    assert entry.pk > last


def test_the_bulk_writer_fills_columns_the_seeder_does_not_name():
    """A field added to a model later (with a default in Python only) never breaks the bulk
    load: every column the seeder leaves out that may not be null gets its field's default."""
    from django.utils import timezone

    from learning.scale.copy import Writer, max_id

    user_model = get_user_model()
    pk = max_id(user_model) + 1000
    Writer().write(
        user_model,
        ["id", "password", "email", "display_name", "professional_role", "date_joined"],
        [(pk, "!", "late.field@example.org", "Late Field", "midwife", timezone.now())],
    )
    person = user_model.objects.get(pk=pk)
    assert person.employee_number == "" and person.registration_number == ""
    assert person.language == "" and person.is_active is True
    assert person.email_notifications == "immediately"
