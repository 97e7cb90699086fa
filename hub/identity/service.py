"""Use cases for identity: issue, check, list and revoke API tokens.

A token is `hub_` followed by 43 URL-safe random characters (256 bits). Only its SHA-256
is stored: with that much entropy a fast hash is safe, and lookup is one index seek.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.db.driver import Database, Tx
from hub.errors import InvalidInput, NotAuthenticated, NotFound
from hub.identity import store
from hub.identity.model import MEMBER_ROLES, ApiToken, Principal, Role, RoleKind

TOKEN_PREFIX = "hub_"  # noqa: S105 - a prefix, not a secret
MAX_TOKEN_LENGTH = 200


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_handle(handle: str) -> str:
    handle = handle.strip()
    if not 1 <= len(handle) <= 200:
        raise InvalidInput(
            "user handle must have 1 to 200 characters",
            "用户标识须为 1 到 200 个字符",
            field="user",
        )
    return handle


async def _check_scopes_exist(db: Database, roles: frozenset[Role]) -> None:
    orgs = sorted(r.scope for r in roles if r.kind in MEMBER_ROLES and r.scope)
    parks = sorted(r.scope for r in roles if r.kind is RoleKind.OPERATOR and r.scope)
    missing_orgs, missing_parks = await db.read(store.missing_scopes, orgs, parks)
    if missing_orgs:
        raise NotFound(
            f"no organization with USCC {', '.join(missing_orgs)}",
            f"不存在统一社会信用代码为 {', '.join(missing_orgs)} 的机构",
            field="role",
        )
    if missing_parks:
        raise NotFound(
            f"no park with code {', '.join(missing_parks)}",
            f"不存在代码为 {', '.join(missing_parks)} 的园区",
            field="role",
        )


async def issue_token(
    db: Database,
    handle: str,
    roles: frozenset[Role],
    name: str,
    expires_at: datetime | None = None,
    actor: Actor | None = None,
) -> tuple[str, ApiToken]:
    """Give `handle` these roles (creating the principal if new) and a new token.

    Returns the token's secret, which is never stored and cannot be shown again.
    """
    handle = _check_handle(handle)
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise InvalidInput("expiry must be in the future", "过期时间必须晚于现在", field="expires")
    await _check_scopes_exist(db, roles)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)

    async def work(tx: Tx) -> ApiToken:
        principal_id = await store.grant(tx, handle, roles)
        token = await store.create_token(tx, principal_id, hash_token(secret), name, expires_at)
        after = {"handle": handle, "name": name, "roles": sorted(str(r) for r in roles)}
        change = Change("ApiToken", token.id, "issue", None, {**after, "expires_at": expires_at})
        await audit(tx, actor or Actor("cli"), [change])
        return token

    return secret, await db.write(work)


async def authenticate(db: Database, secret: str) -> Principal:
    """The principal behind a bearer token; NotAuthenticated when bad, revoked or expired."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        raise NotAuthenticated
    holder = await db.read_one(store.authenticate, hash_token(secret))
    if holder is None or holder.revoked_at is not None:
        raise NotAuthenticated
    if holder.expires_at is not None and holder.expires_at <= datetime.now(UTC):
        raise NotAuthenticated
    return holder.principal


async def withheld(db: Database, principal_id: str) -> list[str]:
    """The firms (USCCs) whose roles the principal does not get until it turns on a
    second factor (the firms require one: hub/members)."""
    return await db.read(store.withheld, principal_id)


async def list_tokens(db: Database, handle: str | None = None) -> list[ApiToken]:
    return await db.read(store.list_tokens, handle)


async def revoke_token(
    db: Database, token_id: str, handle: str | None = None, actor: Actor | None = None
) -> ApiToken:
    """Revoke a token (of `handle` only, when given). Revoking twice keeps the first time."""

    async def work(tx: Tx) -> ApiToken | None:
        found = await store.revoke_token(tx, token_id, handle)
        if found is None:
            return None
        token, fresh = found
        if fresh:
            change = Change("ApiToken", token.id, "revoke", None, {"revoked_at": token.revoked_at})
            await audit(tx, actor or Actor("cli"), [change])
        return token

    token = await db.write(work)
    if token is None:
        raise NotFound(f"no API token {token_id}", f"不存在 API 令牌 {token_id}", field="id")
    return token
