"""A firm's members and the invitations that bring people in, as plain values.

A member is a principal with a `MEMBER_OF {role}` relationship to the organization (one
per person and firm here; a principal given several roles by the CLI counts once, in its
strongest). An invitation asks one e-mail address to join a firm in a role, or to operate
a park; it is good once, until it expires, unless revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hub.identity.model import RoleKind


class MemberRole(StrEnum):
    """A member's role in a firm: each is a role kind scoped to the firm's USCC."""

    PROVIDER = "provider"
    REQUESTER = "requester"
    FIRM_ADMIN = "firm_admin"

    @property
    def kind(self) -> RoleKind:
        return RoleKind(self.value)


# The strongest first: what a principal with several roles in one firm is shown as.
STRENGTH = (MemberRole.FIRM_ADMIN, MemberRole.PROVIDER, MemberRole.REQUESTER)
OPERATOR = "operator"  # the role an invitation to a park gives

# How the invitation e-mail names the role (its template says "as {{ role }}").
ROLE_NAMES: dict[str, dict[str, str]] = {
    MemberRole.PROVIDER: {"zh": "服务方成员", "en": "a provider member"},
    MemberRole.REQUESTER: {"zh": "需求方成员", "en": "a requester member"},
    MemberRole.FIRM_ADMIN: {"zh": "机构管理员", "en": "a firm administrator"},
    OPERATOR: {"zh": "园区运营人员", "en": "a park operator"},
}


def strongest(roles: set[str]) -> MemberRole | None:
    return next((r for r in STRENGTH if r.value in roles), None)


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"  # never stored: a pending invitation past its expiry


@dataclass(frozen=True)
class Member:
    person_id: str
    email: str  # the principal's handle (a person's e-mail)
    display_name: str
    role: MemberRole
    second_factor: bool = False  # a person with a second factor turned on


@dataclass(frozen=True)
class Invitation:
    id: str
    email: str
    role: str  # a MemberRole's value, or OPERATOR
    uscc: str | None  # the firm it is to join, or
    park: str | None  # the park it is to operate
    target_name_zh: str
    target_name_en: str
    language: str
    invited_by: str  # the inviter's handle
    created_at: datetime
    expires_at: datetime
    stored_state: InvitationState
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None

    def state(self, now: datetime) -> InvitationState:
        if self.stored_state is InvitationState.PENDING and self.expires_at <= now:
            return InvitationState.EXPIRED
        return self.stored_state


@dataclass(frozen=True)
class Roster:
    """A firm's members and its invitations still pending."""

    uscc: str
    members: list[Member]
    invitations: list[Invitation]
    second_factor_required: bool = False  # of its members, to act for it


@dataclass(frozen=True)
class Operator:
    person_id: str
    email: str  # the principal's handle
    display_name: str


@dataclass(frozen=True)
class Operators:
    """A park's operators and its invitations still pending."""

    park: str
    operators: list[Operator]
    invitations: list[Invitation]
