"""Cypher for principals and tokens. Each function is one unit of work (a managed transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from hub.db.driver import Tx, python_value
from hub.identity.model import MEMBER_ROLES, ApiToken, Principal, Role, RoleKind

# A principal's roles, wherever it signs in from (a token here, a session in hub/accounts):
# `p` and the credential `c` in, `orgs` ([role, uscc] pairs), `parks` and `admin` out.
# A firm that requires a second factor of its members (hub/members) gives its roles only
# to people who have one; machines (principals that are not people) cannot have one.
# Whether the firm `o` holds its roles back from `p` (it requires a second factor, and `p`
# is a person without one).
HELD_BACK: LiteralString = (
    "(coalesce(o.second_factor_required, false) AND p:Person AND p.totp_secret IS NULL)"
)

ROLES_OF_P: LiteralString = (
    """
OPTIONAL MATCH (p)-[m:MEMBER_OF]->(o:Organization)
WHERE NOT """
    + HELD_BACK
    + """
WITH c, p, collect(CASE WHEN o IS NULL THEN NULL ELSE [m.role, o.uscc] END) AS orgs
OPTIONAL MATCH (p)-[:OPERATES]->(park:Park)
WITH c, p, orgs, collect(park.code) AS parks, coalesce(p.admin, false) AS admin
"""
)

# The firms whose roles ROLES_OF_P holds back from this person: they require a second
# factor, and the person has none turned on.
WITHHELD: LiteralString = (
    """
MATCH (p:Person {id: $id})-[:MEMBER_OF]->(o:Organization)
WHERE """
    + HELD_BACK
    + """
RETURN DISTINCT o.uscc AS uscc ORDER BY uscc
"""
)

AUTHENTICATE: LiteralString = (
    """
MATCH (c:ApiToken {hash: $hash})-[:AUTHENTICATES]->(p:Principal)
"""
    + ROLES_OF_P
    + """
RETURN c.id AS token_id, c.revoked_at AS revoked_at, c.expires_at AS expires_at,
       c.roles AS scoped, p.id AS id, p.handle AS handle, admin, orgs, parks
"""
)

MISSING_SCOPES = """
RETURN [u IN $orgs WHERE NOT EXISTS { MATCH (:Organization {uscc: u}) }] AS orgs,
       [c IN $parks WHERE NOT EXISTS { MATCH (:Park {code: c}) }] AS parks
"""

GRANT = """
MERGE (p:Principal {handle: $handle})
ON CREATE SET p.id = randomUUID(), p.created_at = datetime()
SET p.admin = coalesce(p.admin, false) OR $admin
WITH p
CALL (p) {
  UNWIND $memberships AS m
  MATCH (o:Organization {uscc: m.uscc})
  MERGE (p)-[r:MEMBER_OF {role: m.role}]->(o)
}
CALL (p) {
  UNWIND $parks AS code
  MATCH (park:Park {code: code})
  MERGE (p)-[:OPERATES]->(park)
}
RETURN p.id AS id
"""

CREATE_TOKEN = """
MATCH (p:Principal {id: $principal_id})
CREATE (t:ApiToken {id: randomUUID(), hash: $hash, name: $name,
                    created_at: datetime(), expires_at: $expires_at, roles: $roles})
CREATE (t)-[:AUTHENTICATES]->(p)
RETURN t {.*, handle: p.handle} AS token
"""

LIST_TOKENS = """
MATCH (t:ApiToken)-[:AUTHENTICATES]->(p:Principal)
WHERE $handle IS NULL OR p.handle = $handle
RETURN t {.*, handle: p.handle} AS token
ORDER BY t.created_at, t.id
"""

REVOKE_TOKEN = """
MATCH (t:ApiToken {id: $id})-[:AUTHENTICATES]->(p:Principal)
WHERE $handle IS NULL OR p.handle = $handle
WITH t, p, t.revoked_at IS NULL AS fresh
SET t.revoked_at = coalesce(t.revoked_at, datetime())
RETURN t {.*, handle: p.handle} AS token, fresh
"""


def _token(row: dict[str, Any]) -> ApiToken:
    scoped = row.get("roles")
    return ApiToken(
        id=row["id"],
        name=row["name"],
        handle=row["handle"],
        created_at=python_value(row["created_at"]),
        expires_at=python_value(row.get("expires_at")),
        revoked_at=python_value(row.get("revoked_at")),
        roles=None if scoped is None else frozenset(Role.parse(r) for r in scoped),
    )


def roles_of(row: Any) -> frozenset[Role]:
    """The roles in a row of `ROLES_OF_P`'s columns (orgs, parks, admin)."""
    roles = {Role(RoleKind(kind), uscc) for kind, uscc in row["orgs"]}
    roles |= {Role(RoleKind.OPERATOR, code) for code in row["parks"]}
    if row["admin"]:
        roles.add(Role(RoleKind.ADMIN))
    return frozenset(roles)


@dataclass(frozen=True)
class TokenHolder:
    """What a token hash leads to: its principal, and whether the token is still good."""

    principal: Principal
    expires_at: datetime | None
    revoked_at: datetime | None


async def authenticate(tx: Tx, token_hash: str) -> TokenHolder | None:
    row = await tx.single(AUTHENTICATE, hash=token_hash)
    if row is None:
        return None
    roles = roles_of(row)
    if row["scoped"] is not None:  # a personal token: the roles it names, still held
        roles &= {Role.parse(r) for r in row["scoped"]}
    principal = Principal(id=row["id"], handle=row["handle"], roles=roles, token_id=row["token_id"])
    return TokenHolder(principal, python_value(row["expires_at"]), python_value(row["revoked_at"]))


async def missing_scopes(tx: Tx, orgs: list[str], parks: list[str]) -> tuple[list[str], list[str]]:
    """The organizations and parks, of those named, that do not exist."""
    row = await tx.single(MISSING_SCOPES, orgs=orgs, parks=parks)
    assert row is not None
    return list(row["orgs"]), list(row["parks"])


async def grant(tx: Tx, handle: str, roles: frozenset[Role]) -> str:
    """Create the principal if new and give it these roles; returns its id."""
    memberships = [{"role": r.kind.value, "uscc": r.scope} for r in roles if r.kind in MEMBER_ROLES]
    parks = [r.scope for r in roles if r.kind is RoleKind.OPERATOR]
    row = await tx.single(
        GRANT,
        handle=handle,
        admin=Role(RoleKind.ADMIN) in roles,
        memberships=memberships,
        parks=parks,
    )
    assert row is not None
    return str(row["id"])


async def create_token(
    tx: Tx,
    principal_id: str,
    token_hash: str,
    name: str,
    expires_at: datetime | None,
    roles: frozenset[Role] | None = None,
) -> ApiToken:
    """A token of the principal; with `roles`, it carries only those (a personal token)."""
    scoped = None if roles is None else sorted(str(r) for r in roles)
    row = await tx.single(
        CREATE_TOKEN,
        principal_id=principal_id,
        hash=token_hash,
        name=name,
        expires_at=expires_at,
        roles=scoped,
    )
    assert row is not None
    return _token(row["token"])


async def withheld(tx: Tx, principal_id: str) -> list[str]:
    return [str(r["uscc"]) for r in await tx.records(WITHHELD, id=principal_id)]


async def list_tokens(tx: Tx, handle: str | None) -> list[ApiToken]:
    return [_token(r["token"]) for r in await tx.records(LIST_TOKENS, handle=handle)]


async def revoke_token(tx: Tx, token_id: str, handle: str | None) -> tuple[ApiToken, bool] | None:
    """The token, and whether this call revoked it (False: it already was)."""
    row = await tx.single(REVOKE_TOKEN, id=token_id, handle=handle)
    return None if row is None else (_token(row["token"]), bool(row["fresh"]))
