"""Emails. Messages say that something is waiting and link to it; they never carry reflective
or discussion content."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Invitation
from .tokens import invitation_token_make


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
