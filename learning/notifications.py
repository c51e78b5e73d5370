"""Emails. Messages say that something is waiting and link to it; they never carry reflective
or discussion content."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import Invitation, Notification, NotificationDigest, User
from learning.tokens import invitation_token_make


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the invitation email once; returns False if there is nothing (left) to send.

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
    try:
        _send(invitation, context)
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(email_sent_at=None)
        raise
    return True


def _send(invitation: Invitation, context: dict) -> None:
    send_mail(
        subject=_("You are invited to join %(org)s on Holding Hope")
        % {"org": invitation.organisation.name},
        message=render_to_string("learning/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification straight away, once (claimed by a conditional update)."""
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at=None, read_at=None, recipient__is_active=True
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    context = {
        "notification": notification,
        "link": absolute_url(notification.url),
        "settings_link": absolute_url(reverse("notification_settings")),
        "product": settings.HOPE_PRODUCT_NAME,
    }
    try:
        send_mail(
            subject=_("Holding Hope: %(message)s") % {"message": notification.message},
            message=render_to_string("learning/email/notification.txt", context),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def digest_recipients() -> list[int]:
    """People who chose a daily summary and have notifications not yet emailed or read."""
    return list(
        Notification.objects.filter(
            emailed_at=None,
            read_at=None,
            recipient__is_active=True,
            recipient__email_notifications="daily",
        )
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def notification_digest_send(*, user_id: int) -> bool:
    """Send today's summary to one person, at most once a day, listing each notification not
    yet emailed; each is claimed so it is never in two summaries."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    today = timezone.localdate()
    try:
        with transaction.atomic():
            NotificationDigest.objects.create(recipient=user, day=today)
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient=user, emailed_at=None, read_at=None)
                .order_by("created_at", "pk")
            )
            if not pending:
                transaction.set_rollback(True)
                return False
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                emailed_at=timezone.now()
            )
            context = {
                "items": [(n, absolute_url(n.url)) for n in pending],
                "inbox_link": absolute_url(reverse("notification_list")),
                "settings_link": absolute_url(reverse("notification_settings")),
                "product": settings.HOPE_PRODUCT_NAME,
            }
            send_mail(
                subject=_("Holding Hope: your daily summary"),
                message=render_to_string("learning/email/notification_digest.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
    except IntegrityError:
        return False  # today's summary was already sent
    return True
