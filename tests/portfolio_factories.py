"""Builders for revalidation portfolio tests: external CPD made directly (fast); the services
are exercised by the tests that need them."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from reflection.portfolio.models import ExternalCpd, PracticeFeedback

from .data_builders import builds_test_data

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@builds_test_data
def make_external_cpd(
    owner,
    *,
    title: str = "Perinatal mental health study day",
    done_on: date | None = None,
    minutes: int = 360,
    participatory: bool = True,
    themes: list[str] | None = None,
    evidence: bool = False,
) -> ExternalCpd:
    item = ExternalCpd(
        owner=owner,
        done_on=done_on or timezone.localdate() - timedelta(days=30),
        title=title,
        kind="course",
        minutes=minutes,
        participatory=participatory,
        learnt="Screening questions for anxiety.",
        practice_change="I ask about anxiety at every contact.",
        themes=themes if themes is not None else ["nmc_people"],
    )
    if evidence:
        item.evidence_name = "certificate.pdf"
        item.evidence.save("certificate.pdf", ContentFile(PDF_BYTES), save=False)
    item.save()
    return item


@builds_test_data
def make_feedback(owner, *, received_on: date | None = None, source: str = "colleagues"):
    return PracticeFeedback.objects.create(
        owner=owner,
        received_on=received_on or timezone.localdate() - timedelta(days=10),
        source=source,
        summary="A colleague said my handover was clear.",
        learnt="I keep using the structured handover.",
    )


@builds_test_data
def make_discussion(owner, confirmer, *, confirmed: bool = False, discussed_on: date | None = None):
    """A reflective discussion asked of ``confirmer`` (confirmed with their PIN if asked)."""
    from reflection.portfolio.discussion import frozen_text
    from reflection.portfolio.models import ReflectiveDiscussion
    from reflection.signoff.models import summary_hash

    when = discussed_on or timezone.localdate() - timedelta(days=7)
    summary = "We discussed my five accounts and how I use supervision."
    item = ReflectiveDiscussion(
        owner=owner,
        discussed_on=when,
        partner_name="Alex Morgan",
        summary=summary,
        content_hash=summary_hash(
            frozen_text(discussed_on=when, partner_name="Alex Morgan", summary=summary)
        ),
        confirmer=confirmer,
    )
    if confirmed:
        item.status = ReflectiveDiscussion.Status.CONFIRMED
        item.confirmed_at = timezone.now()
        item.confirmer_name = confirmer.get_full_name()
        item.confirmer_pin = confirmer.registration_number or "12A3456E"
    item.save()
    return item
