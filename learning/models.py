"""People, organisations, roles, invitations and the audit log.

A person signs in with their email address. What they may do comes from their active
memberships of organisations (practitioner, supervisor, facilitator, organisation admin) and two
platform-wide groups (content editor, national coordinator); ``learning.permissions`` is the one
place that turns those into decisions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel

from learning.encryption import EncryptedTextField
from learning.user_cache import forget_users


class ProfessionalRole(models.TextChoices):
    MIDWIFE = "midwife", _("Midwife")
    SPECIALIST_MIDWIFE = "specialist_midwife", _("Specialist midwife")
    CLINICAL_PSYCHOLOGIST = "clinical_psychologist", _("Clinical psychologist")
    PSYCHOLOGICAL_THERAPIST = "psychological_therapist", _("Psychological therapist")
    MENTAL_HEALTH_NURSE = "mental_health_nurse", _("Mental health nurse")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    FAMILY_SUPPORT_WORKER = "family_support_worker", _("Family support worker")
    KEYWORKER = "keyworker", _("Keyworker")
    PEER_SUPPORT_WORKER = "peer_support_worker", _("Peer support worker")
    NEONATAL_NURSE = "neonatal_nurse", _("Neonatal nurse")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    MANAGER = "manager", _("Service or team manager")
    OTHER = "other", _("Other")


class ProfessionalRegister(models.TextChoices):
    """The regulator a person is registered with, if any (learning.details checks the number's
    format for each)."""

    NMC = "nmc", _("Nursing and Midwifery Council (NMC)")
    SWE = "swe", _("Social Work England")
    HCPC = "hcpc", _("Health and Care Professions Council (HCPC)")
    SCW = "scw", _("Social Care Wales")
    GMC = "gmc", _("General Medical Council (GMC)")
    NONE = "none", _("I am not on a professional register")


REGISTER_SHORT_NAMES = {
    ProfessionalRegister.NMC: "NMC",
    ProfessionalRegister.SWE: "Social Work England",
    ProfessionalRegister.HCPC: "HCPC",
    ProfessionalRegister.SCW: "Social Care Wales",
    ProfessionalRegister.GMC: "GMC",
}


class HopeUserQuerySet(models.QuerySet):
    """``update`` forgets the kept copies of the rows it changes (``learning.user_cache``), as
    saving or deleting a row does through its receivers: a deactivation by ``update`` must stop
    the person at once."""

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        forget_users(pks)
        return updated

    update.alters_data = True  # type: ignore[attr-defined]


class HopeUserManager(UserManager.from_queryset(HopeUserQuerySet)):  # type: ignore[misc]
    """Email is the sign-in; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


# How often a person is emailed about notifications: overall, and per group of notices.
EMAIL_CHOICES = [
    ("immediately", _("Straight away")),
    ("daily", _("Once a day, in a summary")),
    ("off", _("Never: I will check on the site")),
]


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("How your name is shown to others.")
    )
    professional_role = models.CharField(
        _("professional role"), max_length=40, choices=ProfessionalRole.choices, blank=True
    )
    # Professional details (learning.details): the register, the number on it and when the
    # registration is next renewed or revalidated. The number is shown on exports only when
    # the person chooses (``registration_number_shown``).
    professional_register = models.CharField(
        _("professional register"), max_length=8, choices=ProfessionalRegister.choices, blank=True
    )
    registration_number = models.CharField(_("registration number"), max_length=20, blank=True)
    registration_renewal_on = models.DateField(
        _("revalidation or renewal date"), null=True, blank=True
    )
    employee_number = models.CharField(_("employee number"), max_length=30, blank=True)
    registration_number_shown = models.BooleanField(
        _("show my registration number on certificates and exports"), default=False
    )
    # What the person declares for revalidation that the platform cannot count (the task list
    # in reflection.portfolio reads them): practice hours, and when each step was done.
    practice_hours = models.PositiveIntegerField(_("practice hours"), null=True, blank=True)
    reflective_discussion_on = models.DateField(_("reflective discussion"), null=True, blank=True)
    health_character_on = models.DateField(_("health and character"), null=True, blank=True)
    indemnity_on = models.DateField(_("professional indemnity"), null=True, blank=True)
    confirmation_on = models.DateField(_("confirmation"), null=True, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_notifications = models.CharField(
        _("email about notifications"),
        max_length=12,
        choices=EMAIL_CHOICES,
        default="immediately",
    )
    # When someone without a name was last asked for one after signing in (asked once, not
    # every time): learning.details.
    name_asked_at = models.DateTimeField(_("asked for a name"), null=True, blank=True)
    always_show_content_notes = models.BooleanField(
        _("always show content notes"),
        default=False,
        help_text=_("Show content notes every time, even for lessons seen before."),
    )

    # The language the person chose with the switcher ("" until they choose: the browser's
    # preference applies). Applied on every page once signed in, and to the emails they get.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    objects = HopeUserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]
        constraints = [
            # A number only with a register that has numbers.
            models.CheckConstraint(
                condition=models.Q(registration_number="")
                | ~models.Q(professional_register__in=["", "none"]),
                name="user_registration_number_needs_register",
            ),
        ]

    def __str__(self) -> str:
        return User.name_shown(self.display_name, self.email)

    @staticmethod
    def name_shown(display_name: str, email: str) -> str:
        """The name a person goes by on the site (``str(user)``), from the two columns it is
        made of: for pages that read a name with a row rather than the person's row."""
        return display_name or email

    def registration_shown(self) -> str:
        """ "NMC 12A3456E" where the person chose to show their number on certificates and
        exports; otherwise ""."""
        if not (self.registration_number_shown and self.registration_number):
            return ""
        register = REGISTER_SHORT_NAMES.get(self.professional_register, "")
        return f"{register} {self.registration_number}".strip()

    # Wagtail's admin shows these.
    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def first_name(self) -> str:
        return self.get_short_name()

    @property
    def last_name(self) -> str:
        return ""


class OrganisationKind(models.TextChoices):
    MMHS = "mmhs", _("Maternal mental health service")
    PMHS = "pmhs", _("Perinatal mental health service")
    MATERNITY = "maternity", _("Maternity and neonatal unit")
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care (local authority)")
    VCSE = "vcse", _("Voluntary, community or social enterprise organisation")
    NATIONAL = "national", _("National body")


class Region(models.TextChoices):
    EAST = "east", _("East of England")
    LONDON = "london", _("London")
    MIDLANDS = "midlands", _("Midlands")
    NORTH_EAST_YORKSHIRE = "north_east_yorkshire", _("North East and Yorkshire")
    NORTH_WEST = "north_west", _("North West")
    SOUTH_EAST = "south_east", _("South East")
    SOUTH_WEST = "south_west", _("South West")
    NATIONAL = "national", _("National")


class Organisation(ClusterableModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    region = models.CharField(_("region"), max_length=40, choices=Region.choices)
    safeguarding_route = models.TextField(
        _("safeguarding route"),
        blank=True,
        help_text=_(
            "How staff raise a current safeguarding concern in this organisation: who to "
            "contact and how. Shown when a reflection suggests a current concern."
        ),
    )
    # Work accounts (learning/signin/): the provider people at this organisation's email
    # domains are sent to, and whether their first sign-in makes them practitioners here.
    signin_provider = models.CharField(
        _("work account provider"),
        max_length=100,
        blank=True,
        help_text=_(
            "The id of an OpenID Connect provider this deployment set up, for example nhsmail."
        ),
    )
    join_on_provider_signin = models.BooleanField(
        _("people who sign in with their work account join as practitioners"), default=False
    )
    # Welsh Language Standards: an email to someone whose language is not known (an
    # invitation) is in Welsh and English, Welsh first for an organisation in Wales.
    in_wales = models.BooleanField(
        _("in Wales"),
        default=False,
        help_text=_(
            "Works under the Welsh Language Standards. Invitations to people whose language "
            "is not known are sent in Welsh and English, with the Welsh first."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    SUPERVISOR = "supervisor", _("Supervisor")
    FACILITATOR = "facilitator", _("Facilitator")
    ORG_ADMIN = "org_admin", _("Organisation admin")


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        today = on or timezone.localdate()
        return self.filter(started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today)
        )


class Membership(models.Model):
    """A person's role in an organisation. A person may hold several roles in several
    organisations; leaving sets ``ended_on`` and keeps the history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    ended_on = models.DateField(_("left"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_role_per_org",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"], name="membership_org_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"


class Invitation(models.Model):
    """An invitation by email to join an organisation with a role. The link's token is an HMAC
    of the invitation's id and a random nonce under the deployment's secret key, so a reader of
    the database alone cannot forge or reuse a link, and a task can rebuild the link from the
    id without the token ever passing through the broker."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    nonce = models.CharField(max_length=64, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One row per sensitive action. Append-only: rows are written by
    ``learning.services.audit_record`` and never changed. Rows never hold reflective content,
    only what happened, to what, by whom and when."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class Notification(models.Model):
    """Something on the site that needs a person: a reflection waiting for sign-off, a reply to
    a followed thread, a supervision record to confirm. The message is a whole sentence written
    by the service that sends it and never carries reflective, summary, check-in, action or post
    content; ``url`` is a path on this site. ``dedupe_key`` makes a notification once-only per
    recipient (a reminder for one due event is sent once however often the job runs)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Claimed (conditional UPDATE) by whichever email goes first: immediate or the daily digest.
    emailed_at = models.DateTimeField(null=True, blank=True)
    # What a notice that asks for something is about ("supervision.session.12.confirm"): when
    # that is done, ``learning.notify.notify_resolve`` marks every such notice done.
    action_on = models.CharField(max_length=120, blank=True, default="")
    done_at = models.DateTimeField(null=True, blank=True)
    # An email due straight away that fell in the person's quiet hours waits until they end;
    # the calendar file it carried (builder name and row id, never the file) waits with it.
    email_held_until = models.DateTimeField(null=True, blank=True)
    email_attachment = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at=None), name="notification_unread"
            ),
            models.Index(
                fields=["action_on"],
                condition=Q(done_at=None) & ~Q(action_on=""),
                name="notification_open_action",
            ),
            models.Index(
                fields=["email_held_until"],
                condition=Q(emailed_at=None) & Q(email_held_until__isnull=False),
                name="notification_email_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


NOTIFICATION_GROUP_FIELDS = (
    "replies",
    "mentions",
    "moderation",
    "sessions",
    "waiting",
    "decisions",
)


def _group_field(label: str) -> models.CharField:
    # Empty: not set, so the person's overall choice (``User.email_notifications``) applies.
    return models.CharField(label, max_length=12, choices=EMAIL_CHOICES, blank=True, default="")


class NotificationPreference(models.Model):
    """A person's email choice for each group of notices (``learning.notify_groups``) and their
    quiet hours for email, a start and an end time in Europe/London."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    replies = _group_field(_("replies"))
    mentions = _group_field(_("mentions"))
    moderation = _group_field(_("moderation outcomes"))
    sessions = _group_field(_("reflective session changes"))
    waiting = _group_field(_("things waiting for you"))
    decisions = _group_field(_("sign-off decisions"))
    quiet_from = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours end"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification preference")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    *(
                        Q(**{f"{name}__in": ["", "immediately", "daily", "off"]})
                        for name in NOTIFICATION_GROUP_FIELDS
                    )
                ),
                name="notification_preference_choices",
            ),
            models.CheckConstraint(
                condition=(Q(quiet_from__isnull=True) & Q(quiet_until__isnull=True))
                | (
                    Q(quiet_from__isnull=False)
                    & Q(quiet_until__isnull=False)
                    & ~Q(quiet_from=F("quiet_until"))
                ),
                name="notification_preference_quiet_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"notification preference of {self.user_id}"


class NotificationDigest(models.Model):
    """One row per person per day a digest was sent: the claim that keeps it to one a day."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="notification_digest_daily")
        ]

    def __str__(self) -> str:
        return f"digest for {self.recipient_id} on {self.day}"


class OutboxMessage(models.Model):
    """A Celery task waiting to be handed to the broker: the transactional outbox.

    ``learning.queue.enqueue_on_commit`` writes the row in the same transaction as the change
    that needs the task, so a rolled-back change never runs its task, and a task enqueued while
    the broker is down is not lost: the row waits until ``learning.outbox`` relays it. Arguments
    are ids and flags only, never content."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True, default="")
    # The id of the request that queued the task (learning/observability.py), sent with it so
    # the worker's log lines carry it even when the relay publishes the row later.
    request_id = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        verbose_name = _("queued task")
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=Q(sent_at=None),
                name="outbox_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"


class DataExport(models.Model):
    """A "download my data" zip of every record about one person, built by a Celery task, for
    that person only, until it expires (then its file and its key are deleted). The stored file
    is ciphertext only, under this export's own random key (``learning/privacy/archive.py``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="data-exports/", blank=True)
    # The archive's key, encrypted with the field keys; emptied when the file is deleted.
    archive_key = EncryptedTextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="data_export_progress_percent",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(finished_at__isnull=False),
                name="data_export_ready_has_time",
            ),
            # A ready archive can be read (it has its key); an expired one cannot (no file,
            # no key).
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(archive_key="") & ~Q(file="")),
                name="data_export_ready_has_key",
            ),
            models.CheckConstraint(
                condition=~Q(status="expired") | (Q(archive_key="") & Q(file="")),
                name="data_export_expired_has_no_key",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="data_export_mine")]

    def __str__(self) -> str:
        return f"Data export {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED, self.Status.EXPIRED)


from learning.reports.models import *  # noqa: E402, F403
from learning.signin.models import *  # noqa: E402, F403
from learning.xapi_models import *  # noqa: E402, F403
