"""GraphQL for accounts: who am I; sign up, confirm, sign in and out, passwords, personal
tokens and the second factor. Thin: each resolver reads the request (client address,
cookie), calls a use case, and answers its result or its expected failure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

import strawberry
from starlette.responses import Response

from hub.accounts import cookies, personal_tokens, second_factor, service, sessions
from hub.accounts.failures import SessionRequired
from hub.accounts.store import sessions as session_store
from hub.accounts.types import (
    ChangePasswordResult,
    ConfirmEmailResult,
    CreatePersonalTokenResult,
    EmailConfirmed,
    EnrolTotpResult,
    PasswordChanged,
    PasswordReset,
    PasswordResetRequested,
    PersonalTokenCreated,
    PersonalTokenInput,
    PrincipalType,
    RequestPasswordResetResult,
    ResetPasswordResult,
    RevokePersonalTokenResult,
    SignedIn,
    SignedOut,
    SignedOutEverywhere,
    SignInInput,
    SignInResult,
    SignUpAccepted,
    SignUpInput,
    SignUpResult,
    TotpChanged,
    TotpEnrolment,
    TotpResult,
)
from hub.api.context import Info
from hub.auth import client_address
from hub.errors import InvalidInput
from hub.graphql.problems import attempt_telling_retry
from hub.identity.graphql import ApiTokenRevoked, ApiTokenType
from hub.identity.model import Principal, Role
from hub.identity.service import hash_token
from hub.time import now

T = TypeVar("T")


async def _answer(info: Info, change: Callable[[], Awaitable[T]]) -> Any:
    """The change's result, or its expected failure as a problem (with Retry-After)."""
    return await attempt_telling_retry(info.context.language, info.context.response, change)


def _address(info: Info) -> str:
    request = info.context.request
    return "unknown" if request is None else client_address(request)


def _http_response(info: Info) -> Response:
    """The HTTP answer, whose cookies a sign-in sets (none over a WebSocket)."""
    response = info.context.response
    if not isinstance(response, Response):
        raise InvalidInput(
            "sign in over HTTP (POST /graphql), not over a WebSocket",
            "请通过 HTTP（POST /graphql）登录，而非 WebSocket",
        )
    return response


def _session_person(info: Info) -> Principal:
    """The caller, who must have signed in to the console (a token cannot do this)."""
    principal = info.context.require_principal()
    if principal.session_id is None:
        raise SessionRequired
    return principal


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in caller and its roles (401 when anonymous).")
    def me(self, info: Info) -> PrincipalType:
        return PrincipalType.of(info.context.require_principal())


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="Sign up; a link to confirm the e-mail address is mailed.")
    async def sign_up(self, info: Info, input: SignUpInput) -> SignUpResult:
        form = service.SignUp(
            input.email, input.password, input.display_name, input.language, _address(info)
        )

        async def change() -> SignUpAccepted:
            await service.sign_up(info.context.db, info.context.settings, form, now())
            return SignUpAccepted(email=input.email.strip().lower())

        return cast(SignUpResult, await _answer(info, change))

    @strawberry.mutation(description="Confirm an e-mail address with the link's token.")
    async def confirm_email(self, info: Info, token: str) -> ConfirmEmailResult:
        async def change() -> EmailConfirmed:
            await service.confirm_email(info.context.db, token, now())
            return EmailConfirmed(confirmed=True)

        return cast(ConfirmEmailResult, await _answer(info, change))

    @strawberry.mutation(description="Sign in to the console: sets the session cookie.")
    async def sign_in(self, info: Info, input: SignInInput) -> SignInResult:
        ctx = info.context
        replaced = (
            None if ctx.request is None else cookies.session_secret(ctx.request, ctx.settings)
        )
        tried = sessions.Attempt(
            input.email, input.password, input.totp_code, _address(info), replaced
        )

        async def change() -> SignedIn:
            response = _http_response(info)
            at = now()
            grant = await sessions.sign_in(ctx.db, ctx.settings, tried, at)
            cookies.set_session(response, ctx.settings, grant)
            holder = await ctx.db.read(session_store.authenticate, hash_token(grant.secret), at)
            assert holder is not None
            me = PrincipalType.of(holder.principal)
            return SignedIn(me=me, csrf_token=grant.csrf_token, expires_at=grant.expires_at)

        return cast(SignInResult, await _answer(info, change))

    @strawberry.mutation(description="Sign out of this session (and clear its cookies).")
    async def sign_out(self, info: Info) -> SignedOut:
        ended = await sessions.sign_out(info.context.db, info.context.principal, now())
        response = info.context.response
        if isinstance(response, Response):
            cookies.clear_session(response, info.context.settings)
        return SignedOut(signed_out=ended)

    @strawberry.mutation(description="Sign out of every session of yours, this one too.")
    async def sign_out_everywhere(self, info: Info) -> SignedOutEverywhere:
        principal = info.context.require_principal()
        ended = await sessions.sign_out_everywhere(info.context.db, principal, now())
        response = info.context.response
        if isinstance(response, Response) and principal.session_id is not None:
            cookies.clear_session(response, info.context.settings)
        return SignedOutEverywhere(sessions=ended)

    @strawberry.mutation(description="Mail a link to reset a forgotten password.")
    async def request_password_reset(self, info: Info, email: str) -> RequestPasswordResetResult:
        async def change() -> PasswordResetRequested:
            await service.request_password_reset(
                info.context.db, info.context.settings, email, _address(info), now()
            )
            return PasswordResetRequested(email=email.strip().lower())

        return cast(RequestPasswordResetResult, await _answer(info, change))

    @strawberry.mutation(description="Set a new password with a reset link's token.")
    async def reset_password(
        self, info: Info, token: str, new_password: str
    ) -> ResetPasswordResult:
        async def change() -> PasswordReset:
            await service.reset_password(
                info.context.db, info.context.settings, token, new_password, now()
            )
            return PasswordReset(reset=True)

        return cast(ResetPasswordResult, await _answer(info, change))

    @strawberry.mutation(description="Change your password (the current one is asked).")
    async def change_password(
        self, info: Info, current_password: str, new_password: str
    ) -> ChangePasswordResult:
        principal = _session_person(info)
        asked = service.PasswordChange(current_password, new_password, _address(info))

        async def change() -> PasswordChanged:
            ended = await service.change_password(
                info.context.db, info.context.settings, principal, asked, now()
            )
            return PasswordChanged(other_sessions_signed_out=ended)

        return cast(ChangePasswordResult, await _answer(info, change))

    @strawberry.mutation(description="A personal API token carrying some of your roles.")
    async def create_personal_token(
        self, info: Info, input: PersonalTokenInput
    ) -> CreatePersonalTokenResult:
        principal = _session_person(info)
        roles = frozenset(Role(r.kind, r.scope or None) for r in input.roles)
        request = personal_tokens.TokenRequest(input.name, roles, input.expires_at)

        async def change() -> PersonalTokenCreated:
            secret, token = await personal_tokens.create(info.context.db, principal, request, now())
            return PersonalTokenCreated(secret=secret, token=ApiTokenType.of(token))

        return cast(CreatePersonalTokenResult, await _answer(info, change))

    @strawberry.mutation(description="Revoke one of your personal API tokens.")
    async def revoke_personal_token(
        self, info: Info, id: strawberry.ID
    ) -> RevokePersonalTokenResult:
        principal = _session_person(info)

        async def change() -> ApiTokenRevoked:
            token = await personal_tokens.revoke(info.context.db, principal, str(id))
            return ApiTokenRevoked(token=ApiTokenType.of(token))

        return cast(RevokePersonalTokenResult, await _answer(info, change))

    @strawberry.mutation(description="Start using an authenticator app: its secret, once.")
    async def enrol_totp(self, info: Info) -> EnrolTotpResult:
        principal = _session_person(info)

        async def change() -> TotpEnrolment:
            found = await second_factor.enrol(info.context.db, principal, now())
            return TotpEnrolment(secret=found.secret, uri=found.uri)

        return cast(EnrolTotpResult, await _answer(info, change))

    @strawberry.mutation(description="Turn the second factor on with a code from the app.")
    async def confirm_totp(self, info: Info, code: str) -> TotpResult:
        principal = _session_person(info)

        async def change() -> TotpChanged:
            await second_factor.confirm(info.context.db, principal, code, now())
            return TotpChanged(enabled=True)

        return cast(TotpResult, await _answer(info, change))

    @strawberry.mutation(description="Turn the second factor off (password and a code).")
    async def disable_totp(self, info: Info, password: str, code: str) -> TotpResult:
        principal = _session_person(info)
        proof = second_factor.Proof(password, code, _address(info))

        async def change() -> TotpChanged:
            await second_factor.disable(
                info.context.db, info.context.settings, principal, proof, now()
            )
            return TotpChanged(enabled=False)

        return cast(TotpResult, await _answer(info, change))
