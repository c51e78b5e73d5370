"""Signal receivers: thin, each calls a service. Sign-ins and failures go to the audit log."""

from __future__ import annotations

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac

from learning.middleware import MFA_OK, SIGNED_IN_AT, client_ip
from learning.models import Membership, User
from learning.permissions import forget_roles_for_id
from learning.services import audit_record
from learning.user_cache import forget_users


@receiver(auth_signals.user_logged_in, dispatch_uid="hope_audit_sign_in")
def on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()
    audit_record(action="auth.signed_in", actor=user, ip_address=client_ip(request))


@receiver(auth_signals.user_logged_out, dispatch_uid="hope_audit_sign_out")
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="auth.signed_out", actor=user, ip_address=client_ip(request))


@receiver(auth_signals.user_login_failed, dispatch_uid="hope_audit_sign_in_failed")
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get("email") or credentials.get("username") or "").lower()
    # A keyed digest, not the text typed: people sometimes type a password into the email box,
    # and an unkeyed hash of a short string can be reversed by trying guesses.
    digest = salted_hmac("hope.sign_in_failed", email, algorithm="sha256").hexdigest()[:16]
    digest = digest if email else ""
    audit_record(
        action="auth.sign_in_failed", ip_address=client_ip(request), data={"email_digest": digest}
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="hope_audit_mfa_added")
def on_mfa_added(sender, request, user, authenticator, **kwargs):
    audit_record(
        action="mfa.added",
        actor=user,
        ip_address=client_ip(request),
        data={"type": authenticator.type},
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="hope_audit_mfa_removed")
def on_mfa_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_OK, None)
    audit_record(
        action="mfa.removed",
        actor=user,
        ip_address=client_ip(request),
        data={"type": authenticator.type},
    )


@receiver(post_save, sender=Membership, dispatch_uid="hope_roles_membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="hope_roles_membership_deleted")
def on_membership_changed(sender, instance, **kwargs):
    """Cache invalidation only: the roles cache must not outlive a change made anywhere."""
    forget_roles_for_id(instance.user_id)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="hope_roles_groups_changed")
def on_groups_changed(sender, instance, action, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, User):
        forget_roles_for_id(instance.pk)
    else:
        for user_id in pk_set or ():
            forget_roles_for_id(user_id)


@receiver(post_save, sender=User, dispatch_uid="hope_user_row_saved")
@receiver(post_delete, sender=User, dispatch_uid="hope_user_row_deleted")
def on_user_row_changed(sender, instance, **kwargs):
    """The person's kept row (learning/user_cache.py) never outlives a change to it."""
    forget_users([instance.pk])
