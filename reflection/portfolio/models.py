"""External CPD: learning a person did away from the platform (a study day, a conference,
reading), logged with what they learnt and how it changed their practice."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.encryption import EncryptedTextField

# The most CPD one entry can record: a long course, not a year's worth.
EXTERNAL_CPD_MAX_MINUTES = 100 * 60


class CpdKind(models.TextChoices):
    COURSE = "course", _("Course or training day")
    CONFERENCE = "conference", _("Conference or seminar")
    ONLINE = "online", _("Online learning elsewhere")
    READING = "reading", _("Reading or research")
    GROUP = "group", _("Group learning or discussion")
    SUPERVISION = "supervision", _("Supervision, mentoring or coaching")
    OTHER = "other", _("Other")


class CodeTheme(models.TextChoices):
    """The four themes of the NMC Code, and Social Work England's professional standards, that
    a piece of CPD can be linked to."""

    PRIORITISE_PEOPLE = "nmc_people", _("NMC Code: Prioritise people")
    PRACTISE_EFFECTIVELY = "nmc_practise", _("NMC Code: Practise effectively")
    PRESERVE_SAFETY = "nmc_safety", _("NMC Code: Preserve safety")
    PROMOTE_PROFESSIONALISM = "nmc_trust", _("NMC Code: Promote professionalism and trust")
    SWE_1 = "swe_1", _("Social Work England standard 1: rights, strengths and wellbeing")
    SWE_2 = "swe_2", _("Social Work England standard 2: trust and confidence")
    SWE_3 = "swe_3", _("Social Work England standard 3: accountable for the quality of practice")
    SWE_4 = "swe_4", _("Social Work England standard 4: continuing professional development")
    SWE_5 = "swe_5", _("Social Work England standard 5: safe, ethical practice with integrity")
    SWE_6 = "swe_6", _("Social Work England standard 6: promote ethical practice")


def evidence_path(instance: ExternalCpd, filename: str) -> str:
    """A random name: the name the person gave their file is kept apart (``evidence_name``) and
    never becomes part of a path."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"cpd-evidence/{uuid.uuid4().hex}{suffix}"


class ExternalCpd(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_cpd"
    )
    done_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type of learning"), max_length=20, choices=CpdKind.choices)
    minutes = models.PositiveIntegerField(_("time spent in minutes"))
    participatory = models.BooleanField(_("participatory"), default=False)
    learnt = models.TextField(_("what I learnt"), max_length=2000)
    practice_change = models.TextField(_("how it changed my practice"), max_length=2000)
    themes = models.JSONField(_("link to the Code or standards"), default=list, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    # Social Work England's CPD form: a piece of CPD may include peer reflection, with who the
    # peer was and what the person learnt from discussing it with them.
    peer_reflection = models.BooleanField(_("includes peer reflection"), default=False)
    peer_name = models.CharField(_("peer's name"), max_length=200, blank=True)
    peer_role = models.CharField(_("peer's role"), max_length=200, blank=True)
    peer_summary = models.TextField(_("the peer reflection"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_on", "-id"]
        verbose_name = _("external CPD")
        verbose_name_plural = _("external CPD")
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=EXTERNAL_CPD_MAX_MINUTES),
                name="external_cpd_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(evidence="") | ~Q(evidence_name=""),
                name="external_cpd_evidence_named",
            ),
            models.CheckConstraint(
                condition=Q(peer_reflection=True)
                | (Q(peer_name="") & Q(peer_role="") & Q(peer_summary="")),
                name="external_cpd_peer_only_with_reflection",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-done_on"], name="external_cpd_owner_date")]

    def __str__(self) -> str:
        # Never the title: this may end up in logs.
        return f"External CPD {self.pk}"


class FeedbackSource(models.TextChoices):
    PEOPLE = "people", _("People who use services, or their families")
    COLLEAGUES = "colleagues", _("Colleagues or other professionals")
    STUDENTS = "students", _("Students or learners")
    APPRAISAL = "appraisal", _("Appraisal or a manager")
    TEAM = "team", _("Team or service feedback, such as an audit or survey")
    OTHER = "other", _("Other")


class PracticeFeedback(models.Model):
    """A piece of practice-related feedback for revalidation: where it came from, what it
    said and what the person learnt from it. Identifier-guarded: it may be shared."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_feedback"
    )
    received_on = models.DateField(_("date"))
    source = models.CharField(
        _("where it came from"), max_length=20, choices=FeedbackSource.choices
    )
    summary = models.TextField(_("what the feedback was"), max_length=2000)
    learnt = models.TextField(_("what I learnt and how I used it"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("practice-related feedback")
        verbose_name_plural = _("practice-related feedback")
        indexes = [models.Index(fields=["owner", "-received_on"], name="feedback_owner_date")]

    def __str__(self) -> str:
        return f"Practice feedback {self.pk}"


class ReflectiveDiscussion(models.Model):
    """The NMC reflective discussion: the person's record of a discussion of their reflective
    accounts with another NMC registrant, frozen and hashed when they ask that registrant (who
    has an account here) to confirm it. The confirmer gives their own NMC PIN, checked against
    the one their account holds; the name and PIN are kept as they were at that moment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflective_discussions"
    )
    discussed_on = models.DateField(_("date of the discussion"))
    partner_name = models.CharField(_("the other registrant's name"), max_length=200)
    summary = EncryptedTextField(_("summary of the discussion"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    # Nullable: the record stays the owner's if the confirmer erases their account.
    confirmer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reflective_discussions_to_confirm",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmer_name = models.CharField(_("confirmed by"), max_length=200, blank=True)
    confirmer_pin = models.CharField(_("their NMC PIN"), max_length=20, blank=True)
    confirmer_notified_at = models.DateTimeField(null=True, blank=True)
    owner_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reflective discussion")
        verbose_name_plural = _("reflective discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(status="pending"),
                name="discussion_one_pending_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | (Q(confirmed_at__isnull=False) & ~Q(confirmer_pin="")),
                name="discussion_confirmed_has_pin",
            ),
        ]
        indexes = [
            models.Index(fields=["confirmer", "status"], name="discussion_confirmer_status"),
        ]

    def __str__(self) -> str:
        return f"Reflective discussion {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def hash_prefix(self) -> str:
        return self.content_hash[:12]
