"""Writes to a person's own details: check, change and audit in one transaction."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.details.forms import NAME_MAX_LENGTH
from learning.models import User
from learning.services import audit_record


def _clean_name(display_name: str) -> str:
    name = " ".join(display_name.split())
    if not name:
        raise ValidationError({"display_name": _("Enter your full name")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "display_name": _("Your name must be %(limit)d characters or fewer")
                % {"limit": NAME_MAX_LENGTH}
            }
        )
    return name


@transaction.atomic
def details_name_set(*, user: User, display_name: str, at_signup: bool = False) -> User:
    """Set the name ``user`` is known by. The audit row says that it changed, never the
    name itself."""
    name = _clean_name(display_name)
    had_name = bool(user.display_name)
    if name != user.display_name:
        User.objects.filter(pk=user.pk).update(display_name=name)
        user.display_name = name
        audit_record(
            action="account.name_set" if at_signup or not had_name else "account.name_changed",
            actor=user,
            target=user,
            data={"at_signup": at_signup, "had_name": had_name},
        )
    return user


@transaction.atomic
def details_name_asked(*, user: User) -> bool:
    """Record that ``user``, who has no name, has been asked for one after signing in.
    Returns False if they have a name or were asked before (so they are asked once)."""
    asked = User.objects.filter(pk=user.pk, display_name="", name_asked_at=None).update(
        name_asked_at=timezone.now()
    )
    if asked:
        user.name_asked_at = timezone.now()
    return bool(asked)


@transaction.atomic
def details_language_set(*, user: User, language: str) -> bool:
    """Keep ``language`` (one of ``settings.LANGUAGES``) as ``user``'s choice, applied on
    every page they open signed in and to the emails they get. Returns False if it was
    already their choice (nothing written, nothing audited)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose English or Welsh")})
    changed = User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
    user.language = language
    if changed:
        audit_record(
            action="account.language_set", actor=user, target=user, data={"language": language}
        )
    return bool(changed)
