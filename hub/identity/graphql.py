"""GraphQL for identity: roles, API tokens, revoking one. (Who am I: hub/accounts.)"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.api.context import Info
from hub.audit.log import Actor
from hub.graphql.problems import NotFoundProblem, attempt
from hub.identity import service
from hub.identity.model import ApiToken, RoleKind

strawberry.enum(RoleKind, name="RoleKind")


@strawberry.type(name="Role", description="A role, scoped to an organization (USCC) or park.")
class RoleType:
    kind: RoleKind
    scope: str | None


@strawberry.type(name="ApiToken", description="An API token's record; its secret is never shown.")
class ApiTokenType:
    id: strawberry.ID
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    roles: list[RoleType] | None = strawberry.field(
        description="A personal token's roles (it carries those its holder still has); "
        "null: all of the holder's."
    )

    @classmethod
    def of(cls, token: ApiToken) -> ApiTokenType:
        roles = (
            None
            if token.roles is None
            else [RoleType(kind=r.kind, scope=r.scope) for r in sorted(token.roles)]
        )
        return cls(
            id=strawberry.ID(token.id),
            name=token.name,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            roles=roles,
        )


@strawberry.type
class ApiTokenRevoked:
    token: ApiTokenType


RevokeApiTokenResult = Annotated[
    ApiTokenRevoked | NotFoundProblem, strawberry.union("RevokeApiTokenResult")
]


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Revoke one of your API tokens (admins: any token).")
    async def revoke_api_token(self, info: Info, id: strawberry.ID) -> RevokeApiTokenResult:
        principal = info.context.require_principal()
        owner = None if principal.is_admin else principal.handle

        async def change() -> ApiTokenRevoked:
            actor = Actor.serving(principal.handle)
            token = await service.revoke_token(info.context.db, str(id), owner, actor)
            return ApiTokenRevoked(token=ApiTokenType.of(token))

        return await attempt(info.context.language, change, NotFoundProblem)
