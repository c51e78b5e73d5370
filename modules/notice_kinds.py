"""The modules' kinds of notice and the group each belongs to, for each person's email
settings (``learning.notify_groups``). Every kind passed to ``notify`` here must be listed."""

from __future__ import annotations

from learning.notify_groups import WAITING, notice_kind_register

KINDS = {
    "assignment.assigned": WAITING,
    "assignment.reminder": WAITING,
    "assignment.overdue": WAITING,
    "certificate.ready": WAITING,
}


def register() -> None:
    for kind, group in KINDS.items():
        notice_kind_register(kind, group)
