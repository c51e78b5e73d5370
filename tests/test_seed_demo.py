"""``manage.py seed_demo`` as ``make run`` calls it: quiet (no log lines, no printed emails, no
step-by-step progress), ending with the demo sign-ins; idempotent; and the demo has what each
role needs to see the platform working: a reported post waiting for a facilitator,
assignments, and enough services that the national reports show real figures beside "<5"."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community.models import Flag, PostStatus
from learning.demo import PEOPLE, demo_email
from learning.models import Organisation
from learning.reports.suppression import SUPPRESSED
from modules.models import Assignment
from modules.reports import trained_services_national

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _seed(capsys, *args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    captured = capsys.readouterr()  # the console email backend and log handlers write here
    return out.getvalue() + captured.out + captured.err


def test_seed_demo_is_short_ends_with_the_sign_ins_and_fills_the_demo(capsys, caplog, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # as in dev
    caplog.set_level(logging.INFO)
    output = _seed(capsys)
    assert [r.getMessage() for r in caplog.records if r.levelno <= logging.INFO] == []
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) <= 12, output
    assert "INFO" not in output and "Subject:" not in output and "Seeding" not in output
    assert lines[-len(PEOPLE) :] == [
        f"  {demo_email(local):<40} {name}" for local, name, *_rest in PEOPLE
    ]
    assert lines[-len(PEOPLE) - 1].startswith("Demo sign-ins (password for all:")
    assert mail.outbox == []  # the demo's emails are dropped, not printed or kept

    # A reported post waits for a facilitator; two modules are assigned.
    flag = Flag.objects.get(resolved_at=None)
    assert flag.post.status == PostStatus.PUBLISHED and flag.post.author != flag.reporter
    assigned = Assignment.objects.filter(cancelled_at=None)
    assert assigned.values("module").distinct().count() == 2
    assert all(a.due_on > timezone.localdate() for a in assigned)

    # National figures: a real count for one kind of service beside suppressed ones.
    today = timezone.localdate()
    table = trained_services_national(date_from=today - timedelta(days=365), date_to=today)
    cells = [cell for row in table.rows for cell in row[1:-1]]
    assert any(isinstance(c, int) and c >= 5 for c in cells)
    assert SUPPRESSED in cells

    # Again: nothing new, and still quiet.
    counts = (Organisation.objects.count(), Assignment.objects.count(), Flag.objects.count())
    again = _seed(capsys)
    assert (Organisation.objects.count(), Assignment.objects.count(), Flag.objects.count()) == (
        counts
    )
    assert len([line for line in again.splitlines() if line.strip()]) <= 12
