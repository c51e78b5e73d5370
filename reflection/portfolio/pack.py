"""The revalidation pack: one PDF of everything the portfolio holds for the person's register,
to take to a confirmer or appraiser.

A cover page (name, register, the registration number only if the person chose to show it,
the due date), then the task list with each status, the CPD record in the NMC's columns (the
platform's modules, CPD logged elsewhere and participatory learning the platform records), the
written reflective accounts, the practice-related feedback log, the reflective discussion and
the confirmation. Only the person's own records, the same as they see on screen; built in
memory, never written to disk. Each download is audited (never content).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from learning import permissions
from learning.models import ProfessionalRegister, User
from learning.services import audit_record
from modules.cpd.selectors import duration_text
from modules.pdf import _long_date, _p, _styles, _table, a4_document
from reflection.portfolio.discussion import discussions_of
from reflection.portfolio.revalidation import TaskList, revalidation_task_list
from reflection.portfolio.selectors import feedback_log
from reflection.signoff.accounts import account_text, signed_off_requests_of

ACCOUNTS_MAX = 20


def _cover(user: User, tasks: TaskList, s: dict) -> list:
    register = (
        ProfessionalRegister(user.professional_register).label
        if user.professional_register in ProfessionalRegister.values
        else _("Not given")
    )
    story = [
        Spacer(1, 40 * mm),
        _p(_("Revalidation pack"), s["title"]),
        _p(user.get_full_name(), s["name"]),
        _p(_("Register: %(register)s") % {"register": register}, s["centre"]),
    ]
    shown = user.registration_shown()
    if shown:
        story.append(_p(_("Registration: %(number)s") % {"number": shown}, s["centre"]))
    if tasks.due_on:
        story.append(
            _p(
                _("Revalidation or renewal due: %(date)s") % {"date": _long_date(tasks.due_on)},
                s["centre"],
            )
        )
    story += [
        Spacer(1, 10 * mm),
        _p(
            _("Produced by %(product)s on %(date)s")
            % {"product": settings.HOPE_PRODUCT_NAME, "date": _long_date(timezone.localdate())},
            s["small"],
        ),
        PageBreak(),
    ]
    return story


def _task_list(tasks: TaskList, s: dict) -> list:
    story = [_p(_("Task list"), s["h1"])]
    if not tasks.tasks:
        story.append(
            _p(
                _("Your register's requirements are not listed here. Your CPD is below."),
                s["body"],
            )
        )
        return story
    rows = [[_p(_("Task"), s["cell_bold"]), _p(_("Status"), s["cell_bold"])]]
    rows += [
        [[_p(t.name, s["cell_bold"]), _p(t.hint, s["cell"])], _p(t.status_label, s["cell"])]
        for t in tasks.tasks
    ]
    story.append(_table(rows, [134 * mm, 40 * mm]))
    return story


def _cpd(tasks: TaskList, s: dict) -> list:
    record = tasks.record
    story = [
        _p(_("CPD record"), s["h1"]),
        _p(
            _(
                "In the last 3 years (%(start)s to %(end)s): %(time)s, of which %(part)s "
                "participatory."
            )
            % {
                "start": _long_date(record.window_start),
                "end": _long_date(record.today),
                "time": duration_text(record.window_minutes),
                "part": duration_text(record.window_participatory_minutes),
            },
            s["body"],
        ),
        Spacer(1, 3 * mm),
    ]
    rows = [
        [
            _p(_("Date"), s["cell_bold"]),
            _p(_("Activity"), s["cell_bold"]),
            _p(_("Method"), s["cell_bold"]),
            _p(_("Hours"), s["cell_bold"]),
            _p(_("Participatory hours"), s["cell_bold"]),
            _p(_("What I learnt and how it changed my practice"), s["cell_bold"]),
        ]
    ]
    for row in record.window_rows:
        text = [_p(t, s["cell"]) for t in (row.learnt, row.practice_change) if t]
        if row.themes:
            text.append(_p("; ".join(row.themes), s["cell"]))
        rows.append(
            [
                _p(_long_date(row.done_on), s["cell"]),
                _p(row.title, s["cell"]),
                _p(row.method, s["cell"]),
                _p(row.hours, s["cell"]),
                _p(row.participatory_hours, s["cell"]),
                text or _p("–", s["cell"]),
            ]
        )
    if len(rows) == 1:
        story.append(_p(_("No CPD recorded in the last 3 years."), s["body"]))
    else:
        story.append(_table(rows, [22 * mm, 38 * mm, 30 * mm, 14 * mm, 20 * mm, 50 * mm]))
    return story


def _accounts(user: User, tasks: TaskList, s: dict) -> list:
    story = [_p(_("Written reflective accounts"), s["h1"])]
    requests = [
        r
        for r in signed_off_requests_of(user)[:ACCOUNTS_MAX]
        if timezone.localdate(r.decided_at) >= tasks.record.window_start
    ]
    if not requests:
        story.append(_p(_("No reflective accounts signed off in the last 3 years."), s["body"]))
    for request in requests:
        account = account_text(request, themes=[])
        story += [
            _p(account.title, s["h2"]),
            _p(
                _(
                    "What was the nature of the CPD activity, practice-related feedback or "
                    "event or experience in your practice?"
                ),
                s["cell_bold"],
            ),
            _p(account.nature, s["body"]),
            _p(
                _(
                    "What did you learn from it, and how did you change or improve your "
                    "practice as a result?"
                ),
                s["cell_bold"],
            ),
            *[_p(paragraph, s["body"]) for paragraph in account.learning.split("\n\n")],
            _p(
                _("Signed off by %(signer)s on %(date)s.")
                % {"signer": account.signed_by, "date": _long_date(account.signed_on)},
                s["body"],
            ),
            _p(
                _("Version %(v)s of the learning summary, SHA-256 %(hash)s.")
                % {"v": account.version, "hash": account.content_hash},
                s["cell"],
            ),
        ]
    return story


def _feedback(user: User, s: dict) -> list:
    story = [_p(_("Practice-related feedback"), s["h1"])]
    items = feedback_log(user)
    if not items:
        story.append(_p(_("No feedback logged yet."), s["body"]))
        return story
    rows = [
        [
            _p(_("Date"), s["cell_bold"]),
            _p(_("Where it came from"), s["cell_bold"]),
            _p(_("The feedback"), s["cell_bold"]),
            _p(_("What I learnt"), s["cell_bold"]),
        ]
    ]
    rows += [
        [
            _p(_long_date(item.received_on), s["cell"]),
            _p(item.get_source_display(), s["cell"]),
            _p(item.summary, s["cell"]),
            _p(item.learnt, s["cell"]),
        ]
        for item in items
    ]
    story.append(_table(rows, [22 * mm, 34 * mm, 59 * mm, 59 * mm]))
    return story


def _discussion(user: User, s: dict) -> list:
    story = [_p(_("Reflective discussion"), s["h1"])]
    # A confirmed discussion first ("confirmed" sorts before "pending"), else the waiting one.
    item = discussions_of(user).order_by("status", "-discussed_on", "-pk").first()
    if user.reflective_discussion_on:
        story.append(
            _p(
                _("Declared: a reflective discussion on %(date)s.")
                % {"date": _long_date(user.reflective_discussion_on)},
                s["body"],
            )
        )
    if item is None:
        if not user.reflective_discussion_on:
            story.append(_p(_("No reflective discussion recorded yet."), s["body"]))
        return story
    story += [
        _p(
            _("With %(name)s on %(date)s")
            % {"name": item.partner_name, "date": _long_date(item.discussed_on)},
            s["h2"],
        ),
        *[_p(paragraph, s["body"]) for paragraph in item.summary.split("\n\n")],
    ]
    if item.is_confirmed:
        story.append(
            _p(
                _("Confirmed by %(name)s, NMC PIN %(pin)s, on %(date)s.")
                % {
                    "name": item.confirmer_name,
                    "pin": item.confirmer_pin,
                    "date": _long_date(timezone.localdate(item.confirmed_at)),
                },
                s["body"],
            )
        )
    else:
        story.append(_p(_("Waiting for confirmation."), s["body"]))
    story.append(_p(_("SHA-256 %(hash)s") % {"hash": item.content_hash}, s["cell"]))
    return story


def _confirmation(user: User, s: dict) -> list:
    story = [_p(_("Declarations and confirmation"), s["h1"])]
    lines = [
        _("Practice hours declared: %(n)s") % {"n": user.practice_hours or 0},
    ]
    for label, when in (
        (_("Health and character declaration"), user.health_character_on),
        (_("Professional indemnity arrangement checked"), user.indemnity_on),
        (_("Confirmation"), user.confirmation_on),
    ):
        lines.append(
            _("%(what)s: %(date)s")
            % {"what": label, "date": _long_date(when) if when else _("not yet")}
        )
    story += [_p(line, s["body"]) for line in lines]
    return story


def revalidation_pack_pdf(user: User) -> bytes:
    """The pack for ``user`` (their own records only)."""
    tasks = revalidation_task_list(user)
    s = _styles()
    buffer = io.BytesIO()
    doc = a4_document(
        buffer, title=_("Revalidation pack: %(name)s") % {"name": user.get_full_name()}
    )
    story = [
        *_cover(user, tasks, s),
        *_task_list(tasks, s),
        Spacer(1, 6 * mm),
        *_cpd(tasks, s),
        PageBreak(),
        *_accounts(user, tasks, s),
        PageBreak(),
        *_feedback(user, s),
        Spacer(1, 6 * mm),
        *_discussion(user, s),
        Spacer(1, 6 * mm),
        *_confirmation(user, s),
    ]
    doc.build(story)
    return buffer.getvalue()


def revalidation_pack_record(*, user: User, ip_address: str | None = None) -> None:
    """The audit row for downloading the pack. Never content."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    audit_record(
        action="portfolio.pack_exported", actor=user, target=user, ip_address=ip_address, data={}
    )
