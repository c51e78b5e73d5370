"""Builders for shared portfolios: made through the service, which returns the token once."""

from __future__ import annotations

from .data_builders import builds_test_data


@builds_test_data
def make_share(
    owner,
    *,
    cpd: bool = True,
    feedback: bool = False,
    supervision: bool = False,
    accounts=(),
    evidence=(),
    days: int = 14,
    recipient_name: str = "",
    recipient_role: str = "",
):
    """A share of ``owner``'s portfolio and its token."""
    from reflection.shares.services import share_create

    return share_create(
        owner=owner,
        include_cpd=cpd,
        include_feedback=feedback,
        include_supervision=supervision,
        accounts=list(accounts),
        evidence=list(evidence),
        recipient_name=recipient_name,
        recipient_role=recipient_role,
        days=days,
    )
