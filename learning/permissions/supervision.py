"""The rulebook's rules for supervision (``reflection.supervision``): who may answer a proposal,
record, change, confirm or add to a session record, check in, and see an organisation's
supervision frequency. ``learning.permissions`` imports every rule here; ask for them from
there."""

from __future__ import annotations

from learning.models import Organisation, Role
from learning.permission_types import RelationshipLike, SupervisionSessionLike
from learning.permissions.roles import Person, _pk, is_signed_in, roles_for

# --- Supervision ---------------------------------------------------------------------------
# Rules for supervision relationships, sessions, check-ins and actions (reflection.supervision).
# Objects come from the scoped selectors; these rules decide what a party may do with them.


def can_use_supervision(user: Person) -> bool:
    """Anyone signed in keeps their own supervision records."""
    return is_signed_in(user)


def is_supervision_party(user: Person, relationship: RelationshipLike) -> bool:
    """The supervisee and the supervisor of a relationship, and nobody else."""
    parties = (relationship.supervisee_id, relationship.supervisor_id)
    return is_signed_in(user) and user.pk in parties


def can_answer_supervision_proposal(user: Person, relationship: RelationshipLike) -> bool:
    """The person who did not propose accepts or declines."""
    return (
        is_supervision_party(user, relationship)
        and relationship.is_proposed
        and relationship.proposed_by_id != _pk(user)
    )


def can_record_supervision_session(user: Person, relationship: RelationshipLike) -> bool:
    return is_supervision_party(user, relationship) and relationship.is_active


def can_change_supervision_session(user: Person, session: SupervisionSessionLike) -> bool:
    """Only the writer changes a record, and never once both have confirmed it."""
    return is_signed_in(user) and session.author_id == user.pk and not session.is_locked


def can_confirm_supervision_session(user: Person, session: SupervisionSessionLike) -> bool:
    """The other party confirms (or asks for a change to) a submitted record."""
    return (
        is_supervision_party(user, session.relationship)
        and session.author_id != _pk(user)
        and session.is_submitted
    )


def can_add_supervision_addendum(user: Person, session: SupervisionSessionLike) -> bool:
    return is_supervision_party(user, session.relationship) and session.is_locked


def can_check_in(user: Person, session: SupervisionSessionLike) -> bool:
    """The supervisee's own check-in, until the record is locked."""
    return (
        is_signed_in(user)
        and session.relationship.supervisee_id == user.pk
        and not session.is_locked
    )


def can_view_organisation_supervision(user: Person, organisation: Organisation) -> bool:
    """Organisation admins see supervision frequency (dates, durations, types), never content."""
    return is_signed_in(user) and Role.ORG_ADMIN in roles_for(user).roles_in(organisation)
