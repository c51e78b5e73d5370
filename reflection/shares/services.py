"""Writes to a person's shared portfolios: make a share, revoke it, and log an opening. Each is
check, change and audit in one transaction; the audit rows hold ids and counts, never content
and never the token."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.guard import guard
from learning.models import User
from learning.sanitise import sanitise_text
from learning.services import audit_record
from learning.tokens import secret_token_make
from reflection.portfolio.models import ExternalCpd
from reflection.shares.bundle import bundle_build
from reflection.shares.models import SHARE_DAYS_MAX, PortfolioShare, PortfolioShareOpening
from reflection.shares.selectors import accounts_choosable, evidence_choosable
from reflection.signoff.models import SignOffRequest

RECIPIENT_MAX = 100


def _recipient(value: str, field: str) -> str:
    text = " ".join(sanitise_text(value or "").split())
    if len(text) > RECIPIENT_MAX:
        raise ValidationError(
            {field: _("This must be %(n)s characters or fewer.") % {"n": RECIPIENT_MAX}}
        )
    return text


@transaction.atomic
def share_create(
    *,
    owner: User,
    include_cpd: bool,
    include_feedback: bool,
    include_supervision: bool,
    accounts: list[SignOffRequest],
    evidence: list[ExternalCpd],
    recipient_name: str = "",
    recipient_role: str = "",
    days: int,
    confirm_identifiers: bool = False,
) -> tuple[PortfolioShare, str]:
    """Share the chosen parts of ``owner``'s portfolio. Returns the share and its token: the
    token is shown to the person once and never stored (only its hash is)."""
    if not permissions.is_signed_in(owner):
        raise PermissionDenied
    # Only the person's own signed-off reflections and evidence files, whatever was posted.
    account_ids = {a.pk for a in accounts}
    chosen_accounts = list(accounts_choosable(owner).filter(pk__in=account_ids))
    evidence_ids = {e.pk for e in evidence}
    chosen_evidence = list(evidence_choosable(owner).filter(pk__in=evidence_ids))
    if len(chosen_accounts) != len(account_ids) or len(chosen_evidence) != len(evidence_ids):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not (include_cpd or include_feedback or include_supervision or chosen_accounts):
        errors["parts"] = _("Choose at least one part of your portfolio to share")
    if chosen_evidence and not include_cpd:
        errors["evidence"] = _("Share your CPD record to share evidence files with it")
    if not 1 <= days <= SHARE_DAYS_MAX:
        errors["days"] = _("Enter a number of days from 1 to %(n)s") % {"n": SHARE_DAYS_MAX}
    texts: dict[str, str] = {}
    for name, value in (("recipient_name", recipient_name), ("recipient_role", recipient_role)):
        try:
            texts[name] = _recipient(value, name)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    checked = guard({k: v for k, v in texts.items() if v}, confirmed=confirm_identifiers)
    token, token_hash = secret_token_make()
    now = timezone.now()
    share = PortfolioShare.objects.create(
        owner=owner,
        token_hash=token_hash,
        include_cpd=include_cpd,
        include_feedback=include_feedback,
        include_supervision=include_supervision,
        accounts_count=len(chosen_accounts),
        bundle=bundle_build(
            owner=owner,
            include_cpd=include_cpd,
            include_feedback=include_feedback,
            include_supervision=include_supervision,
            accounts=chosen_accounts,
            evidence=chosen_evidence,
        ),
        created_at=now,
        expires_at=now + timedelta(days=days),
        **texts,
    )
    if chosen_evidence:
        share.evidence.set(chosen_evidence)
    audit_record(
        action="shares.share_created",
        actor=owner,
        target=share,
        data={
            "cpd": include_cpd,
            "feedback": include_feedback,
            "supervision": include_supervision,
            "accounts": len(chosen_accounts),
            "evidence": len(chosen_evidence),
            "days": days,
            **checked.audit,
        },
    )
    return share, token


@transaction.atomic
def share_revoke(*, owner: User, share: PortfolioShare) -> PortfolioShare:
    """Turn the link off for good. What it showed is forgotten (the frozen parts and the
    evidence it reached); the share stays on the person's list, with its opening log."""
    row = PortfolioShare.objects.select_for_update().filter(pk=share.pk).first()
    if row is None or row.owner_id != owner.pk:
        raise PermissionDenied
    if row.revoked_at is not None:
        return row
    row.revoked_at = timezone.now()
    row.bundle = ""
    row.save(update_fields=["revoked_at", "bundle"])
    row.evidence.clear()
    audit_record(action="shares.share_revoked", actor=owner, target=row, data={"id": row.pk})
    return row


def share_opening_record(
    *, share: PortfolioShare, kind: str, ip_address: str | None = None
) -> PortfolioShareOpening:
    """Log one opening (or evidence download) for the person's list, and audit it with the
    client's address for the people who run the platform. Only for an active share."""
    if not share.is_active() or kind not in PortfolioShareOpening.Kind.values:
        raise PermissionDenied
    return _opening_write(share=share, kind=kind, ip_address=ip_address)


# No savepoint: the public page's whole budget is a few queries, and this is its only write.
# On its own (the usual case) this is still one transaction; the check above comes first, so
# nothing in here is expected to fail and leave an outer transaction to roll back.
@transaction.atomic(savepoint=False)
def _opening_write(
    *, share: PortfolioShare, kind: str, ip_address: str | None
) -> PortfolioShareOpening:
    opening = PortfolioShareOpening.objects.create(share=share, kind=kind)
    audit_record(
        action="shares.share_opened",
        target=share,
        ip_address=ip_address,
        data={"kind": kind},
    )
    return opening
