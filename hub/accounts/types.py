"""GraphQL types of accounts: the signed-in caller, people, and what the mutations answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.accounts.model import Person
from hub.accounts.store import people
from hub.api.context import Info
from hub.graphql.problems import (
    ConflictProblem,
    InvalidInputProblem,
    NotFoundProblem,
    RateLimitedProblem,
)
from hub.identity import service as identity
from hub.identity.graphql import ApiTokenRevoked, ApiTokenType, RoleType
from hub.identity.model import Principal, RoleKind


@strawberry.type(name="Person", description="Someone with an account (e-mail and password).")
class PersonType:
    id: strawberry.ID
    email: str
    display_name: str
    language: str = strawberry.field(description="zh or en: e-mails come in it.")
    email_confirmed_at: datetime | None
    totp_enabled: bool = strawberry.field(description="Whether sign-in asks for a TOTP code.")
    created_at: datetime

    @classmethod
    def of(cls, person: Person) -> PersonType:
        return cls(
            id=strawberry.ID(person.id),
            email=person.email,
            display_name=person.display_name,
            language=person.language,
            email_confirmed_at=person.email_confirmed_at,
            totp_enabled=person.totp_enabled,
            created_at=person.created_at,
        )


@strawberry.type(name="Principal", description="The signed-in caller.")
class PrincipalType:
    handle: str
    roles: list[RoleType]
    signed_in_by: str = strawberry.field(description="SESSION (the console) or TOKEN.")
    principal_id: strawberry.Private[str]

    @classmethod
    def of(cls, principal: Principal) -> PrincipalType:
        roles = [RoleType(kind=r.kind, scope=r.scope) for r in sorted(principal.roles)]
        by = "SESSION" if principal.session_id is not None else "TOKEN"
        return cls(handle=principal.handle, roles=roles, signed_in_by=by, principal_id=principal.id)

    @strawberry.field(description="This principal's API tokens, newest last.")
    async def api_tokens(self, info: Info) -> list[ApiTokenType]:
        tokens = await identity.list_tokens(info.context.db, self.handle)
        return [ApiTokenType.of(t) for t in tokens]

    @strawberry.field(
        description="Firms you are a member of that require a second factor, which you have "
        "not turned on: you act for them once you do."
    )
    async def second_factor_needed_for(self, info: Info) -> list[str]:
        return await identity.withheld(info.context.db, self.principal_id)

    @strawberry.field(description="The person, when the caller has an account (else null).")
    async def person(self, info: Info) -> PersonType | None:
        found = await info.context.db.read(people.person, self.principal_id)
        return None if found is None else PersonType.of(found)


@strawberry.input
class SignUpInput:
    email: str
    password: str = strawberry.field(description="At least 10 characters.")
    display_name: str = ""
    language: str = strawberry.field(default="zh", description="zh or en.")


@strawberry.input
class SignInInput:
    email: str
    password: str
    totp_code: str | None = strawberry.field(
        default=None, description="When the account has a second factor: the app's code."
    )


@strawberry.input
class RoleInput:
    kind: RoleKind
    scope: str | None = None


@strawberry.input
class PersonalTokenInput:
    name: str
    roles: list[RoleInput] = strawberry.field(
        description="Some of your roles; it carries only these."
    )
    expires_at: datetime = strawberry.field(description="At most 366 days ahead.")


@strawberry.type(
    description="Accepted. If the address can be used, a link to confirm it is on its way; "
    "if it already has an account, its owner is told instead (the answer is the same)."
)
class SignUpAccepted:
    email: str


@strawberry.type
class EmailConfirmed:
    confirmed: bool


@strawberry.type(description="Signed in: the session cookie is set.")
class SignedIn:
    me: PrincipalType
    csrf_token: str = strawberry.field(
        description="Send it as X-Hub-CSRF with every POST signed in by the cookie."
    )
    expires_at: datetime = strawberry.field(description="The session's absolute end.")


@strawberry.type
class SignedOut:
    signed_out: bool = strawberry.field(description="Whether a session was ended.")


@strawberry.type
class SignedOutEverywhere:
    sessions: int = strawberry.field(description="How many sessions were ended.")


@strawberry.type(
    description="Accepted. If the address has an account, a reset link is on its way "
    "(the answer is the same when it has none)."
)
class PasswordResetRequested:
    email: str


@strawberry.type(description="The password is changed; every session was signed out.")
class PasswordReset:
    reset: bool


@strawberry.type
class PasswordChanged:
    other_sessions_signed_out: int


@strawberry.type(description="A personal token and its secret: shown only now.")
class PersonalTokenCreated:
    secret: str
    token: ApiTokenType


@strawberry.type(description="A TOTP secret, shown once: add it to an authenticator app.")
class TotpEnrolment:
    secret: str
    uri: str = strawberry.field(description="otpauth:// URI, for a QR code.")


@strawberry.type
class TotpChanged:
    enabled: bool


Invalid = InvalidInputProblem
SignUpResult = Annotated[
    SignUpAccepted | Invalid | RateLimitedProblem, strawberry.union("SignUpResult")
]
ConfirmEmailResult = Annotated[EmailConfirmed | Invalid, strawberry.union("ConfirmEmailResult")]
SignInResult = Annotated[
    SignedIn | Invalid | ConflictProblem | RateLimitedProblem, strawberry.union("SignInResult")
]
RequestPasswordResetResult = Annotated[
    PasswordResetRequested | Invalid | RateLimitedProblem,
    strawberry.union("RequestPasswordResetResult"),
]
ResetPasswordResult = Annotated[PasswordReset | Invalid, strawberry.union("ResetPasswordResult")]
ChangePasswordResult = Annotated[
    PasswordChanged | Invalid | RateLimitedProblem, strawberry.union("ChangePasswordResult")
]
CreatePersonalTokenResult = Annotated[
    PersonalTokenCreated | Invalid, strawberry.union("CreatePersonalTokenResult")
]
RevokePersonalTokenResult = Annotated[
    ApiTokenRevoked | NotFoundProblem, strawberry.union("RevokePersonalTokenResult")
]
EnrolTotpResult = Annotated[
    TotpEnrolment | Invalid | ConflictProblem, strawberry.union("EnrolTotpResult")
]
TotpResult = Annotated[
    TotpChanged | Invalid | ConflictProblem | RateLimitedProblem, strawberry.union("TotpResult")
]
