"""Reads for shared portfolios. The person's own shares only (anyone else's is the same 404 as
one that does not exist); the public page finds an active share by its token's hash alone."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from learning import permissions
from learning.permissions import Person
from learning.tokens import secret_token_hash, secret_token_usable
from reflection.portfolio.models import ExternalCpd
from reflection.portfolio.selectors import external_cpd_visible_to
from reflection.shares.models import PortfolioShare, PortfolioShareOpening
from reflection.signoff.accounts import signed_off_requests_of
from reflection.signoff.models import SignOffRequest

SHARES_LISTED = 100
OPENINGS_LISTED = 100


def shares_visible_to(user: Person) -> QuerySet[PortfolioShare]:
    if not permissions.is_signed_in(user):
        return PortfolioShare.objects.none()
    return PortfolioShare.objects.filter(owner_id=user.pk).defer("bundle")


def shares_of(user: Person) -> list[PortfolioShare]:
    """The person's shares, newest first, each with ``opened`` (how many times; one
    query)."""
    shares: list[PortfolioShare] = list(
        shares_visible_to(user).annotate(
            opened=Count("openings", filter=Q(openings__kind=PortfolioShareOpening.Kind.PAGE))
        )[:SHARES_LISTED]
    )
    return shares


def share_get(user: Person, share_id: int) -> PortfolioShare:
    return get_object_or_404(shares_visible_to(user), pk=share_id)


def share_openings(share: PortfolioShare) -> list[PortfolioShareOpening]:
    """The latest openings and downloads, newest first."""
    return list(share.openings.all()[:OPENINGS_LISTED])


def share_opened_count(share: PortfolioShare) -> int:
    return share.openings.filter(kind=PortfolioShareOpening.Kind.PAGE).count()


def share_for_token(token: str) -> PortfolioShare | None:
    """The active share a token opens, with its owner (one query), or ``None`` for an unknown,
    expired or revoked token alike."""
    if not secret_token_usable(token):
        return None
    return (
        PortfolioShare.objects.select_related("owner")
        .filter(
            token_hash=secret_token_hash(token),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            owner__is_active=True,
        )
        .first()
    )


def share_evidence_file(share: PortfolioShare, item_id: int) -> ExternalCpd | None:
    """An evidence file the person ticked for this share, still theirs and still there."""
    return (
        share.evidence.filter(pk=item_id, owner_id=share.owner_id)
        .exclude(evidence="")
        .only("pk", "evidence", "evidence_name")
        .first()
    )


def accounts_choosable(user: Person) -> QuerySet[SignOffRequest]:
    """The person's signed-off reflections, each a written reflective account they may share."""
    return signed_off_requests_of(user)


def evidence_choosable(user: Person) -> QuerySet[ExternalCpd]:
    """The person's CPD entries that have an evidence file."""
    return external_cpd_visible_to(user).exclude(evidence="")
