"""Writes to a person's own details: check, change and audit in one transaction."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from learning.details.forms import NAME_MAX_LENGTH
from learning.details.registers import (
    registers_with_numbers,
    registration_number_error,
    registration_number_normalise,
)
from learning.models import ProfessionalRegister, ProfessionalRole, User
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


DECLARATION_FIELDS = (
    "practice_hours",
    "reflective_discussion_on",
    "health_character_on",
    "indemnity_on",
    "confirmation_on",
)
PRACTICE_HOURS_MAX = 100000


@transaction.atomic
def details_revalidation_set(
    *,
    user: User,
    practice_hours: int | None,
    reflective_discussion_on: date | None,
    health_character_on: date | None,
    indemnity_on: date | None,
    confirmation_on: date | None,
) -> User:
    """Record what ``user`` declares for revalidation. The dates are of steps already done, so
    none is in the future. The audit row names the fields that changed, never their values."""
    errors: dict[str, str] = {}
    if practice_hours is not None and not 0 <= practice_hours <= PRACTICE_HOURS_MAX:
        errors["practice_hours"] = _("Enter your practice hours as a whole number")
    today = timezone.localdate()
    dates = {
        "reflective_discussion_on": reflective_discussion_on,
        "health_character_on": health_character_on,
        "indemnity_on": indemnity_on,
        "confirmation_on": confirmation_on,
    }
    for name, when in dates.items():
        if when is not None and when > today:
            errors[name] = _("The date must be today or in the past")
    if errors:
        raise ValidationError(errors)
    values: dict[str, object] = {"practice_hours": practice_hours, **dates}
    changed = sorted(name for name, value in values.items() if getattr(user, name) != value)
    if changed:
        User.objects.filter(pk=user.pk).update(**values)
        for name, value in values.items():
            setattr(user, name, value)
        audit_record(
            action="account.revalidation_declared",
            actor=user,
            target=user,
            data={"fields": changed},
        )
    return user


PROFESSIONAL_FIELDS = (
    "professional_role",
    "professional_register",
    "registration_number",
    "registration_renewal_on",
    "employee_number",
    "registration_number_shown",
)
EMPLOYEE_NUMBER_MAX_LENGTH = 30


@transaction.atomic
def details_professional_set(
    *,
    user: User,
    professional_role: str,
    professional_register: str,
    registration_number: str,
    registration_renewal_on: date | None,
    employee_number: str,
    registration_number_shown: bool,
) -> User:
    """Set ``user``'s professional details. The number is checked against its register's
    format; a person not on a register has no number. The audit row names the fields that
    changed, never their values."""
    errors: dict[str, str] = {}
    if professional_role not in {"", *ProfessionalRole.values}:
        errors["professional_role"] = _("Select your professional role")
    if professional_register not in {"", *ProfessionalRegister.values}:
        errors["professional_register"] = _("Select the register you are on")
    number = registration_number_normalise(registration_number)
    if professional_register in registers_with_numbers():
        if not number:
            errors["registration_number"] = _("Enter your registration number")
        elif message := registration_number_error(professional_register, number):
            errors["registration_number"] = message
    else:
        number = ""
    employee = " ".join(employee_number.split())
    if len(employee) > EMPLOYEE_NUMBER_MAX_LENGTH:
        errors["employee_number"] = _(
            "Your employee number must be %(limit)d characters or fewer"
        ) % {"limit": EMPLOYEE_NUMBER_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    if professional_register in ("", ProfessionalRegister.NONE):
        registration_renewal_on = None
    values = {
        "professional_role": professional_role,
        "professional_register": professional_register,
        "registration_number": number,
        "registration_renewal_on": registration_renewal_on,
        "employee_number": employee,
        "registration_number_shown": bool(registration_number_shown and number),
    }
    changed = sorted(name for name, value in values.items() if getattr(user, name) != value)
    if changed:
        User.objects.filter(pk=user.pk).update(**values)
        for name, value in values.items():
            setattr(user, name, value)
        audit_record(
            action="account.professional_details_changed",
            actor=user,
            target=user,
            data={"fields": changed},
        )
    return user


@transaction.atomic
def details_language_set(*, user: User, language: str) -> bool:
    """Keep ``language`` (one of ``settings.LANGUAGES``) as ``user``'s choice, applied on
    every page they open signed in and to the emails they get. Returns False if it was
    already their choice (nothing written, nothing audited)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose English or Welsh")})
    changed = User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
    user.language = language
    # The editor's interface (Wagtail admin) follows the same choice: Wagtail's own preferred
    # language, if the person has set one there, would otherwise win over it.
    UserProfile.objects.filter(user=user).exclude(preferred_language=language).update(
        preferred_language=language
    )
    if changed:
        audit_record(
            action="account.language_set", actor=user, target=user, data={"language": language}
        )
    return bool(changed)
