"""Reflection's scale steps (journal entries and sign-off requests, supervision) and the
benchmark pages they serve, registered from ``ReflectionConfig.ready()``."""

from __future__ import annotations

from django.urls import reverse

from learning.scale.registry import register_scale_page, register_scale_step, register_scale_tables


def _tables():
    from reflection.models import (
        JournalEntry,
        SignOffRequest,
        SupervisionRelationship,
        SupervisionSession,
    )

    return [JournalEntry, SignOffRequest, SupervisionRelationship, SupervisionSession]


def register() -> None:
    from reflection.scale.journal import seed_journal
    from reflection.scale.supervision import seed_supervision

    register_scale_tables("reflection", _tables)
    register_scale_step("reflection.journal", seed_journal, order=50, bench_keys=("journal_entry",))
    register_scale_step("reflection.supervision", seed_supervision, order=60)
    register_scale_page(
        "journal_list", lambda bench: reverse("journal_list"), persona="practitioner", order=60
    )
    register_scale_page(
        "journal_entry",
        lambda bench: reverse("journal_detail", args=[bench["journal_entry"]]),
        persona="practitioner",
        order=70,
    )
    register_scale_page(
        "signoff_queue", lambda bench: reverse("signoff_queue"), persona="supervisor", order=80
    )
    register_scale_page(
        "supervision_list",
        lambda bench: reverse("supervision_home"),
        persona="practitioner",
        order=90,
    )
