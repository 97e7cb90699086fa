"""Personal API tokens: a person signed in to the console makes tokens for their scripts,
each carrying some of the person's roles and an expiry, and revokes them.

They are API tokens like any other (hub/identity's store: hashed, `AUTHENTICATES` the
person), with the roles they carry named on the token: a token never carries a role its
person no longer holds.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.db.driver import Database, Tx
from hub.errors import invalid
from hub.identity import service as identity
from hub.identity import store
from hub.identity.model import ApiToken, Principal, Role
from hub.values import plain

MAX_DAYS = 366


@dataclass(frozen=True)
class TokenRequest:
    name: str
    roles: frozenset[Role]
    expires_at: datetime


def _checked(principal: Principal, request: TokenRequest, now: datetime) -> TokenRequest:
    name = plain("name", request.name.strip())
    if not 1 <= len(name) <= 100:
        raise invalid("name", "must have 1 to 100 characters", "须为 1 到 100 个字符")
    foreign = sorted(str(r) for r in request.roles - principal.roles)
    if foreign:
        raise invalid(
            "roles",
            f"you do not hold {', '.join(foreign)}",
            f"您没有以下角色：{', '.join(foreign)}",
        )
    if request.expires_at <= now:
        raise invalid("expires_at", "must be in the future", "必须晚于现在")
    if request.expires_at > now + timedelta(days=MAX_DAYS):
        raise invalid(
            "expires_at", f"may be at most {MAX_DAYS} days ahead", f"最多 {MAX_DAYS} 天后"
        )
    return TokenRequest(name, request.roles, request.expires_at)


async def create(
    db: Database, principal: Principal, request: TokenRequest, now: datetime
) -> tuple[str, ApiToken]:
    """A new token of the caller's; its secret (shown once) and its record."""
    checked = _checked(principal, request, now)
    secret = identity.TOKEN_PREFIX + secrets.token_urlsafe(32)

    async def work(tx: Tx) -> ApiToken:
        token = await store.create_token(
            tx,
            principal.id,
            identity.hash_token(secret),
            checked.name,
            checked.expires_at,
            checked.roles,
        )
        after = {
            "handle": principal.handle,
            "name": checked.name,
            "roles": sorted(str(r) for r in checked.roles),
            "expires_at": checked.expires_at,
        }
        await audit(
            tx,
            Actor.serving(principal.handle),
            [Change("ApiToken", token.id, "issue", None, after)],
        )
        return token

    return secret, await db.write(work)


async def revoke(db: Database, principal: Principal, token_id: str) -> ApiToken:
    """Revoke one of the caller's own tokens (another's behaves as missing)."""
    return await identity.revoke_token(
        db, token_id, principal.handle, Actor.serving(principal.handle)
    )
