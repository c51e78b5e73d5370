"""The revalidation task list (the NHS.UK task-list pattern): what a person's register asks of
them, each item with its status, worked out from what the platform holds and what they have
declared (kept on the person, by learning.details), and the date their revalidation or renewal
is due (from "Your details").

- NMC (every 3 years): 35 hours of CPD including 20 participatory, 450 practice hours, 5 pieces
  of practice-related feedback, 5 written reflective accounts, a reflective discussion, the
  health and character declaration, professional indemnity, and confirmation.
- Social Care Wales (every 3 years): 90 hours (15 days) of post-registration training and
  learning (PRTL).
- Social Work England (every registration year, 1 December to 30 November, renewed by
  30 November): at least 2 pieces of CPD recorded, at least 1 of them with peer reflection.

Other registers get the CPD totals only: their requirements are not modelled here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from learning.dates import nhs_date
from learning.models import ProfessionalRegister, User
from learning.records import NMC_REFLECTIVE_ACCOUNTS, reflective_accounts_for
from modules.cpd.selectors import duration_text
from reflection.portfolio.models import ExternalCpd, PracticeFeedback, ReflectiveDiscussion
from reflection.portfolio.selectors import (
    NMC_CPD_MINUTES,
    NMC_PARTICIPATORY_MINUTES,
    PortfolioRecord,
    portfolio_cpd_record,
)

NMC_PRACTICE_HOURS = 450
NMC_FEEDBACK = 5
SCW_PRTL_MINUTES = 90 * 60
SWE_PIECES = 2
SWE_PEER_PIECES = 1

COMPLETED, IN_PROGRESS, NOT_STARTED = "completed", "in_progress", "not_started"


@dataclass(frozen=True)
class Task:
    key: str
    name: str
    hint: str
    status: str
    url: str

    @property
    def is_completed(self) -> bool:
        return self.status == COMPLETED

    @property
    def status_label(self) -> str:
        return {
            COMPLETED: _("Completed"),
            IN_PROGRESS: _("In progress"),
            NOT_STARTED: _("Not started"),
        }[self.status]


@dataclass(frozen=True)
class TaskList:
    register: str
    due_on: date | None
    tasks: list[Task]
    record: PortfolioRecord

    @property
    def completed(self) -> int:
        return sum(1 for t in self.tasks if t.is_completed)


def _progress(have: int, need: int) -> str:
    if have >= need:
        return COMPLETED
    return IN_PROGRESS if have > 0 else NOT_STARTED


def _done(when: date | None) -> str:
    return COMPLETED if when else NOT_STARTED


def _counts(user: User, start: date) -> dict:
    """In one query: the feedback in the period, and whether a reflective discussion has been
    confirmed in it or is waiting for confirmation."""
    discussions = ReflectiveDiscussion.objects.filter(owner_id=OuterRef("pk"))
    feedback = (
        PracticeFeedback.objects.filter(owner_id=OuterRef("pk"), received_on__gte=start)
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            feedback=Coalesce(Subquery(feedback, output_field=IntegerField()), 0),
            confirmed=Exists(
                discussions.filter(
                    status=ReflectiveDiscussion.Status.CONFIRMED, discussed_on__gte=start
                )
            ),
            waiting=Exists(discussions.filter(status=ReflectiveDiscussion.Status.PENDING)),
        )
        .values("feedback", "confirmed", "waiting")
        .first()
    )
    if row is None:
        return {"feedback": 0, "confirmed": False, "waiting": False}
    return dict(row)


def _discussion_status(user: User, counts: dict) -> str:
    """Completed once another registrant has confirmed a discussion in the period (or the
    person has declared its date, for a discussion recorded on paper); in progress while one
    waits for confirmation."""
    if user.reflective_discussion_on or counts["confirmed"]:
        return COMPLETED
    return IN_PROGRESS if counts["waiting"] else NOT_STARTED


def _nmc_tasks(user: User, record: PortfolioRecord) -> list[Task]:
    start = record.window_start
    counts = _counts(user, start)
    feedback = counts["feedback"]
    accounts = [a for a in reflective_accounts_for(user) if a.signed_on >= start]
    cpd_url = reverse("portfolio_cpd")
    declare_url = reverse("revalidation_declaration")
    practice_hours = user.practice_hours or 0
    return [
        Task(
            "cpd",
            _("35 hours of CPD"),
            _("You have %(time)s in the last 3 years.") % {"time": record.window_duration},
            _progress(record.window_minutes, NMC_CPD_MINUTES),
            cpd_url,
        ),
        Task(
            "participatory",
            _("20 hours of participatory learning"),
            _("You have %(time)s in the last 3 years.")
            % {"time": duration_text(record.window_participatory_minutes)},
            _progress(record.window_participatory_minutes, NMC_PARTICIPATORY_MINUTES),
            cpd_url,
        ),
        Task(
            "practice",
            _("450 practice hours"),
            _("You have declared %(n)d hours.") % {"n": practice_hours},
            _progress(practice_hours, NMC_PRACTICE_HOURS),
            declare_url,
        ),
        Task(
            "feedback",
            _("5 pieces of practice-related feedback"),
            _("You have %(n)d in the last 3 years.") % {"n": feedback},
            _progress(feedback, NMC_FEEDBACK),
            reverse("feedback_list"),
        ),
        Task(
            "accounts",
            _("5 written reflective accounts"),
            _("You have %(n)d signed off in the last 3 years.") % {"n": len(accounts)},
            _progress(len(accounts), NMC_REFLECTIVE_ACCOUNTS),
            reverse("cpd_record") + "#reflective-accounts",
        ),
        Task(
            "discussion",
            _("Reflective discussion"),
            _(
                "With another NMC registrant, about your reflective accounts, confirmed by "
                "them with their NMC PIN."
            ),
            _discussion_status(user, counts),
            reverse("discussion_home"),
        ),
        Task(
            "health",
            _("Health and character declaration"),
            _("Made when you submit your revalidation application to the NMC."),
            _done(user.health_character_on),
            declare_url,
        ),
        Task(
            "indemnity",
            _("Professional indemnity arrangement"),
            _("Through your employer, a professional body or your own insurance."),
            _done(user.indemnity_on),
            declare_url,
        ),
        Task(
            "confirmation",
            _("Confirmation"),
            _(
                "An appropriate confirmer, often your line manager, confirms you have met "
                "the requirements."
            ),
            _done(user.confirmation_on),
            declare_url,
        ),
    ]


def _scw_tasks(record: PortfolioRecord) -> list[Task]:
    return [
        Task(
            "prtl",
            _("90 hours of post-registration training and learning"),
            _("That is 15 days in your 3-year registration. You have %(time)s.")
            % {"time": record.window_duration},
            _progress(record.window_minutes, SCW_PRTL_MINUTES),
            reverse("portfolio_cpd"),
        )
    ]


def swe_registration_year(today: date, renewal_on: date | None = None) -> tuple[date, date]:
    """The Social Work England registration year (1 December to 30 November) that ``today``
    falls in, as (first day, renewal date). A renewal date from "Your details" in the future
    sets the end instead; the year is the 12 months before it."""
    if renewal_on and renewal_on >= today:
        end = renewal_on
    else:
        end = date(today.year + (1 if today.month == 12 else 0), 11, 30)
    try:
        start = end.replace(year=end.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28) + timedelta(days=1)
    return start, end


def _swe_tasks(user: User, record: PortfolioRecord) -> tuple[list[Task], date]:
    start, end = swe_registration_year(record.today, user.registration_renewal_on)
    pieces = list(
        ExternalCpd.objects.filter(
            owner_id=user.pk, done_on__gte=start, done_on__lte=end
        ).values_list("peer_reflection", flat=True)
    )
    peer = sum(1 for p in pieces if p)
    cpd_url = reverse("portfolio_cpd")
    return [
        Task(
            "swe_pieces",
            _("At least 2 pieces of CPD this registration year"),
            _("You have recorded %(n)d since %(start)s.")
            % {"n": len(pieces), "start": nhs_date(start)},
            _progress(len(pieces), SWE_PIECES),
            cpd_url,
        ),
        Task(
            "swe_peer",
            _("At least 1 piece of CPD with peer reflection"),
            _("Say who the peer was, their role and what you learnt from the discussion."),
            _progress(peer, SWE_PEER_PIECES),
            reverse("external_cpd_new") if not peer else cpd_url,
        ),
    ], end


def revalidation_task_list(user: User) -> TaskList:
    """The person's task list for their register (no tasks for a register not modelled)."""
    record = portfolio_cpd_record(user)
    register = user.professional_register
    due_on = user.registration_renewal_on
    if register == ProfessionalRegister.NMC:
        tasks = _nmc_tasks(user, record)
    elif register == ProfessionalRegister.SCW:
        tasks = _scw_tasks(record)
    elif register == ProfessionalRegister.SWE:
        tasks, due_on = _swe_tasks(user, record)
    else:
        tasks = []
    return TaskList(
        register=register,
        due_on=due_on,
        tasks=tasks,
        record=record,
    )
