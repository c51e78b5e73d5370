"""Spaces, threads, posts, moderation and reflective sessions.

Nothing here is public. Visibility is decided by the selectors (``community.selectors``) and the
rules in ``learning.permissions``; every write goes through a domain's services
(``community/<domain>/services.py``). Post bodies are stored already sanitised
(``learning.sanitise.sanitise_html(..., profile="post")``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

RESERVED_SLUGS = frozenset({"moderation", "my-posts", "saved", "search"})


class MembershipPolicy(models.TextChoices):
    OPEN = "open", _("Open to all signed-in staff")
    REQUEST = "request", _("By request (a facilitator approves)")
    INVITATION = "invitation", _("By invitation only")


class PreModeration(models.TextChoices):
    NONE = "none", _("No pre-moderation")
    FIRST_POSTS = "first_posts", _("A new member's first posts")
    ALL = "all", _("All posts")


class Space(ClusterableModel):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=1000)
    guidelines = models.TextField(
        _("guidelines"),
        help_text=_("What members agree to before their first post. Plain text."),
    )
    membership_policy = models.CharField(
        _("membership"),
        max_length=20,
        choices=MembershipPolicy.choices,
        default=MembershipPolicy.OPEN,
    )
    premoderation = models.CharField(
        _("pre-moderation"),
        max_length=20,
        choices=PreModeration.choices,
        default=PreModeration.FIRST_POSTS,
    )
    premoderation_posts = models.PositiveSmallIntegerField(
        _("posts held for review"),
        default=2,
        help_text=_("How many of a new member's first posts wait for a facilitator."),
    )
    flag_threshold = models.PositiveSmallIntegerField(
        _("reports that hide a post"),
        default=3,
        help_text=_("When this many members report a post, it is hidden until reviewed."),
    )
    questions_and_answers = models.BooleanField(
        _("questions and answers"),
        default=False,
        help_text=_(
            "The person who started a thread, or a facilitator, can mark one reply as the "
            "answer. It is shown under the question."
        ),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_spaces", blank=True
    )
    # The organisation whose admins appoint the space's facilitators (the national coordinator
    # appoints them for every space, and for spaces of no one organisation).
    organisation = models.ForeignKey(
        "learning.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_spaces",
    )
    # The Wagtail collection that documents facilitators upload to the space's library go in
    # (made under the root collection the first time one is uploaded).
    resource_collection = models.ForeignKey(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community space")
        constraints = [
            models.CheckConstraint(condition=Q(flag_threshold__gte=1), name="space_threshold_1"),
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_SLUGS)),
                name="space_slug_not_reserved",
                violation_error_message=_(
                    "That short name is used by the community's own pages. Choose another."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        """Anyone signed in reads it and joins it at once."""
        return self.membership_policy == MembershipPolicy.OPEN

    @property
    def takes_requests(self) -> bool:
        """People ask to join and a facilitator approves them."""
        return self.membership_policy == MembershipPolicy.REQUEST

    def facilitated_by(self, user_id: int) -> bool:
        """Whether the person facilitates the space: the answer a selector read with the space
        (``community.selectors.space_for_reader``), else from ``facilitator_ids``."""
        known = getattr(self, "_facilitated_by", None)
        if known is not None and user_id in known:
            return bool(known[user_id])
        return user_id in self.facilitator_ids()

    def remember_facilitator(self, user_id: int, facilitates: bool) -> None:
        """Keep a selector's answer to ``facilitated_by(user_id)`` on this instance."""
        self._facilitated_by = {**getattr(self, "_facilitated_by", {}), user_id: facilitates}

    def forget_facilitators(self) -> None:
        """Drop what this instance knows of its facilitators (after appointing or removing)."""
        self.__dict__.pop("_facilitator_ids", None)
        self.__dict__.pop("_facilitated_by", None)

    def facilitator_ids(self) -> frozenset[int]:
        """Ids of the space's facilitators (one query, then cached on the instance)."""
        cached = getattr(self, "_facilitator_ids", None)
        if cached is None and "facilitators" in getattr(self, "_prefetched_objects_cache", {}):
            # prefetch_related("facilitators") on a list of spaces: no query per space.
            cached = frozenset(user.pk for user in self.facilitators.all())
            self._facilitator_ids = cached
        if cached is None:
            cached = frozenset(self.facilitators.values_list("pk", flat=True))
            self._facilitator_ids = cached
        return cached


class SpaceResource(Orderable):
    """A document in a space's library (templates, plans, local pathways), chosen by editors in
    the Wagtail admin or uploaded by the space's facilitators (``community.resources.services``).
    Members read and download it; members never upload. A document in any space's library is
    served only to people who can read one of those spaces (the ``before_serve_document`` hook
    in community/wagtail_hooks.py)."""

    space = ParentalKey(Space, on_delete=models.CASCADE, related_name="resources")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("A sentence on what the document is for (optional)."),
    )

    panels = [FieldPanel("document"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("resource")
        constraints = [
            models.UniqueConstraint(fields=["space", "document"], name="space_resource_once")
        ]

    def __str__(self) -> str:
        return f"Document {self.document_id} in space {self.space_id}"


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    REQUESTED = "requested", _("Asked to join")
    INVITED = "invited", _("Invited")


class SpaceMember(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships"
    )
    status = models.CharField(max_length=20, choices=MemberStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    approved_posts = models.PositiveIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="space_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.space}"

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def is_invited(self) -> bool:
        return self.status == MemberStatus.INVITED

    @property
    def has_requested(self) -> bool:
        return self.status == MemberStatus.REQUESTED

    @property
    def has_accepted_guidelines(self) -> bool:
        return self.guidelines_accepted_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()


class PostStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")
    HIDDEN = "hidden", _("Hidden")


class Thread(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    # Empty once the person who started it erased their account: the thread stays for the
    # replies other people wrote (learning/privacy, community/privacy.py).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_threads",
    )
    title = models.CharField(max_length=200)
    anonymous = models.BooleanField(default=False)
    # Mirrors the opening post's status, so lists can filter without a join.
    status = models.CharField(max_length=20, choices=PostStatus.choices)
    locked = models.BooleanField(default=False)
    slow_mode_minutes = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["space", "status", "-last_post_at", "-id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        """A facilitator has locked it: only facilitators reply."""
        return self.locked

    @property
    def is_published(self) -> bool:
        """Its opening post is published, so members may read and reply to it."""
        return self.status == PostStatus.PUBLISHED

    def slow_mode_ends(self, last_reply_at: datetime | None) -> datetime | None:
        """When someone whose last post here was at ``last_reply_at`` may reply again in slow
        mode; ``None`` when slow mode is off or they have not posted here."""
        if not self.slow_mode_minutes or last_reply_at is None:
            return None
        return last_reply_at + timedelta(minutes=self.slow_mode_minutes)


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_posts"
    )
    body_html = models.TextField()
    is_opening = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    quote = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=PostStatus.choices)
    status_reason = models.CharField(max_length=500, blank=True)
    open_flags = models.PositiveIntegerField(default=0)
    identifiers_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # The reply marked as the answer to the thread's question (question-and-answer spaces).
    is_accepted = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["thread", "created_at", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_opening=True), name="post_one_opening"
            ),
            models.UniqueConstraint(
                fields=["thread"], condition=Q(is_accepted=True), name="post_one_accepted"
            ),
            models.CheckConstraint(
                condition=~Q(is_accepted=True, is_opening=True),
                name="post_accepted_is_a_reply",
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        """Its author may still change it: it is not rejected or hidden."""
        return self.status in (PostStatus.PENDING, PostStatus.PUBLISHED)


class PostHelped(models.Model):
    """A member's mark that a reply helped them. Pages show how many, never who."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helped_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_helped_once")]

    def __str__(self) -> str:
        return f"{self.user_id} was helped by post {self.post_id}"


class PostMention(models.Model):
    """A member mentioned in a post, chosen from the space's members as the author wrote it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_mention_once")]

    def __str__(self) -> str:
        return f"{self.user_id} mentioned in post {self.post_id}"


class PostRevision(models.Model):
    """The body before an edit. Facilitators see a post's history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body_html = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of post {self.post_id}"


class FlagReason(models.TextChoices):
    IDENTIFYING = "identifying", _("It has identifying details")
    UNKIND = "unkind", _("It is unkind")
    OFF_TOPIC = "off_topic", _("It is off-topic")
    SAFEGUARDING = "safeguarding", _("It raises a safeguarding concern")
    OTHER = "other", _("Something else")


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="flag_one_open_per_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on post {self.post_id}"


class ModerationAction(models.Model):
    """The moderation log: who did what, when and why. Seen by the space's facilitators; the
    author sees the entries about their own posts."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        HIDDEN = "hidden", _("Hidden")
        RESTORED = "restored", _("Restored")
        EDITED = "edited", _("Edited")
        FLAGS_DISMISSED = "flags_dismissed", _("Reports dismissed")
        AUTO_HIDDEN = "auto_hidden", _("Hidden after reports")
        LOCKED = "locked", _("Thread locked")
        UNLOCKED = "unlocked", _("Thread unlocked")
        SLOW_MODE = "slow_mode", _("Slow mode set")
        SUSPENDED = "suspended", _("Member suspended")
        REVEAL_REQUESTED = "reveal_requested", _("Reveal of an author asked for")
        REVEALED = "revealed", _("Author revealed")
        REVEAL_DECLINED = "reveal_declined", _("Reveal of an author declined")
        ESCALATED = "escalated", _("Escalated to safeguarding")
        MEMBER_APPROVED = "member_approved", _("Joining request approved")
        MEMBER_INVITED = "member_invited", _("Member invited")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True)
    thread = models.ForeignKey(Thread, on_delete=models.SET_NULL, null=True, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["space", "-created_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} in space {self.space_id}"


class ThreadFollow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id}"


class ThreadVisit(models.Model):
    """When a person last read a thread, for "new since your last visit"."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="visits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_visit_once")]

    def __str__(self) -> str:
        return f"{self.user_id} saw {self.thread_id}"


class SavedThread(models.Model):
    """A thread a person saved to find again. Their "Saved" page lists it while they can still
    read it (community.saved.selectors); saving twice keeps one row."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="saved_thread_once")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="saved_thread_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.thread_id}"


class ReflectiveSession(models.Model):
    """A reflective session a facilitator runs. ``sequence`` goes up each time the time, title
    or joining details change (and on cancelling), so a calendar client replaces the event it
    holds: the event's UID stays the same for the session's life."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField()
    joining_details = models.TextField(max_length=1000)
    meeting_url = models.URLField(max_length=500, blank=True, default="")
    capacity = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Sessions scheduled together as a weekly or monthly series share this key.
    series = models.UUIDField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_1"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="session_duration_1"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def in_series(self) -> bool:
        return self.series is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class SignupStatus(models.TextChoices):
    PLACE = "place", _("Has a place")
    WAITING = "waiting", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SessionSignup(models.Model):
    """One person's place at a session, their turn on its waiting list, or their withdrawal.
    The waiting list is first come, first served by ``status_at`` (when they joined it)."""

    session = models.ForeignKey(ReflectiveSession, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_signups"
    )
    status = models.CharField(
        max_length=12, choices=SignupStatus.choices, default=SignupStatus.PLACE
    )
    status_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_signup_once")
        ]
        indexes = [
            models.Index(fields=["session", "status", "status_at"], name="session_signup_queue")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at session {self.session_id}"

    @property
    def has_place(self) -> bool:
        return self.status == SignupStatus.PLACE

    @property
    def is_waiting(self) -> bool:
        return self.status == SignupStatus.WAITING


# Models kept in their domain's package, imported here so they belong to this app.
from community.moderation.models import RevealRequest, RevealStatus  # noqa: E402, F401
