"""Organisation admins link email domains to their organisation, with proof of control.

The admin names a domain and an address at it. A link goes to that address (allauth's email
path, the one used for confirmation and reset links); the domain is linked only when the same
admin, signed in, opens the link and confirms. So linking needs the admin role and a mailbox at
the domain. Public webmail is refused outright (anyone can have an address there), and so are
domains shared by many organisations such as nhs.net: one NHSmail mailbox proves nothing about
an organisation, so only platform operations can link a shared domain, on the national
coordinator's decision (``HOPE_SHARED_EMAIL_DOMAINS``). A linked domain is never set to
"work account sign-in only" here: that stays a deployment's decision, made in the admin.

Every request, link and removal is audited.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from learning import permissions
from learning.forms import id_from
from learning.models import Organisation, User
from learning.queue import enqueue_on_commit
from learning.ratelimit import rate_limit_message
from learning.services import audit_record
from learning.signin.models import DomainClaim, OrganisationEmailDomain
from learning.signin.selectors import domain_of

_SALT = "learning.signin.domain-claim"
# A host name of at least two labels, each 1-63 letters, digits or hyphens (not at either end).
_DOMAIN = re.compile(
    r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$"
)


class DomainClaimError(Exception):
    """Why a confirmation link cannot be used, as a sentence for the person holding it."""


def domain_normalise(text: str) -> str:
    """What an admin types (" @Trust.NHS.uk ") as the domain is stored: lower case, no @."""
    return (text or "").strip().lstrip("@").rstrip(".").lower()


def is_public_domain(domain: str) -> bool:
    return domain in {d.lower() for d in settings.HOPE_PUBLIC_EMAIL_DOMAINS}


def is_shared_domain(domain: str) -> bool:
    """A domain many organisations share (nhs.net): never linked by an organisation admin, and
    signing in from it never makes someone a member of an organisation."""
    return domain in {d.lower() for d in settings.HOPE_SHARED_EMAIL_DOMAINS}


def domain_refusal(domain: str) -> str | None:
    """Why ``domain`` cannot be linked by an organisation admin, or ``None``."""
    if not _DOMAIN.match(domain):
        return _("Enter an email domain in the correct format, like trust.nhs.uk")
    if is_public_domain(domain):
        return _(
            "%(domain)s is a public email service: anyone can have an address there, so it "
            "cannot be linked to an organisation."
        ) % {"domain": domain}
    if is_shared_domain(domain):
        return _(
            "%(domain)s is shared by many organisations (every NHS organisation uses nhs.net), "
            "so an address there does not show which organisation someone works for. It cannot "
            "be linked here. If your organisation needs it, ask the national coordinator."
        ) % {"domain": domain}
    return None


def domain_claim_token_make(claim: DomainClaim) -> str:
    digest = salted_hmac(_SALT, f"{claim.pk}:{claim.nonce}", algorithm="sha256")
    return f"{claim.pk}.{digest.hexdigest()}"


def domain_claim_token_check(token: str) -> DomainClaim | None:
    text, _dot, digest = (token or "").partition(".")
    pk = id_from(text)
    if pk is None or len(digest) != 64:
        return None
    claim = DomainClaim.objects.select_related("organisation", "requested_by").filter(pk=pk).first()
    if claim is None:
        return None
    expected = domain_claim_token_make(claim).partition(".")[2]
    return claim if constant_time_compare(expected, digest) else None


@transaction.atomic
def domain_claim_create(
    *, actor: User, organisation: Organisation, domain: str, email: str
) -> DomainClaim:
    """Ask to link ``domain`` to ``organisation``: a confirmation link goes to ``email`` (an
    address at the domain) after commit. A new request replaces a pending one for the same
    domain. Raises ``ValidationError`` keyed by field (``domain``, ``email``)."""
    from learning.tasks import domain_claim_email_send

    if not permissions.can_link_email_domains(actor, organisation):
        raise PermissionDenied
    domain = domain_normalise(domain)
    refusal = domain_refusal(domain)
    if refusal:
        raise ValidationError({"domain": refusal})
    email = (email or "").strip().lower()
    if domain_of(email) != domain:
        raise ValidationError(
            {
                "email": _("Enter an address at %(domain)s, like name@%(domain)s")
                % {"domain": domain}
            }
        )
    linked = OrganisationEmailDomain.objects.filter(domain=domain).first()
    if linked is not None:
        if linked.organisation_id == organisation.pk:
            message = _("%(domain)s is already linked to %(org)s.") % {
                "domain": domain,
                "org": organisation.name,
            }
        else:
            message = _(
                "%(domain)s is linked to another organisation. If that is wrong, ask the "
                "national coordinator."
            ) % {"domain": domain}
        raise ValidationError({"domain": message})
    limited = rate_limit_message(actor, "domain_claim")
    if limited:
        raise ValidationError({"domain": limited})
    now = timezone.now()
    DomainClaim.objects.filter(
        organisation=organisation, domain=domain, confirmed_at=None, withdrawn_at=None
    ).update(withdrawn_at=now)
    claim = DomainClaim.objects.create(
        organisation=organisation,
        domain=domain,
        email=email,
        requested_by=actor,
        nonce=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(days=settings.HOPE_DOMAIN_CLAIM_DAYS),
    )
    audit_record(
        action="organisation.domain_claimed",
        actor=actor,
        target=claim,
        organisation=organisation,
        data={"domain": domain},
    )
    enqueue_on_commit(domain_claim_email_send, claim.pk)
    return claim


def domain_claim_email_send(*, claim_id: int) -> bool:
    """Send the confirmation link once; False if there is nothing (left) to send. The row is
    claimed before sending (a conditional update), so a task that runs twice sends one email;
    if sending fails the claim is released for the retry."""
    from allauth.account.adapter import get_adapter

    from learning.site_url import absolute_url

    now = timezone.now()
    pending = DomainClaim.objects.filter(
        pk=claim_id, confirmed_at=None, withdrawn_at=None, email_sent_at=None, expires_at__gt=now
    )
    if not pending.update(email_sent_at=now):
        return False
    claim = DomainClaim.objects.select_related("organisation", "requested_by").get(pk=claim_id)
    link = absolute_url(
        reverse("domain_claim_confirm", kwargs={"token": domain_claim_token_make(claim)})
    )
    context = {
        "claim": claim,
        "organisation": claim.organisation.name,
        "admin": claim.requested_by.display_name or claim.requested_by.email,
        "link": link,
        "days": settings.HOPE_DOMAIN_CLAIM_DAYS,
    }
    try:
        get_adapter().send_mail_from_task(
            "learning/signin/email/domain_claim", claim.email, context
        )
    except Exception:
        DomainClaim.objects.filter(pk=claim_id).update(email_sent_at=None)
        raise
    return True


def domain_claim_for_link(*, token: str, user: User) -> DomainClaim:
    """The claim a confirmation link points to, for ``user`` to confirm, or
    ``DomainClaimError`` saying why it cannot be used."""
    claim = domain_claim_token_check(token)
    if claim is None:
        raise DomainClaimError(
            _(
                "This link is not valid. Check you copied the whole link from the email, or "
                "ask for a new one from your organisation's email domains page."
            )
        )
    if claim.requested_by_id != user.pk:
        raise DomainClaimError(
            _(
                "This link is for the organisation admin who asked for it. Sign in as them to "
                "open it, or ask for a new link yourself."
            )
        )
    if claim.confirmed_at is not None:
        raise DomainClaimError(
            _("This link has been used: %(domain)s is linked.") % {"domain": claim.domain}
        )
    if claim.withdrawn_at is not None or claim.expires_at <= timezone.now():
        raise DomainClaimError(
            _(
                "This link has expired or was replaced by a newer one. Ask for a new link from "
                "your organisation's email domains page."
            )
        )
    if not permissions.can_link_email_domains(user, claim.organisation):
        raise DomainClaimError(
            _("You are no longer an organisation admin of %(org)s.")
            % {"org": claim.organisation.name}
        )
    return claim


@transaction.atomic
def domain_claim_confirm(*, actor: User, token: str) -> OrganisationEmailDomain:
    """Link the domain of the claim ``token`` names to its organisation: ``actor`` must be the
    admin who asked, still an admin there, within the link's time. Raises DomainClaimError."""
    claim = domain_claim_for_link(token=token, user=actor)
    claim = DomainClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.confirmed_at is not None or claim.withdrawn_at is not None:
        raise DomainClaimError(_("This link has been used or replaced."))
    # Checked again now: a shared or public domain added to the settings since the request.
    refusal = domain_refusal(claim.domain)
    if refusal:
        raise DomainClaimError(refusal)
    try:
        with transaction.atomic():
            link = OrganisationEmailDomain.objects.create(
                organisation_id=claim.organisation_id, domain=claim.domain
            )
    except IntegrityError as exc:
        raise DomainClaimError(
            _(
                "%(domain)s was linked to an organisation after you asked. If that is wrong, ask "
                "the national coordinator."
            )
            % {"domain": claim.domain}
        ) from exc
    claim.confirmed_at = timezone.now()
    claim.save(update_fields=["confirmed_at"])
    audit_record(
        action="organisation.domain_linked",
        actor=actor,
        target=link,
        organisation=link.organisation,
        data={"domain": link.domain, "claim": claim.pk, "how": "confirmed by email"},
    )
    return link


@transaction.atomic
def domain_unlink(*, actor: User, link: OrganisationEmailDomain) -> None:
    """Remove a linked email domain: people there are no longer sent to the organisation's
    provider, nor made members by signing in."""
    if not permissions.can_link_email_domains(actor, link.organisation):
        raise PermissionDenied
    if link.require_provider:
        # "Work account sign-in only" keeps leavers out: platform operations set it and only
        # they can lift it (in the admin), so an organisation admin cannot reopen passwords.
        raise PermissionDenied
    audit_record(
        action="organisation.domain_removed",
        actor=actor,
        target=link,
        organisation=link.organisation,
        data={"domain": link.domain, "require_provider": link.require_provider},
    )
    link.delete()
