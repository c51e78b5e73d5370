"""A new site's first organisation, organisation admin and content reviewer, so that it can run
and publish without the Django admin (``manage.py bootstrap``). Each part is idempotent: what is
already there is kept and reported, never made twice."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils import timezone

from learning import permissions
from learning.models import Invitation, Membership, Organisation, Role, User
from learning.services import audit_record, group_membership_set, invitation_create
from modules.seed_curriculum import REVIEWERS_GROUP


@dataclass(frozen=True)
class FirstOrganisation:
    slug: str
    name: str
    kind: str
    region: str
    safeguarding_route: str


@dataclass
class BootstrapReport:
    lines: list[str] = field(default_factory=list)


def _email(value: str, what: str) -> str:
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(f"The {what} email address “{value}” is not valid.") from exc
    return email


def _organisation(data: FirstOrganisation, report: BootstrapReport) -> Organisation:
    route = (data.safeguarding_route or "").strip()
    if not route:
        raise ValidationError(
            "The organisation needs its safeguarding route: who staff contact about a current "
            "safeguarding concern, and how (for example the duty safeguarding lead's number)."
        )
    try:
        validate_slug(data.slug)
    except ValidationError as exc:
        raise ValidationError(
            f"The short name “{data.slug}” may use only letters, numbers, hyphens and underscores."
        ) from exc
    existing = Organisation.objects.filter(slug=data.slug).first()
    if existing is not None:
        if not existing.safeguarding_route.strip():
            existing.safeguarding_route = route
            existing.save(update_fields=["safeguarding_route"])
            report.lines.append(f"{existing.name}: already there; safeguarding route added.")
        else:
            report.lines.append(f"{existing.name}: already there, kept as it is.")
        return existing
    organisation = Organisation(
        slug=data.slug,
        name=data.name.strip(),
        kind=data.kind,
        region=data.region,
        safeguarding_route=route,
    )
    try:
        organisation.full_clean()
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise ValidationError(f"The organisation cannot be created: {problems}") from exc
    organisation.save()
    audit_record(
        action="organisation.created",
        organisation=organisation,
        target=organisation,
        data={"by": "bootstrap"},
    )
    report.lines.append(f"{organisation.name}: created, with its safeguarding route.")
    return organisation


def _invite_admin(organisation: Organisation, email: str, report: BootstrapReport) -> None:
    if (
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.ORG_ADMIN, user__email__iexact=email)
        .exists()
    ):
        report.lines.append(f"{email} is already an organisation admin: no invitation sent.")
        return
    pending = Invitation.objects.filter(
        organisation=organisation,
        email=email,
        role=Role.ORG_ADMIN,
        accepted_at=None,
        revoked_at=None,
        expires_at__gt=timezone.now(),
    ).first()
    if pending is not None:
        report.lines.append(
            f"{email} was already invited as organisation admin on "
            f"{pending.created_at:%d %B %Y}: not sent again."
        )
        return
    invitation_create(
        actor=None,
        organisation=organisation,
        email=email,
        role=Role.ORG_ADMIN,
        check_permission=False,
    )
    report.lines.append(f"{email}: invited as organisation admin (the email goes out now).")


def _name_reviewer(email: str, display_name: str, report: BootstrapReport) -> None:
    reviewers = Group.objects.filter(name=REVIEWERS_GROUP).first()
    if reviewers is None:
        raise ValidationError(
            f"The “{REVIEWERS_GROUP}” group is missing: run “manage.py migrate” first."
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, None, display_name=display_name or email)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"primary": True, "verified": False}
        )
        report.lines.append(
            f"{email}: account created without a password; they set one with “Forgot your "
            "password?” on the sign-in page, then set up two-factor authentication."
        )
    roles = permissions.roles_for(user)
    if user.groups.filter(pk=reviewers.pk).exists() and (roles.is_editor or user.is_superuser):
        report.lines.append(f"{email} is already a content reviewer.")
        return
    if not user.is_superuser and not roles.is_editor:
        group_membership_set(
            actor=None, user=user, group_name=permissions.CONTENT_EDITORS, member=True
        )
    user.groups.add(reviewers)
    permissions.forget_roles(user)
    audit_record(action="group.added", target=user, data={"group": REVIEWERS_GROUP})
    report.lines.append(f"{email}: content reviewer (can publish pages in the Wagtail admin).")


@transaction.atomic
def site_bootstrap(
    *,
    organisation: FirstOrganisation,
    admin_email: str,
    reviewer_email: str,
    reviewer_name: str = "",
) -> BootstrapReport:
    """Create the first organisation (its safeguarding route is required), invite its first
    organisation admin through the invitation service, and name the first content reviewer.
    Raises ``ValidationError`` with a sentence for bad input, before anything is written."""
    report = BootstrapReport()
    admin = _email(admin_email, "organisation admin's")
    reviewer = _email(reviewer_email, "content reviewer's")
    org = _organisation(organisation, report)
    _invite_admin(org, admin, report)
    _name_reviewer(reviewer, reviewer_name.strip(), report)
    return report
