"""GraphQL for members: a firm's members and invitations, park operators' invitations.
Thin: each resolver reads the request, calls a use case, answers its result or its
expected failure (a problem)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar, cast

import strawberry

from hub.api.context import Info
from hub.auth import client_address
from hub.graphql.problems import (
    ConflictProblem,
    InvalidInputProblem,
    NotFoundProblem,
    RateLimitedProblem,
    attempt_telling_retry,
)
from hub.members import service
from hub.members.model import (
    OPERATOR,
    Invitation,
    InvitationState,
    Member,
    MemberRole,
    Operator,
    Operators,
    Roster,
)
from hub.registry.uscc import normalize_uscc
from hub.time import now

T = TypeVar("T")

strawberry.enum(MemberRole, name="MemberRole")
strawberry.enum(InvitationState, name="InvitationState")


@strawberry.type(name="Member", description="A member of a firm, in their role there.")
class MemberType:
    person_id: strawberry.ID
    email: str
    display_name: str
    role: MemberRole
    second_factor: bool = strawberry.field(description="Has a second factor turned on.")

    @classmethod
    def of(cls, member: Member) -> MemberType:
        return cls(
            person_id=strawberry.ID(member.person_id),
            email=member.email,
            display_name=member.display_name,
            role=member.role,
            second_factor=member.second_factor,
        )


@strawberry.type(
    name="Invitation",
    description="An invitation to join a firm in a role (`uscc`, `role`) or to operate a "
    "park (`park`); good once, until `expiresAt`.",
)
class InvitationType:
    id: strawberry.ID
    email: str
    uscc: str | None
    park: str | None
    role: MemberRole | None = strawberry.field(description="Null for a park's operators.")
    name_zh: str = strawberry.field(description="The firm's or the park's name.")
    name_en: str
    language: str = strawberry.field(description="zh or en: the e-mail's language.")
    invited_by: str
    created_at: datetime
    expires_at: datetime
    state: InvitationState

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationType:
        role = None if invitation.role == OPERATOR else MemberRole(invitation.role)
        return cls(
            id=strawberry.ID(invitation.id),
            email=invitation.email,
            uscc=invitation.uscc,
            park=invitation.park,
            role=role,
            name_zh=invitation.target_name_zh,
            name_en=invitation.target_name_en,
            language=invitation.language,
            invited_by=invitation.invited_by,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            state=invitation.state(now()),
        )


@strawberry.type(description="A firm's members and its pending invitations.")
class FirmMembers:
    uscc: str
    members: list[MemberType]
    invitations: list[InvitationType]
    second_factor_required: bool = strawberry.field(
        description="Members act for the firm only with a second factor turned on."
    )

    @classmethod
    def of(cls, roster: Roster) -> FirmMembers:
        return cls(
            uscc=roster.uscc,
            members=[MemberType.of(m) for m in roster.members],
            invitations=[InvitationType.of(i) for i in roster.invitations],
            second_factor_required=roster.second_factor_required,
        )


@strawberry.type(name="ParkOperator", description="Someone who operates a park.")
class OperatorType:
    person_id: strawberry.ID
    email: str
    display_name: str

    @classmethod
    def of(cls, operator: Operator) -> OperatorType:
        return cls(
            person_id=strawberry.ID(operator.person_id),
            email=operator.email,
            display_name=operator.display_name,
        )


@strawberry.type(description="A park's operators and its pending invitations.")
class ParkOperators:
    park: str
    operators: list[OperatorType]
    invitations: list[InvitationType]

    @classmethod
    def of(cls, found: Operators) -> ParkOperators:
        return cls(
            park=found.park,
            operators=[OperatorType.of(o) for o in found.operators],
            invitations=[InvitationType.of(i) for i in found.invitations],
        )


@strawberry.type(description="Invited: the e-mail with the link is on its way.")
class Invited:
    invitation: InvitationType


@strawberry.type(description="Accepted: the caller's new role holds from the next request.")
class InvitationAccepted:
    invitation: InvitationType


@strawberry.type
class InvitationRevoked:
    invitation: InvitationType


@strawberry.type
class MemberRoleChanged:
    member: MemberType


@strawberry.type(description="Whether the firm's members need a second factor to act for it.")
class SecondFactorRule:
    uscc: str
    required: bool


@strawberry.type
class MemberRemoved:
    email: str


@strawberry.type
class ParkOperatorRemoved:
    email: str


Invalid = InvalidInputProblem
RemoveParkOperatorResult = Annotated[
    ParkOperatorRemoved | Invalid | NotFoundProblem, strawberry.union("RemoveParkOperatorResult")
]
InviteResult = Annotated[
    Invited | Invalid | NotFoundProblem | ConflictProblem | RateLimitedProblem,
    strawberry.union("InviteResult"),
]
AcceptInvitationResult = Annotated[
    InvitationAccepted | Invalid | NotFoundProblem | ConflictProblem,
    strawberry.union("AcceptInvitationResult"),
]
RevokeInvitationResult = Annotated[
    InvitationRevoked | NotFoundProblem | ConflictProblem,
    strawberry.union("RevokeInvitationResult"),
]
ChangeMemberRoleResult = Annotated[
    MemberRoleChanged | Invalid | NotFoundProblem | ConflictProblem,
    strawberry.union("ChangeMemberRoleResult"),
]
RequireSecondFactorResult = Annotated[
    SecondFactorRule | Invalid | NotFoundProblem | ConflictProblem,
    strawberry.union("RequireSecondFactorResult"),
]
RemoveMemberResult = Annotated[
    MemberRemoved | Invalid | NotFoundProblem | ConflictProblem,
    strawberry.union("RemoveMemberResult"),
]


async def _answer(info: Info, change: Callable[[], Awaitable[T]]) -> Any:
    """The change's result, or its expected failure as a problem (with Retry-After)."""
    return await attempt_telling_retry(info.context.language, info.context.response, change)


def _form(info: Info, email: str, language: str) -> service.InviteForm:
    request = info.context.request
    address = "unknown" if request is None else client_address(request)
    return service.InviteForm(email, language, address)


@strawberry.type
class MembersQuery:
    @strawberry.field(
        description="A firm's members and pending invitations: to its members and the "
        "hub's administrators (null to anyone else)."
    )
    async def members(self, info: Info, uscc: str) -> FirmMembers | None:
        principal = info.context.require_principal()
        found = await service.roster(info.context.db, principal, uscc.strip().upper(), now())
        return None if found is None else FirmMembers.of(found)

    @strawberry.field(
        description="A park's operators and pending invitations: to its operators and the "
        "hub's administrators (null to anyone else)."
    )
    async def park_operators(self, info: Info, park: str) -> ParkOperators | None:
        principal = info.context.require_principal()
        found = await service.park_operators(info.context.db, principal, park.strip(), now())
        return None if found is None else ParkOperators.of(found)

    @strawberry.field(
        description="What an invitation link invites to (no sign-in needed: the link is "
        "the proof); null for an unknown link."
    )
    async def invitation(self, info: Info, token: str) -> InvitationType | None:
        found = await service.preview(info.context.db, token, now())
        return None if found is None else InvitationType.of(found[0])


@strawberry.type
class MembersMutation:
    @strawberry.mutation(
        description="Invite an e-mail address to a firm in a role (its administrators "
        "and the hub's); the link is mailed in `language` and is good for 7 days."
    )
    async def invite_member(
        self, info: Info, uscc: str, email: str, role: MemberRole, language: str = "zh"
    ) -> InviteResult:
        principal = info.context.require_principal()
        form = _form(info, email, language)

        async def change() -> Invited:
            db, settings = info.context.db, info.context.settings
            made = await service.invite_member(db, settings, principal, uscc, role, form, now())
            return Invited(invitation=InvitationType.of(made))

        return cast(InviteResult, await _answer(info, change))

    @strawberry.mutation(
        description="Invite an e-mail address to operate a park (the hub's administrators "
        "and the park's operators)."
    )
    async def invite_park_operator(
        self, info: Info, park: str, email: str, language: str = "zh"
    ) -> InviteResult:
        principal = info.context.require_principal()
        form = _form(info, email, language)

        async def change() -> Invited:
            db, settings = info.context.db, info.context.settings
            made = await service.invite_park_operator(db, settings, principal, park, form, now())
            return Invited(invitation=InvitationType.of(made))

        return cast(InviteResult, await _answer(info, change))

    @strawberry.mutation(
        description="Accept an invitation by its link's token: signed in (session or "
        "token) with the invited address, confirmed."
    )
    async def accept_invitation(self, info: Info, token: str) -> AcceptInvitationResult:
        principal = info.context.require_principal()

        async def change() -> InvitationAccepted:
            made = await service.accept_invitation(info.context.db, principal, token, now())
            return InvitationAccepted(invitation=InvitationType.of(made))

        return cast(AcceptInvitationResult, await _answer(info, change))

    @strawberry.mutation(description="Revoke a pending invitation.")
    async def revoke_invitation(self, info: Info, id: strawberry.ID) -> RevokeInvitationResult:
        principal = info.context.require_principal()

        async def change() -> InvitationRevoked:
            made = await service.revoke_invitation(info.context.db, principal, str(id), now())
            return InvitationRevoked(invitation=InvitationType.of(made))

        return cast(RevokeInvitationResult, await _answer(info, change))

    @strawberry.mutation(description="Change a member's role (the firm's administrators).")
    async def change_member_role(
        self, info: Info, uscc: str, email: str, role: MemberRole
    ) -> ChangeMemberRoleResult:
        principal = info.context.require_principal()

        async def change() -> MemberRoleChanged:
            made = await service.change_member_role(info.context.db, principal, uscc, email, role)
            return MemberRoleChanged(member=MemberType.of(made))

        return cast(ChangeMemberRoleResult, await _answer(info, change))

    @strawberry.mutation(
        description="Require (or stop requiring) a second factor of the firm's members "
        "(its administrators and the hub's): a member without one keeps the membership "
        "but acts for the firm only once they turn one on."
    )
    async def require_second_factor(
        self, info: Info, uscc: str, required: bool
    ) -> RequireSecondFactorResult:
        principal = info.context.require_principal()

        async def change() -> SecondFactorRule:
            db = info.context.db
            now_required = await service.require_second_factor(db, principal, uscc, required)
            return SecondFactorRule(uscc=normalize_uscc(uscc), required=now_required)

        return cast(RequireSecondFactorResult, await _answer(info, change))

    @strawberry.mutation(
        description="Remove a member (the firm's administrators), or leave a firm (your "
        "own address). A firm keeps at least one administrator."
    )
    async def remove_member(self, info: Info, uscc: str, email: str) -> RemoveMemberResult:
        principal = info.context.require_principal()

        async def change() -> MemberRemoved:
            gone = await service.remove_member(info.context.db, principal, uscc, email)
            return MemberRemoved(email=gone)

        return cast(RemoveMemberResult, await _answer(info, change))

    @strawberry.mutation(
        description="Stop someone operating a park (the hub's administrators and the "
        "park's operators, themselves included)."
    )
    async def remove_park_operator(
        self, info: Info, park: str, email: str
    ) -> RemoveParkOperatorResult:
        principal = info.context.require_principal()

        async def change() -> ParkOperatorRemoved:
            gone = await service.remove_park_operator(info.context.db, principal, park, email)
            return ParkOperatorRemoved(email=gone)

        return cast(RemoveParkOperatorResult, await _answer(info, change))
