"""Supervision models (imported by ``reflection.models`` so Django finds them).

A ``SupervisionRelationship`` links a supervisee and a supervisor (who may be in another
organisation) with a type, an agreed frequency and an agreement both confirm. Sessions belong to
a relationship; both people confirm a session record, after which it is locked and only addenda
can be added. Discussion summaries, action text, check-in notes, change comments and addenda are
encrypted at rest. Nothing here is ever shown to organisation admins except dates, durations and
types (see ``selectors_org``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from learning.encryption import EncryptedTextField
from learning.language import shown_name

__all__ = [
    "SupervisionAction",
    "SupervisionAddendum",
    "SupervisionCalendarToken",
    "SupervisionCheckIn",
    "SupervisionRelationship",
    "SupervisionReminderSent",
    "SupervisionSession",
    "SupervisionTheme",
]

USER = settings.AUTH_USER_MODEL


class SupervisionTheme(models.Model):
    """A theme a session can cover (a taxonomy editors keep in the Wagtail admin). One row in
    both languages, so a session's themes are the same whichever language it was recorded in;
    ``name_cy`` is the name a Welsh reader sees (``learning.language.shown_name``)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_cy = models.CharField(
        _("name in Welsh"),
        max_length=80,
        blank=True,
        help_text=_("Shown to people reading in Welsh. Left empty, they see the English name."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Only offered themes can be chosen.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("supervision theme")
        constraints = [
            models.UniqueConstraint(
                fields=["name_cy"],
                condition=~Q(name_cy=""),
                name="supervision_theme_welsh_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        return shown_name(self)


class SupervisionRelationship(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", _("Clinical supervision")
        SAFEGUARDING = "safeguarding", _("Safeguarding supervision")
        RESTORATIVE = "restorative", _("Restorative supervision")
        PMA = "pma", _("Professional midwifery advocate")
        MANAGERIAL = "managerial", _("Managerial supervision")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for a reply")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    supervisee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    # Nullable so a supervisee's records survive their supervisor erasing their account: shown
    # as "A former supervisor" (learning/privacy.py, reflection/privacy.py).
    supervisor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("type of supervision"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    frequency_min_weeks = models.PositiveSmallIntegerField(_("at least every (weeks)"))
    frequency_max_weeks = models.PositiveSmallIntegerField(_("at most every (weeks)"))
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    # The agreement (contract). Not reflective content: the terms both people agree.
    confidentiality = models.TextField(_("confidentiality and its limits"))
    recording = models.TextField(_("what is recorded and who sees it"))
    escalation = models.TextField(_("how concerns are escalated"))
    supervisee_agreed_at = models.DateTimeField(null=True, blank=True)
    supervisor_agreed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supervisory relationship")
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisee=F("supervisor")), name="supervision_not_self"
            ),
            models.CheckConstraint(
                condition=Q(frequency_min_weeks__gte=1)
                & Q(frequency_max_weeks__gte=F("frequency_min_weeks"))
                & Q(frequency_max_weeks__lte=52),
                name="supervision_frequency_range",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="supervision_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="active")
                | (Q(supervisee_agreed_at__isnull=False) & Q(supervisor_agreed_at__isnull=False)),
                name="supervision_active_is_agreed_by_both",
            ),
            models.UniqueConstraint(
                fields=["supervisee", "supervisor", "kind"],
                condition=Q(status__in=["proposed", "active"]),
                name="supervision_one_open_relationship_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["supervisee", "status"], name="supervision_rel_supervisee"),
            models.Index(fields=["supervisor", "status"], name="supervision_rel_supervisor"),
        ]

    def __str__(self) -> str:
        return f"Supervisory relationship {self.pk}"

    def other_party(self, user):
        return self.supervisor if user.pk == self.supervisee_id else self.supervisee

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_proposed(self) -> bool:
        """Proposed and not yet accepted or declined."""
        return self.status == self.Status.PROPOSED


class SupervisionSession(models.Model):
    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        GROUP = "group", _("Group supervision")
        REFLECTIVE_GROUP = "reflective_group", _("Reflective practice group")
        ROUND = "round", _("Schwartz Round or similar")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for confirmation")
        CHANGES_REQUESTED = "changes_requested", _("Change asked for")
        LOCKED = "locked", _("Confirmed by both")

    ATTENDANCE_FORMATS = (Format.REFLECTIVE_GROUP, Format.ROUND)

    relationship = models.ForeignKey(
        SupervisionRelationship, on_delete=models.CASCADE, related_name="sessions"
    )
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    held_on = models.DateField(_("date of the session"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    attendance_only = models.BooleanField(_("attendance only"), default=False)
    attendees = models.ManyToManyField(USER, blank=True, related_name="+")
    external_attendees = models.PositiveSmallIntegerField(_("people from outside"), default=0)
    normative = models.BooleanField(_("normative"), default=False)
    formative = models.BooleanField(_("formative"), default=False)
    restorative = models.BooleanField(_("restorative"), default=False)
    themes = models.ManyToManyField(SupervisionTheme, blank=True, related_name="+")
    summary = EncryptedTextField(_("discussion summary"), blank=True, default="")
    next_on = models.DateField(_("next session"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    revision = models.PositiveIntegerField(default=1)
    change_comment = EncryptedTextField(_("change asked for"), blank=True, default="")
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("supervision session")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=720),
                name="supervision_session_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(attendance_only=False) | Q(format__in=["reflective_group", "round"]),
                name="supervision_attendance_only_for_groups",
            ),
            models.CheckConstraint(
                condition=~Q(status="locked") | Q(locked_at__isnull=False),
                name="supervision_locked_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["relationship", "-held_on"], name="supervision_session_rel"),
            models.Index(fields=["status"], name="supervision_session_status"),
        ]

    def __str__(self) -> str:
        # Never any text: this may end up in logs or error pages.
        return f"Supervision session {self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED

    @property
    def is_submitted(self) -> bool:
        """Written and waiting for the other party to confirm it."""
        return self.status == self.Status.SUBMITTED

    @property
    def functions(self) -> list[str]:
        names = (
            (self.normative, _("Normative")),
            (self.formative, _("Formative")),
            (self.restorative, _("Restorative")),
        )
        return [str(label) for on, label in names if on]


class SupervisionAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="actions"
    )
    # Kept beside the session so that carried-over actions are one query.
    relationship = models.ForeignKey(
        SupervisionRelationship, on_delete=models.CASCADE, related_name="actions"
    )
    owner = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = EncryptedTextField(_("action"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="open")
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("supervision action")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_at__isnull=False),
                name="supervision_action_done_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["relationship", "status"], name="supervision_action_rel"),
            models.Index(fields=["status", "due_on"], name="supervision_action_due"),
        ]

    def __str__(self) -> str:
        return f"Supervision action {self.pk}"


class SupervisionCheckIn(models.Model):
    """The supervisee's restorative check-in for one session: private to them unless they
    share it with the supervisor for that session. Never shown to organisation admins."""

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="checkins"
    )
    supervisee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    workload = models.PositiveSmallIntegerField(_("workload"))
    emotional_impact = models.PositiveSmallIntegerField(_("emotional impact"))
    support = models.PositiveSmallIntegerField(_("support"))
    notes = EncryptedTextField(_("anything else"), blank=True, default="")
    shared_with_supervisor = models.BooleanField(_("shared with the supervisor"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("restorative check-in")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "supervisee"], name="supervision_one_checkin"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5}),
                    name=f"supervision_checkin_{name}_1_to_5",
                )
                for name in ("workload", "emotional_impact", "support")
            ],
        ]

    def __str__(self) -> str:
        return f"Check-in {self.pk}"

    @property
    def is_concerning(self) -> bool:
        """Any answer of 1 or 2 (1 is the hardest end of each scale)."""
        return min(self.workload, self.emotional_impact, self.support) <= 2


class SupervisionAddendum(models.Model):
    """A later correction or note on a locked record: text, author and time."""

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="addenda"
    )
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    text = EncryptedTextField(_("addendum"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"Addendum {self.pk}"


class SupervisionCalendarToken(models.Model):
    """A person's secret calendar-feed token, stored as its SHA-256 hash only."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")

    def __str__(self) -> str:
        return f"Calendar token {self.pk}"


class SupervisionReminderSent(models.Model):
    """One row per reminder sent: the unique key claims the due event, so a reminder is never
    sent twice, whichever worker gets there first."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision reminder sent")

    def __str__(self) -> str:
        return self.key
