"""Certificates of completion: services (issue, build the PDF) and selectors.

What a certificate shows is frozen when it is issued. Its code is the only thing the public
verification page needs; the PDF is built by a task after the issuing transaction commits.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import permissions
from learning.language import in_language_of, language_of
from learning.models import User
from learning.notify import notify
from learning.queue import enqueue_on_commit
from learning.services import audit_record
from learning.site_url import absolute_url
from modules import pdf
from modules.models import Certificate, ModulePage
from modules.pages.translation import content_language, live_translation
from modules.progress.learning_events import learning_event_certificate_issued

# No 0/O or 1/I, so a code read aloud or retyped from paper is unambiguous.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "HH"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
# "HH-XXXX-XXXX-XXXX": 12 random characters, 60 bits.
CODE_LENGTH = len(CODE_PREFIX) + CODE_GROUPS * (CODE_GROUP_LENGTH + 1)
_CODE_ATTEMPTS = 5


def certificate_code_new() -> str:
    """A fresh random code such as ``HH-7KQM-XW3D-PA9T``."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join((CODE_PREFIX, *groups))


def certificate_code_normalise(code: str) -> str:
    """What someone typed, in the stored form: upper case, hyphens where they belong."""
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    random_length = CODE_GROUPS * CODE_GROUP_LENGTH
    if len(compact) == len(CODE_PREFIX) + random_length and compact.startswith(CODE_PREFIX):
        compact = compact[len(CODE_PREFIX) :]
    if len(compact) != random_length:
        return code.strip().upper()
    step = CODE_GROUP_LENGTH
    return "-".join([CODE_PREFIX, *(compact[i : i + step] for i in range(0, random_length, step))])


def certificate_verify_url(code: str) -> str:
    return absolute_url(reverse("certificate_verify", kwargs={"code": code}))


# --- Selectors ------------------------------------------------------------------------------


def certificates_visible_to(user: User | None) -> QuerySet[Certificate]:
    """The certificates a signed-in person may download: their own, and nobody else's."""
    if not permissions.is_signed_in(user):
        return Certificate.objects.none()
    return Certificate.objects.filter(user=user)


def certificates_for(user: User | None) -> QuerySet[Certificate]:
    """A person's certificates, newest first (for "My learning")."""
    return certificates_visible_to(user).order_by("-issued_at", "-pk")


def certificate_for_verification(code: str) -> Certificate | None:
    """The certificate behind a public verification code, or None. Only the frozen fields the
    verification page shows are loaded."""
    return (
        Certificate.objects.filter(code=certificate_code_normalise(code))
        .only("code", "holder_name", "module_title", "cpd_minutes", "completed_on", "issued_at")
        .first()
    )


# --- Services -------------------------------------------------------------------------------


def _module_title(user: User, module: ModulePage) -> str:
    """The module's title in its holder's language: the live translation's where there is one
    (the certificate is one for both versions of the module), otherwise the English title."""
    translated = live_translation(module, content_language(language_of(user)))
    return translated.title if translated is not None else module.title


def certificate_issue(*, user: User, module: ModulePage, completed_on: date) -> Certificate:
    """Issue ``user``'s certificate for ``module`` (or return the one they already have).

    The holder's name, the module's title and its CPD minutes are frozen now; the PDF is built
    by a task once the transaction commits."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied
    existing = Certificate.objects.filter(user=user, module=module).first()
    if existing is not None:
        return existing
    for _attempt in range(_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    user=user,
                    module=module,
                    code=certificate_code_new(),
                    holder_name=user.get_full_name(),
                    module_title=_module_title(user, module),
                    cpd_minutes=module.cpd_minutes,
                    completed_on=completed_on,
                )
                audit_record(
                    action="certificate.issued",
                    actor=user,
                    target=certificate,
                    data={"module_id": module.pk},
                )
                learning_event_certificate_issued(user=user, module=module, code=certificate.code)
                _enqueue_pdf(certificate)
                return certificate
        except IntegrityError:
            # Either someone else issued it a moment ago, or the code collided: look again.
            existing = Certificate.objects.filter(user=user, module=module).first()
            if existing is not None:
                return existing
    raise RuntimeError("Could not find an unused certificate code.")


def _enqueue_pdf(certificate: Certificate) -> None:
    from modules.certificates.tasks import certificate_generate_pdf

    enqueue_on_commit(certificate_generate_pdf, certificate.pk)


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate in its holder's language (built in a task, so it is set here)."""
    with in_language_of(certificate.user):
        return pdf.certificate_pdf(
            holder_name=certificate.holder_name,
            module_title=certificate.module_title,
            completed_on=certificate.completed_on,
            cpd_minutes=certificate.cpd_minutes,
            code=certificate.code,
            verify_url=certificate_verify_url(certificate.code),
            issued_on=timezone.localdate(certificate.issued_at),
        )


def certificate_pdf_build(*, certificate_id: int) -> bool:
    """Build the certificate's PDF, mark it ready and tell its holder, once.

    Returns False when there is nothing (left) to do. The pending → ready change is a
    conditional update, so two runs at once build at most one file that is kept and tell the
    holder once; the notice and its queued email are written in the same transaction."""
    certificate = (
        Certificate.objects.filter(pk=certificate_id, status=Certificate.Status.PENDING)
        .select_related("user")
        .first()
    )
    if certificate is None:
        return False
    field = certificate.pdf
    field.save(
        f"{secrets.token_urlsafe(18)}.pdf",
        ContentFile(certificate_pdf_bytes(certificate)),
        save=False,
    )
    name = field.name
    try:
        with transaction.atomic():
            claimed = Certificate.objects.filter(
                pk=certificate_id, status=Certificate.Status.PENDING
            ).update(status=Certificate.Status.READY, pdf=name)
            if not claimed:
                field.storage.delete(name)
                return False
            certificate.status = Certificate.Status.READY
            audit_record(
                action="certificate.ready",
                target=certificate,
                data={"module_id": certificate.module_id},
            )
            certificate_ready_notify(certificate=certificate)
    except Exception:
        field.storage.delete(name)
        raise
    return True


def certificate_ready_notify(*, certificate: Certificate) -> bool:
    """Tell the holder, on the site and by email as they chose, that their certificate is
    ready: the module's title and a link, nothing else."""
    user = certificate.user
    if user is None or not user.is_active:
        return False
    return (
        notify(
            recipient=user,
            kind="certificate.ready",
            message=lambda: (
                _("Your certificate for %(module)s is ready.")
                % {"module": certificate.module_title}
            ),
            # The module's "module complete" page, which has the certificate: never the code
            # itself, which an email would carry to wherever it is forwarded.
            url=reverse("module_complete", args=[certificate.module_id])
            if certificate.module_id
            else reverse("my_learning"),
            key=f"certificate.ready.{certificate.pk}",
        )
        is not None
    )


def certificate_of(user: User | None, module: ModulePage) -> Certificate | None:
    """``user``'s certificate for ``module``, if they have one (one query)."""
    return certificates_visible_to(user).filter(module=module).first()
