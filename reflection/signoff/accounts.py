"""Signed-off reflections as written reflective accounts (the NMC revalidation form).

A reflective account is built from what the supervisor signed off — the frozen learning summary —
never from the private narrative. Only the author can see or download it; every download is
audited. The CPD record lists these through ``learning.records`` (registered in ``apps.py``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from learning import permissions
from learning.dates import nhs_date
from learning.models import User
from learning.records import ReflectiveAccount
from learning.services import audit_record
from reflection.journal.catalogue import ReflectiveModel
from reflection.journal.exports import html_text
from reflection.signoff.models import SignOffRequest

# The four themes of the NMC Code.
CODE_THEMES = (
    ("people", gettext_lazy("Prioritise people")),
    ("effective", gettext_lazy("Practise effectively")),
    ("safety", gettext_lazy("Preserve safety")),
    ("trust", gettext_lazy("Promote professionalism and trust")),
)
ACCOUNT_FORMATS = ("pdf", "txt")


def signed_off_requests_of(user) -> QuerySet[SignOffRequest]:
    """The author's own signed-off versions, kept after the entry is deleted."""
    if not permissions.is_signed_in(user):
        return SignOffRequest.objects.none()
    return (
        SignOffRequest.objects.filter(author_id=user.pk, status=SignOffRequest.Status.SIGNED_OFF)
        .select_related("entry", "entry__lesson", "supervisor")
        .order_by("-decided_at", "-pk")
    )


def _title(request: SignOffRequest) -> str:
    if request.entry is None:
        return _("A reflection you have since deleted (signed-off summary kept)")
    return request.entry.title


def _signed_by(request: SignOffRequest) -> str:
    # The supervisor may have erased their account since (the sign-off is kept, unlinked).
    name = request.supervisor.get_full_name() if request.supervisor else _("A former supervisor")
    return f"{name}, {request.signer_role}" if request.signer_role else name


def reflective_accounts_of(user) -> list[ReflectiveAccount]:
    """For the CPD record (one query)."""
    return [
        ReflectiveAccount(
            signed_on=timezone.localdate(r.decided_at),
            title=_title(r),
            signed_by=_signed_by(r),
            url=reverse("reflective_account", args=[r.pk]),
        )
        for r in signed_off_requests_of(user)[:500]
    ]


@dataclass(frozen=True)
class AccountText:
    title: str
    nature: str
    learning: str
    themes: list[str]
    signed_by: str
    signed_on: date
    comment: str
    content_hash: str
    version: int


def account_text(request: SignOffRequest, *, themes: list[str]) -> AccountText:
    entry = request.entry
    if entry is not None:
        # The model's name says what it is ("Gibbs' reflective cycle"): nothing is added to it.
        if entry.model == ReflectiveModel.FREE:
            nature = _(
                "An experience in my practice on %(date)s, which I reflected on in writing."
            ) % {"date": nhs_date(entry.experienced_on)}
        else:
            nature = _(
                "An experience in my practice on %(date)s, which I reflected on in writing "
                "using %(model)s."
            ) % {
                "date": nhs_date(entry.experienced_on),
                "model": ReflectiveModel(entry.model).label,
            }
        if entry.lesson_id:
            nature += " " + _("The reflection began from the learning module lesson “%(t)s”.") % {
                "t": entry.lesson.title
            }
    else:
        nature = _("An experience in my practice that I reflected on in writing.")
    chosen = dict(CODE_THEMES)
    return AccountText(
        title=_title(request),
        nature=nature,
        learning=html_text(request.summary),
        themes=[str(chosen[t]) for t in themes if t in chosen],
        signed_by=_signed_by(request),
        signed_on=timezone.localdate(request.decided_at),
        comment=request.comment,
        content_hash=request.content_hash,
        version=request.version,
    )


def account_plain_text(account: AccountText, *, holder_name: str) -> str:
    themes = ", ".join(account.themes) or _("(choose at least one theme)")
    parts = [
        _("Written reflective account"),
        _("Name: %(name)s") % {"name": holder_name},
        _("Reflection: %(title)s") % {"title": account.title},
        "",
        _(
            "What was the nature of the CPD activity, practice-related feedback or event or "
            "experience in your practice?"
        ),
        account.nature,
        "",
        _(
            "What did you learn from it, and how did you change or improve your practice as a "
            "result?"
        ),
        account.learning,
        "",
        _("How is this relevant to the Code?"),
        themes,
        "",
        _("Signed off by %(signer)s on %(date)s.")
        % {"signer": account.signed_by, "date": nhs_date(account.signed_on)},
    ]
    if account.comment:
        parts.append(_("Their comment: %(comment)s") % {"comment": account.comment})
    parts.append(
        _("Version %(v)s of the learning summary, SHA-256 %(hash)s.")
        % {"v": account.version, "hash": account.content_hash}
    )
    return "\n".join(parts) + "\n"


def account_pdf(account: AccountText, *, holder_name: str) -> bytes:
    from modules.pdf import _p, _styles, a4_document

    product = settings.HOPE_PRODUCT_NAME
    buffer = io.BytesIO()
    doc = a4_document(buffer, title=_("Written reflective account"))
    s = _styles()
    story = [
        _p(_("Written reflective account"), s["h1"]),
        _p(_("Name: %(name)s") % {"name": holder_name}, s["body"]),
        _p(account.title, s["h2"]),
    ]
    questions = (
        (
            _(
                "What was the nature of the CPD activity, practice-related feedback or event "
                "or experience in your practice?"
            ),
            account.nature,
        ),
        (
            _(
                "What did you learn from it, and how did you change or improve your practice "
                "as a result?"
            ),
            account.learning,
        ),
        (
            _("How is this relevant to the Code?"),
            ", ".join(account.themes) or _("(choose at least one theme)"),
        ),
    )
    for question, answer in questions:
        story.append(_p(question, s["cell_bold"]))
        for paragraph in answer.split("\n\n"):
            story.append(_p(paragraph, s["body"]))
        story.append(Spacer(1, 3 * mm))
    story.append(
        _p(
            _("Signed off by %(signer)s on %(date)s.")
            % {"signer": account.signed_by, "date": nhs_date(account.signed_on)},
            s["body"],
        )
    )
    if account.comment:
        story.append(_p(_("Their comment: %(c)s") % {"c": account.comment}, s["body"]))
    story.append(
        _p(
            _("Version %(v)s of the learning summary, SHA-256 %(hash)s. Produced by %(p)s.")
            % {"v": account.version, "hash": account.content_hash, "p": product},
            s["cell"],
        )
    )
    doc.build(story)
    return buffer.getvalue()


@transaction.atomic
def reflective_account_export_record(
    *, user: User, request: SignOffRequest, export_format: str, ip_address: str | None = None
) -> None:
    """The audit row for downloading a reflective account. Never content."""
    if not permissions.is_signed_in(user) or request.author_id != user.pk:
        raise PermissionDenied
    audit_record(
        action="signoff.account_exported",
        actor=user,
        target=request,
        ip_address=ip_address,
        data={"format": export_format, "version": request.version},
    )
