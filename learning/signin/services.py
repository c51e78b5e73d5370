"""What a work-account sign-in changes: the provider session record, joining the organisation,
two-factor standing, and the audit rows for sign-ins, links and unlinks."""

from __future__ import annotations

import time

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from learning.models import Membership, Organisation, Role, User
from learning.services import audit_record, membership_create
from learning.signin.models import OrganisationEmailDomain, ProviderSession

# The provider behind this session and when the provider last confirmed it (the re-check).
PROVIDER_SESSION = "_hope_provider_session"


@transaction.atomic
def provider_signin_record(
    *,
    request: HttpRequest,
    user: User,
    provider_id: str,
    subject: str,
    sid: str,
    mfa: bool,
    ip_address: str | None,
) -> ProviderSession:
    """Record a completed sign-in through ``provider_id`` for this session: which session it
    began (for back-channel logout), whether the provider's MFA counts, and when the provider
    confirmed it. Joins the person to the organisation of their email domain the first time,
    if that organisation allows it."""
    from learning.middleware import MFA_OK

    record = ProviderSession.objects.create(
        user=user,
        provider_id=provider_id,
        subject=subject[:255],
        sid=sid[:255],
        session_key=request.session.session_key or "",
        mfa=mfa,
    )
    request.session[PROVIDER_SESSION] = {
        "provider": provider_id,
        "confirmed_at": time.time(),
        "record": record.pk,
    }
    if mfa:
        request.session[MFA_OK] = True
    audit_record(
        action="auth.provider_signin",
        actor=user,
        target=record,
        ip_address=ip_address,
        data={"provider": provider_id, "mfa": mfa},
    )
    organisation_join_from_provider(user=user, provider_id=provider_id)
    return record


def organisation_join_from_provider(*, user: User, provider_id: str) -> Membership | None:
    """A person signing in with the work account of an organisation that allows it becomes a
    practitioner there, once: someone who has ever had a role there is left as they are."""
    from learning.signin.domains import is_shared_domain

    domain = user.email.rsplit("@", 1)[-1].lower()
    if is_shared_domain(domain):
        # nhs.net is every NHS organisation's: an address there says nothing about which one.
        return None
    link = (
        OrganisationEmailDomain.objects.select_related("organisation")
        .filter(
            domain=domain,
            organisation__signin_provider=provider_id,
            organisation__join_on_provider_signin=True,
        )
        .first()
    )
    if link is None:
        return None
    organisation: Organisation = link.organisation
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        return None
    membership = membership_create(
        actor=None,
        user=user,
        organisation=organisation,
        role=Role.PRACTITIONER,
        check_permission=False,
    )
    audit_record(
        action="auth.provider_joined",
        actor=user,
        target=membership,
        organisation=organisation,
        data={"provider": provider_id},
    )
    return membership


@transaction.atomic
def provider_account_unlink_record(*, user: User, provider_id: str, ip_address: str | None) -> None:
    """The person removed the link to a work account (allauth deletes the row)."""
    audit_record(
        action="auth.provider_unlink",
        actor=user,
        target=user,
        ip_address=ip_address,
        data={"provider": provider_id},
    )


@transaction.atomic
def provider_account_link_record(*, user: User, provider_id: str, ip_address: str | None) -> None:
    """A work account was linked to this person: at their first sign-in with it (to the
    account with the same verified email address), or from their account settings."""
    audit_record(
        action="auth.provider_link",
        actor=user,
        target=user,
        ip_address=ip_address,
        data={"provider": provider_id, "how": "signed in"},
    )


def provider_sessions_end(
    *, provider_id: str, sid: str = "", subject: str = "", channel: str = "back"
) -> list[str]:
    """End every session of ours begun through ``provider_id`` for this provider session
    (``sid``) or, without one, for this person at the provider (``subject``). ``channel`` says
    how the provider told us (``back``: a logout token; ``front``: the browser, in a frame).
    Returns the keys of the sessions ended."""
    from django.conf import settings
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.models import Session
    from django.core.cache import caches

    if not (sid or subject):
        return []
    rows = ProviderSession.objects.select_for_update().filter(
        provider_id=provider_id, ended_at=None
    )
    rows = rows.filter(sid=sid) if sid else rows.filter(subject=subject)
    with transaction.atomic():
        ended = list(rows)
        keys = [row.session_key for row in ended if row.session_key]
        # The cached copies and the rows, in one go.
        caches[settings.SESSION_CACHE_ALIAS].delete_many([KEY_PREFIX + key for key in keys])
        Session.objects.filter(session_key__in=keys).delete()
        ProviderSession.objects.filter(pk__in=[r.pk for r in ended]).update(ended_at=timezone.now())
        for row in ended:
            audit_record(
                action="auth.provider_logout",
                actor=None,
                target=row,
                data={"provider": provider_id, "user_id": row.user_id, "channel": channel},
            )
    return keys
