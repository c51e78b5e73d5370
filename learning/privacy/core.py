"""Privacy handlers for the core app's models (people, memberships, notifications, audit)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from learning.privacy import (
    combine,
    delete_files,
    exports_join,
    register,
    rows_delete,
    rows_export,
    rows_unlink,
)

User = get_user_model()
DELETED = "Deleted with the account."
PROFILE_FIELDS = (
    "id",
    "email",
    "display_name",
    "professional_role",
    "professional_register",
    "registration_number",
    "registration_renewal_on",
    "employee_number",
    "registration_number_shown",
    "practice_hours",
    "reflective_discussion_on",
    "health_character_on",
    "indemnity_on",
    "confirmation_on",
    "date_joined",
    "last_login",
    "is_active",
    "email_notifications",
    "always_show_content_notes",
    "name_asked_at",
    "language",
)


def _profile(user) -> list[dict]:
    row = User.objects.filter(pk=user.pk).values(*PROFILE_FIELDS).first()
    if row is None:
        return []
    row["groups"] = sorted(user.groups.values_list("name", flat=True))
    return [row]


register(
    "learning.User",
    fields=["groups", "user_permissions"],
    export=_profile,
    note=(
        "The account itself (never the password) and its platform groups. The account is "
        "deleted last, after every other handler has run."
    ),
)
register(
    "learning.Membership",
    fields=["user"],
    export=rows_export("learning.Membership", ["user"]),
    erase=rows_delete("learning.Membership", ["user"]),
    note=DELETED,
)


def _invitations_erase(user) -> None:
    from learning.models import Invitation

    Invitation.objects.filter(email__iexact=user.email).delete()
    rows_unlink("learning.Invitation", ["invited_by", "accepted_by"])(user)


def _invitations_sent(user) -> list[dict]:
    """Invitations the person sent to others, as the organisation's members page shows them:
    waiting ones, in organisations they still administer (another person's address is a
    shared record of the organisation, not the person's own)."""
    from learning.models import Invitation
    from learning.selectors import invitations_pending, organisations_administered_by

    names = [f.attname for f in Invitation._meta.concrete_fields if f.name != "nonce"]
    rows = []
    for organisation in organisations_administered_by(user):
        pending = invitations_pending(organisation).filter(invited_by_id=user.pk)
        rows += pending.values(*names).order_by("pk")
    return rows


register(
    "learning.Invitation",
    fields=["invited_by", "accepted_by"],
    export=exports_join(
        rows_export("learning.Invitation", ["accepted_by"], exclude=["nonce"]),
        _invitations_sent,
    ),
    erase=_invitations_erase,
    note=(
        "Invitations sent to their address are deleted; invitations they sent to others are "
        "kept for the organisation, with the link to them set to empty."
    ),
)
register(
    "learning.AuditEvent",
    fields=["actor"],
    export=rows_export("learning.AuditEvent", ["actor"]),
    note=(
        "Kept, pseudonymised: the audit log is append-only and never holds content; the "
        "database sets the actor to empty when the account is deleted (SET_NULL)."
    ),
)
for label in ("learning.Notification", "learning.NotificationDigest"):
    register(
        label,
        fields=["recipient"],
        export=rows_export(label, ["recipient"]),
        erase=rows_delete(label, ["recipient"]),
        note=DELETED,
    )
register(
    "learning.NotificationPreference",
    fields=["user"],
    export=rows_export("learning.NotificationPreference", ["user"]),
    erase=rows_delete("learning.NotificationPreference", ["user"]),
    note=DELETED,
)
register(
    "learning.ReportExport",
    fields=["requested_by"],
    export=rows_export("learning.ReportExport", ["requested_by"], exclude=["file"]),
    erase=combine(
        delete_files("learning.ReportExport", ["requested_by"]),
        rows_delete("learning.ReportExport", ["requested_by"]),
    ),
    note="Deleted with their files and the keys of those files.",
)
register(
    "learning.XapiStatement",
    fields=["user"],
    export=rows_export("learning.XapiStatement", ["user"]),
    erase=rows_delete("learning.XapiStatement", ["user"]),
    note=(
        "Learning records are deleted here, so unsent ones are never sent. Those already sent "
        "to the learning record store must be erased there by the deployer."
    ),
)
register(
    "learning.DataExport",
    fields=["user"],
    export=rows_export("learning.DataExport", ["user"], exclude=["file", "archive_key"]),
    erase=combine(
        delete_files("learning.DataExport", ["user"]),
        rows_delete("learning.DataExport", ["user"]),
    ),
    note="Deleted with their files and the keys of those files.",
)

# Work-account sign-ins (learning/signin/): which of our sessions each provider sign-in began.
register(
    "learning.ProviderSession",
    fields=["user"],
    export=rows_export("learning.ProviderSession", ["user"], exclude=["session_key"]),
    erase=rows_delete("learning.ProviderSession", ["user"]),
    note=DELETED,
)

# Email domains an organisation admin asked to link (learning/signin/domains.py): the domain,
# the address the link went to and when. The linked domain itself is the organisation's.
register(
    "learning.DomainClaim",
    fields=["requested_by"],
    export=rows_export("learning.DomainClaim", ["requested_by"], exclude=["nonce"]),
    erase=rows_delete("learning.DomainClaim", ["requested_by"]),
    note=DELETED,
)
