"""Sign-off's, the portfolio's and supervision's kinds of notice and the group each belongs to,
for each person's email settings (``learning.notify_groups``). Every kind passed to ``notify``
here must be listed."""

from __future__ import annotations

from learning.notify_groups import DECISIONS, WAITING, notice_kind_register

KINDS = {
    "signoff.waiting": WAITING,
    "signoff.decided": DECISIONS,
    "portfolio.discussion_waiting": WAITING,
    "portfolio.discussion_confirmed": DECISIONS,
    "supervision.proposed": WAITING,
    "supervision.accepted": WAITING,
    "supervision.awaiting_confirmation": WAITING,
    "supervision.change_requested": WAITING,
    "supervision.session_due": WAITING,
    "supervision.action_due": WAITING,
}


def register() -> None:
    for kind, group in KINDS.items():
        notice_kind_register(kind, group)
