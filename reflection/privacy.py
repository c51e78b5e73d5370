"""Privacy handlers for the journal, sign-off and supervision (see learning/privacy/__init__.py).

Chosen approach:
- The journal, drafts and the person's own check-ins are deleted.
- A signed-off learning summary survives its author's erasure, pseudonymised: the author is set
  to empty and shown as "A former member", so the supervisor's sign-off record stays as they saw
  it. Versions not signed off are deleted.
- When a *supervisor* erases their account, the supervisee's records stay: relationships are
  ended and the supervisor set to empty ("A former supervisor"); sessions they recorded, actions
  they owned and addenda they wrote stay on the supervisee's record, unlinked.

Exports: the person's own journal, drafts and check-ins are exported whole. Sign-off requests,
relationships, session records, actions and addenda are shared records, so they are exported
through the scoped selectors the sign-off and supervision pages use: a supervisor's download
holds only the summaries their sign-off queue shows (never a withdrawn version, nor one from a
supervisory link that has ended), and only the records of relationships they are a party to.
"""

from __future__ import annotations

from functools import partial
from pathlib import PurePath

from django.utils import timezone

from learning.privacy import (
    combine,
    delete_files,
    exports_join,
    m2m_delete,
    m2m_export,
    register,
    register_document,
    register_files,
    rows_delete,
    rows_export,
    rows_unlink,
    scoped_export,
)
from reflection.models import SignOffRequest
from reflection.signoff.selectors import (
    signoff_requests_for_author,
    signoff_requests_for_supervisor,
)
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionAddendum,
    SupervisionRelationship,
)
from reflection.supervision.selectors import relationships_for, sessions_visible_to

DELETED = "Deleted with the account."
KEPT = "Kept on the other person's record, with the link to them set to empty (pseudonymised)."


def _journal_pdf(user) -> bytes | None:
    from reflection.journal.exports import journal_export_rows, journal_pdf

    rows = journal_export_rows(user)
    return journal_pdf(rows, holder_name=str(user)) if rows else None


def _supervision_pdf(user) -> bytes | None:
    from reflection.supervision.exports import supervision_log_pdf, supervision_log_rows

    rows = supervision_log_rows(user, include_summaries=True)
    if not rows:
        return None
    return supervision_log_pdf(rows, holder_name=str(user), include_summaries=True)


register_document("journal.pdf", _journal_pdf)
register_document("supervision-log.pdf", _supervision_pdf)


def _evidence_files(user):
    """The person's external CPD evidence files, named by entry id and the name they gave each
    (two entries may hold files of the same name)."""
    from reflection.portfolio.models import ExternalCpd

    rows = (
        ExternalCpd.objects.filter(owner_id=user.pk)
        .exclude(evidence="")
        .order_by("pk")
        .only("pk", "evidence", "evidence_name")
    )
    for row in rows:
        name = PurePath(row.evidence_name or "evidence").name or "evidence"
        if not row.evidence.storage.exists(row.evidence.name):
            continue
        yield f"{row.pk}-{name}", partial(row.evidence.storage.open, row.evidence.name, "rb")


register_files("cpd-evidence", _evidence_files)

register(
    "reflection.JournalEntry",
    fields=["author"],
    export=rows_export("reflection.JournalEntry", ["author"]),
    erase=rows_delete("reflection.JournalEntry", ["author"]),
    note="Deleted: every entry and draft in their journal.",
    order=60,
)


def _signoffs_erase(user) -> None:
    SignOffRequest.objects.filter(author_id=user.pk).exclude(
        status=SignOffRequest.Status.SIGNED_OFF
    ).delete()
    SignOffRequest.objects.filter(author_id=user.pk).update(author=None, entry=None)
    SignOffRequest.objects.filter(supervisor_id=user.pk).update(supervisor=None)


register(
    "reflection.SignOffRequest",
    fields=["author", "supervisor"],
    export=exports_join(
        # Their own summaries, every version (as on "Shared for sign-off").
        scoped_export("reflection.SignOffRequest", signoff_requests_for_author),
        # As a supervisor: the sign-off queue's requests only; the author's journal entry is
        # never theirs to see, so not even its number is included.
        scoped_export(
            "reflection.SignOffRequest", signoff_requests_for_supervisor, exclude=["entry"]
        ),
    ),
    erase=_signoffs_erase,
    note=(
        "A signed-off summary stays with the supervisor's sign-off record as they saw it, "
        'shown as from "A former member"; versions not signed off are deleted. Summaries they '
        'signed as a supervisor stay with the author, shown as "A former supervisor".'
    ),
    order=55,
)


def _relationships_erase(user) -> None:
    today = timezone.localdate()
    S = SupervisionRelationship.Status
    SupervisionRelationship.objects.filter(supervisee_id=user.pk).delete()
    for rel in SupervisionRelationship.objects.filter(supervisor_id=user.pk):
        if rel.status == S.ACTIVE:
            rel.status = S.ENDED
            rel.ended_on = max(today, rel.started_on)
        elif rel.status == S.PROPOSED:
            rel.status = S.DECLINED
            rel.decided_at = timezone.now()
        rel.supervisor = None
        rel.save(update_fields=["status", "ended_on", "decided_at", "supervisor"])
    SupervisionRelationship.objects.filter(proposed_by_id=user.pk).update(proposed_by=None)


register(
    "reflection.SupervisionRelationship",
    fields=["supervisee", "supervisor", "proposed_by"],
    export=scoped_export("reflection.SupervisionRelationship", relationships_for),
    erase=_relationships_erase,
    note=(
        "As a supervisee: deleted, with the sessions, check-ins and actions on them. As a "
        'supervisor: ended and kept for the supervisee, shown as "A former supervisor".'
    ),
    order=70,
)
register(
    "reflection.SupervisionSession",
    fields=["author", "attendees"],
    export=exports_join(
        scoped_export(
            "reflection.SupervisionSession",
            lambda user: sessions_visible_to(user).filter(author_id=user.pk),
        ),
        # The link rows only (session and person numbers): that they attended, no content.
        m2m_export("reflection.SupervisionSession", "attendees"),
    ),
    erase=combine(
        rows_unlink("reflection.SupervisionSession", ["author"]),
        m2m_delete("reflection.SupervisionSession", "attendees"),
    ),
    note=KEPT,
    order=75,
)


def actions_owned_by(user):
    """Actions the person owns, on relationships they are still a party to (as on the session
    pages and the supervision page)."""
    return SupervisionAction.objects.filter(
        owner_id=user.pk, relationship__in=relationships_for(user)
    )


def addenda_written_by(user):
    """Addenda the person wrote, on session records they can still open."""
    return SupervisionAddendum.objects.filter(
        author_id=user.pk, session__in=sessions_visible_to(user)
    )


for label, field, visible in (
    ("reflection.SupervisionAction", "owner", actions_owned_by),
    ("reflection.SupervisionAddendum", "author", addenda_written_by),
):
    register(
        label,
        fields=[field],
        export=scoped_export(label, visible),
        erase=rows_unlink(label, [field]),
        note=KEPT,
        order=75,
    )
register(
    "reflection.SupervisionCheckIn",
    fields=["supervisee"],
    export=rows_export("reflection.SupervisionCheckIn", ["supervisee"]),
    erase=rows_delete("reflection.SupervisionCheckIn", ["supervisee"]),
    note=DELETED,
)
register(
    "reflection.SupervisionCalendarToken",
    fields=["user"],
    export=rows_export("reflection.SupervisionCalendarToken", ["user"], exclude=["token_hash"]),
    erase=rows_delete("reflection.SupervisionCalendarToken", ["user"]),
    note=DELETED,
)
register(
    "reflection.SupervisionReminderSent",
    fields=["recipient"],
    export=rows_export("reflection.SupervisionReminderSent", ["recipient"]),
    erase=rows_delete("reflection.SupervisionReminderSent", ["recipient"]),
    note=DELETED,
)


register(
    "reflection.ExternalCpd",
    fields=["owner"],
    # The rows whole, with the evidence file's name; the files themselves go in the archive's
    # files/cpd-evidence/ folder (``register_files`` above).
    export=rows_export("reflection.ExternalCpd", ["owner"]),
    erase=combine(
        delete_files("reflection.ExternalCpd", ["owner"], file_field="evidence"),
        rows_delete("reflection.ExternalCpd", ["owner"]),
    ),
    note="Deleted: CPD they logged in their revalidation portfolio, with its evidence files.",
    order=60,
)

register(
    "reflection.PracticeFeedback",
    fields=["owner"],
    export=rows_export("reflection.PracticeFeedback", ["owner"]),
    erase=rows_delete("reflection.PracticeFeedback", ["owner"]),
    note="Deleted: the practice-related feedback they logged for revalidation.",
    order=60,
)


def _shares_export(user) -> list[dict]:
    """The person's shares with their opening logs; never the token's hash."""
    from reflection.shares.models import PortfolioShare, PortfolioShareOpening

    skip = {"token_hash"}
    names = [f.attname for f in PortfolioShare._meta.concrete_fields if f.name not in skip]
    shares = list(PortfolioShare.objects.filter(owner_id=user.pk).values(*names).order_by("pk"))
    openings: dict[int, list[dict]] = {}
    for row in (
        PortfolioShareOpening.objects.filter(share__owner_id=user.pk)
        .values("share_id", "kind", "opened_at")
        .order_by("pk")
    ):
        openings.setdefault(row.pop("share_id"), []).append(row)
    evidence: dict[int, list[int]] = {}
    for share_id, item_id in PortfolioShare.evidence.through.objects.filter(
        portfolioshare__owner_id=user.pk
    ).values_list("portfolioshare_id", "externalcpd_id"):
        evidence.setdefault(share_id, []).append(item_id)
    for share in shares:
        share["openings"] = openings.get(share["id"], [])
        share["evidence"] = evidence.get(share["id"], [])
    return shares


register(
    "reflection.PortfolioShare",
    fields=["owner"],
    export=_shares_export,
    # The shares go, and with them (by the database) their opening logs and evidence links.
    erase=rows_delete("reflection.PortfolioShare", ["owner"]),
    note="Deleted: links they made to share their revalidation portfolio, with each link's "
    "record of when it was opened.",
    order=60,
)

register(
    "reflection.ReflectiveDiscussion",
    fields=["owner", "confirmer"],
    # The owner's own records whole; a confirmer gets the ones addressed to them, as the confirm
    # page shows them.
    export=rows_export("reflection.ReflectiveDiscussion", ["owner", "confirmer"]),
    erase=combine(
        rows_delete("reflection.ReflectiveDiscussion", ["owner"]),
        rows_unlink("reflection.ReflectiveDiscussion", ["confirmer"]),
    ),
    note=(
        "Deleted: reflective discussions they recorded. A discussion they confirmed for "
        "someone else stays on that person's record with the name and PIN they confirmed "
        "with, and the link to them set to empty."
    ),
    order=60,
)
