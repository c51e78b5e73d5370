"""The one way to tell a person something, and the only module that sends email.

``notify(recipient=..., kind=..., message=..., url=..., key=...)`` writes an on-site
``Notification`` in the caller's transaction and, if the person wants email straight away,
queues the email task through the outbox in that same transaction. Nothing here sends mail in
a request or a service: mail leaves only from the task functions below, each of which claims
its row first, so a task that runs twice sends one email.

Every kind belongs to one group of notices (``learning.notify_groups``), and the person's
choice for that group (else their overall ``User.email_notifications``) decides the email:

- ``immediately``: one email per notification, from the ``hope.notify.email_send`` task; in
  the person's quiet hours it is held and sent when they end (``hope.notify.held_send``);
- ``daily``: nothing now; the daily summary lists every such notification not yet emailed or
  read, and waits for the end of quiet hours too;
- ``off``: no email; the notification waits in the on-site inbox.

``always_email=True`` is the one exception: for security or account messages that must reach
the person whatever they chose, quiet hours included. Nothing else overrides the choice.

Messages say that something is waiting and link to it; they never carry reflective, summary,
check-in, action or post content. An attachment (a calendar invitation) is named by a builder
registered here and the id of its row, never by its content, so the outbox holds ids only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from learning import request_memo
from learning.cache import forget_now_and_at_commit
from learning.language import in_language_of, languages_for_unknown
from learning.models import Invitation, Notification, NotificationDigest, User
from learning.notify_groups import (
    DAILY,
    IMMEDIATELY,
    LONDON,
    email_choice,
    email_choice_expression,
    held_until,
    in_quiet_hours,
    notice_group,
)
from learning.queue import enqueue_on_commit
from learning.site_url import absolute_url
from learning.tokens import invitation_token_make


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


# When the daily summary goes (the beat job ``notification-digests``), London time.
DIGEST_TIME = time(6, 30)

# name -> builder(object_id) returning the attachment, or None if it no longer applies.
_ATTACHMENTS: dict[str, Callable[[int], Attachment | None]] = {}


def attachment_register(name: str, builder: Callable[[int], Attachment | None]) -> None:
    """Let an app attach a file it builds from one of its rows (called from ``ready()``)."""
    _ATTACHMENTS[name] = builder


def notify(
    *,
    recipient: User,
    kind: str,
    message: Text,
    url: str,
    key: str = "",
    always_email: bool = False,
    attachment: tuple[str, int] | None = None,
    action_on: str = "",
) -> Notification | None:
    """Tell ``recipient`` on the site that something needs them and email them by their
    preference. Returns the notification, or ``None`` if they already had one with this
    ``key`` (so a repeated call tells them once) or can no longer sign in.

    ``message`` is a whole sentence with no reflective or post content, given unevaluated (a
    ``lambda: _("…") % {…}``, or a ``gettext_lazy`` message): it is written in the
    recipient's language (``learning.language``), whatever the language of the person whose
    action caused it, and stored so. A ready-made string is refused. ``url`` is a path on
    this site. ``attachment`` is ``(builder name, row id)`` for a file built when the email is
    sent. ``always_email`` sends the email whatever the person chose: for security or account
    messages only. The caller is a service that has already decided the person should know,
    so there is no permission check here; call it inside the service's transaction.

    A notice that asks the person to do something names what it is about in ``action_on``
    (see ``action_key``); the service that does it calls ``notify_resolve`` with the same
    name, and the notice is marked done."""
    if not recipient.is_active:
        return None
    text = message_text(message, recipient)
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("A notification links to a path on this site.")
    if attachment is not None and attachment[0] not in _ATTACHMENTS:
        raise ValueError(f"No attachment builder is registered as {attachment[0]!r}.")
    try:
        notice_group(kind)
    except KeyError:
        raise ValueError(
            f"No group of notices has the kind {kind!r}: register it with "
            "learning.notify_groups.notice_kind_register in its app's ready()."
        ) from None
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind[:60],
                    message=text[:300],
                    url=url[:500],
                    dedupe_key=key[:200],
                    action_on=action_on[:120],
                )
        except IntegrityError:
            return None
        unread_count_forget(recipient.pk)
        if always_email or email_choice(recipient, kind) == IMMEDIATELY:
            from learning import tasks

            options: dict = {}
            if always_email:
                options["always"] = True
            if attachment is not None:
                options["attachment"] = [attachment[0], int(attachment[1])]
            enqueue_on_commit(tasks.notification_email_send, notification.pk, **options)
    return notification


# A notice's text, unevaluated: a function returning the sentence, or a lazy translation.
Text = Callable[[], str] | Promise


def message_text(message: Text, recipient: User) -> str:
    """``message`` evaluated in ``recipient``'s language. A plain string is refused: it was
    translated already, in the language of whoever caused the notice."""
    if isinstance(message, str):
        raise TypeError(
            "notify() takes the message unevaluated (lambda: _(...) or gettext_lazy), so it is "
            "written in the recipient's language."
        )
    with in_language_of(recipient):
        return str(message) if isinstance(message, Promise) else str(message())


def action_key(*parts: object) -> str:
    """The name of something a notice asks for, from its parts: ``action_key("signoff.request",
    12)`` is ``"signoff.request.12"``. The sender and the resolver build it the same way."""
    return ".".join(str(part) for part in parts)


def notify_resolve(*, action_on: str, recipient: User | None = None) -> int:
    """Mark done every open notice about ``action_on`` (only ``recipient``'s, if given): the
    thing it asked for has been done, by them or by someone else who could. A notice done is
    read as well, so it no longer counts as new, and its email is not sent if still queued.
    Call it inside the service's transaction; returns how many notices it marked."""
    if not action_on:
        return 0
    open_notices = Notification.objects.filter(action_on=action_on, done_at=None)
    if recipient is not None:
        open_notices = open_notices.filter(recipient=recipient)
    recipients = set(open_notices.values_list("recipient_id", flat=True))
    if not recipients:
        return 0
    now = timezone.now()
    marked = open_notices.update(done_at=now, read_at=Coalesce("read_at", Value(now)))
    for recipient_id in recipients:
        unread_count_forget(recipient_id)
    return marked


# --- the unread count in the header -----------------------------------------------------------

UNREAD_CAP = 100  # counted to here with a LIMIT ("99+" above it), never COUNT(*)
UNREAD_TTL = 600


def unread_cache_key(user_id: int) -> str:
    return f"notify:unread:{user_id}"


def unread_count(user: User) -> int:
    """How many of ``user``'s notifications are unread, for the header on every page: kept in
    the cache per person, so a page costs no query for it once counted. Every change to the
    count (a notice created, read or done) forgets it (``unread_count_forget``)."""
    key = unread_cache_key(user.pk)
    # Usually read already, with the roles (learning.permissions.read_with_roles).
    cached = request_memo.recall(key)
    if cached is None:
        cached = cache.get(key)
    if cached is not None:
        return int(cached)
    count = len(
        Notification.objects.filter(recipient_id=user.pk, read_at=None).values_list(
            "pk", flat=True
        )[:UNREAD_CAP]
    )
    cache.set(key, count, UNREAD_TTL)
    return count


def unread_count_forget(user_id: int) -> None:
    """Forget a person's cached count, now and again once the transaction commits (so a page
    that read the count before the change committed cannot leave the old figure behind)."""
    key = unread_cache_key(user_id)
    request_memo.forget(key)
    forget_now_and_at_commit([key])


# --- sending (called only by tasks) ----------------------------------------------------------


def _mail(*, to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
    email = EmailMessage(subject=subject, body=body, from_email=None, to=[to])
    for item in attachments:
        email.attach(item.filename, item.content, item.mimetype)
    email.send()


def notification_email_send(
    *,
    notification_id: int,
    always: bool = False,
    attachment: list | None = None,
    now: datetime | None = None,
) -> bool:
    """Email one notification, once: the row is claimed by a conditional update (released if
    sending fails, so a retry sends it). Nothing goes if the person has read it already, or
    has since chosen a summary or no email for its group (unless ``always``). In their quiet
    hours it is held, with its attachment, and ``hope.notify.held_send`` sends it when they
    end."""
    now = now or timezone.now()
    eligible = Notification.objects.filter(
        pk=notification_id, emailed_at=None, read_at=None, recipient__is_active=True
    )
    if not always:
        notification = eligible.select_related(
            "recipient", "recipient__notification_preference"
        ).first()
        if notification is None:
            return False
        if email_choice(notification.recipient, notification.kind) != IMMEDIATELY:
            # They chose a summary or no email since: nothing straight away, and nothing held.
            eligible.filter(email_held_until__isnull=False).update(email_held_until=None)
            return False
        attachment = attachment or notification.email_attachment
        until = held_until(notification.recipient, now)
        if until is not None:
            eligible.update(email_held_until=until, email_attachment=attachment)
            return False
    if not eligible.update(emailed_at=now, email_held_until=None):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    context = {
        "notification": notification,
        "link": absolute_url(notification.url),
        "settings_link": absolute_url(reverse("notification_settings")),
        "product": settings.HOPE_PRODUCT_NAME,
    }
    try:
        # In the recipient's language (the one they chose; the site's if they have not), the
        # attached file (a calendar invitation) included.
        with in_language_of(notification.recipient):
            attachments: tuple[Attachment, ...] = ()
            if attachment:
                built = _ATTACHMENTS[attachment[0]](int(attachment[1]))
                attachments = (built,) if built is not None else ()
            _mail(
                to=notification.recipient.email,
                subject=_("Holding Hope: %(message)s") % {"message": notification.message},
                body=render_to_string("learning/email/notification.txt", context),
                attachments=attachments,
            )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def held_emails_due(now: datetime | None = None) -> list[int]:
    """Notifications held for someone's quiet hours that have now ended, not yet emailed."""
    return list(
        Notification.objects.filter(
            emailed_at=None, read_at=None, email_held_until__lte=now or timezone.now()
        )
        .order_by("email_held_until", "pk")
        .values_list("pk", flat=True)
    )


def _waiting_for_summary() -> QuerySet[Notification]:
    """Notifications not yet emailed or read whose recipient wants their group in a summary."""
    return Notification.objects.alias(choice=email_choice_expression()).filter(
        emailed_at=None, read_at=None, recipient__is_active=True, choice=DAILY
    )


def digest_recipients(now: datetime | None = None) -> list[int]:
    """People with notifications waiting for their daily summary, leaving out those in their
    quiet hours now (their summary goes when the hours end: ``digests_held_due``)."""
    now = now or timezone.now()
    rows = (
        _waiting_for_summary()
        .values_list(
            "recipient_id",
            "recipient__notification_preference__quiet_from",
            "recipient__notification_preference__quiet_until",
        )
        .distinct()
        .order_by("recipient_id")
    )
    return [pk for pk, start, end in rows if not in_quiet_hours(start, end, now)]


def digests_held_due(now: datetime | None = None) -> list[int]:
    """People whose quiet hours covered today's summary time and have now ended, with no
    summary yet today: their summary goes now."""
    now = now or timezone.now()
    local = now.astimezone(LONDON)
    summary_at = datetime.combine(local.date(), DIGEST_TIME, tzinfo=LONDON)
    if local < summary_at:
        return []
    rows = (
        _waiting_for_summary()
        .filter(recipient__notification_preference__quiet_from__isnull=False)
        .exclude(
            recipient_id__in=NotificationDigest.objects.filter(day=local.date()).values(
                "recipient_id"
            )
        )
        .values_list(
            "recipient_id",
            "recipient__notification_preference__quiet_from",
            "recipient__notification_preference__quiet_until",
        )
        .distinct()
        .order_by("recipient_id")
    )
    return [
        pk
        for pk, start, end in rows
        if in_quiet_hours(start, end, summary_at) and not in_quiet_hours(start, end, now)
    ]


def notification_digest_send(*, user_id: int, now: datetime | None = None) -> bool:
    """Send today's summary to one person, at most once a day, listing each notification not
    yet emailed whose group they want in a summary; each is claimed so it is never in two
    summaries. Nothing goes in their quiet hours (it waits until they end)."""
    now = now or timezone.now()
    user = (
        User.objects.select_related("notification_preference")
        .filter(pk=user_id, is_active=True)
        .first()
    )
    if user is None or held_until(user, now) is not None:
        return False
    today = now.astimezone(LONDON).date()
    try:
        with transaction.atomic():
            NotificationDigest.objects.create(recipient=user, day=today, sent_at=now)
            pending = list(
                _waiting_for_summary()
                .select_for_update(of=("self",))
                .filter(recipient=user)
                .order_by("created_at", "pk")
            )
            if not pending:
                transaction.set_rollback(True)
                return False
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            context = {
                "items": [(n, absolute_url(n.url)) for n in pending],
                "inbox_link": absolute_url(reverse("notification_list")),
                "settings_link": absolute_url(reverse("notification_settings")),
                "product": settings.HOPE_PRODUCT_NAME,
            }
            with in_language_of(user):
                _mail(
                    to=user.email,
                    subject=_("Holding Hope: your daily summary"),
                    body=render_to_string("learning/email/notification_digest.txt", context),
                )
    except IntegrityError:
        return False  # today's summary was already sent
    return True


# Between the two languages of a bilingual email.
BILINGUAL_RULE = "\n\n" + "-" * 40 + "\n\n"


def invitation_languages(invitation: Invitation) -> tuple[str, ...]:
    """The invitation email's languages: the language of the account that already has this
    address, if its owner chose one; otherwise Welsh and English (``languages_for_unknown``)."""
    known = (
        User.objects.filter(email__iexact=invitation.email)
        .exclude(language="")
        .values_list("language", flat=True)
        .first()
    )
    if known:
        return (known,)
    return languages_for_unknown(in_wales=invitation.organisation.in_wales)


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the invitation email once; returns False if there is nothing (left) to send. The
    invited person usually has no account yet, so there is no preference and no on-site
    notice; the email is in their language if an account with this address chose one, else in
    Welsh and English (``invitation_languages``).

    The row is claimed before sending (a conditional update), so a task that runs twice sends
    one email; if sending fails the claim is released for the retry."""
    claimed = Invitation.objects.filter(
        pk=invitation_id, accepted_at=None, revoked_at=None, email_sent_at=None
    ).update(email_sent_at=timezone.now())
    if not claimed:
        return False
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None:
        return False
    link = absolute_url(
        reverse("invitation_accept", kwargs={"token": invitation_token_make(invitation)})
    )
    context = {
        "invitation": invitation,
        "link": link,
        "product": settings.HOPE_PRODUCT_NAME,
        "days": settings.HOPE_INVITATION_DAYS,
    }
    subjects, bodies = [], []
    for language in invitation_languages(invitation):
        with translation.override(language):
            subjects.append(
                _("You are invited to join %(org)s on Holding Hope")
                % {"org": invitation.organisation.name}
            )
            bodies.append(render_to_string("learning/email/invitation.txt", context).strip())
    try:
        _mail(to=invitation.email, subject=" / ".join(subjects), body=BILINGUAL_RULE.join(bodies))
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(email_sent_at=None)
        raise
    return True
