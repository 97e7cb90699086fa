"""Cypher for members and invitations. Each function is part of one managed transaction.

Shapes: `(p:Principal)-[:MEMBER_OF {role}]->(o:Organization)`, `(p)-[:OPERATES]->(:Park)`;
`(inviter:Principal)-[:INVITED]->(i:Invitation {id, hash, email, role, language, state,
created_at, expires_at, ...})-[:INVITES_TO]->(o:Organization | :Park)`.

Locks: whatever changes who administers a firm locks the organization node first and
reads its members after (`lock_firm`), so two such changes are serialised and the second
sees the first's result; an invitation is locked before it is used or revoked. Nothing
locks a firm and then an invitation, so the order is always invitation, then firm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, LiteralString

from hub.db.driver import Tx, python_value
from hub.members.model import (
    Invitation,
    InvitationState,
    Member,
    MemberRole,
    Operator,
    Operators,
    Roster,
    strongest,
)

# `i` an invitation and `t` what it invites to, as a row of `_invitation`.
INVITATION_ROW: LiteralString = """i {.id, .email, .role, .language, .state, .created_at,
  .expires_at, .accepted_at, .revoked_at, .invited_by, uscc: t.uscc, park: t.code,
  name_zh: coalesce(t.name_zh, ''), name_en: coalesce(t.name_en, '')}"""

LOCK_FIRM: LiteralString = """
MATCH (o:Organization {uscc: $uscc})
SET o._lock = true
REMOVE o._lock
WITH o
OPTIONAL MATCH (p:Principal)-[m:MEMBER_OF]->(o)
WITH o, p, collect(m.role) AS roles
RETURN o.name_zh AS name_zh, o.name_en AS name_en,
       collect(CASE WHEN p IS NULL THEN NULL
               ELSE {id: p.id, handle: p.handle, roles: roles,
                     second_factor: p.totp_secret IS NOT NULL} END) AS members
"""

TARGET: LiteralString = """
CALL () {
  MATCH (o:Organization {uscc: $uscc}) RETURN o AS t
  UNION
  MATCH (k:Park {code: $park}) RETURN k AS t
}
"""

# A new invitation; the same address's pending invitations to the same place are revoked
# (the newest link is the good one).
CREATE_INVITATION: LiteralString = (
    "MATCH (inviter:Principal {id: $inviter})"
    + TARGET
    + """
CALL (t) {
  OPTIONAL MATCH (old:Invitation {email: $email, state: 'pending'})-[:INVITES_TO]->(t)
  SET old.state = 'revoked', old.revoked_at = $now
  RETURN collect(old.id) AS superseded
}
CREATE (inviter)-[:INVITED]->(i:Invitation {id: $id, hash: $hash, email: $email, role: $role,
        language: $language, state: 'pending', created_at: $now, expires_at: $expires_at,
        invited_by: inviter.handle})-[:INVITES_TO]->(t)
RETURN """
    + INVITATION_ROW
    + " AS invitation, superseded"
)

LOCK_INVITATION: LiteralString = (
    """
MATCH (i:Invitation) WHERE i.hash = $hash OR i.id = $id
SET i._lock = true
REMOVE i._lock
WITH i
MATCH (i)-[:INVITES_TO]->(t)
RETURN """
    + INVITATION_ROW
    + " AS invitation"
)

FIND_INVITATION: LiteralString = (
    """
MATCH (i:Invitation {hash: $hash})-[:INVITES_TO]->(t)
RETURN """
    + INVITATION_ROW
    + " AS invitation"
)

ACCEPT: LiteralString = """
MATCH (i:Invitation {id: $id}), (p:Principal {id: $person})
SET i.state = 'accepted', i.accepted_at = $now, i.accepted_by = p.id
CREATE (p)-[:ACCEPTED]->(i)
"""

REVOKE: LiteralString = """
MATCH (i:Invitation {id: $id})
SET i.state = 'revoked', i.revoked_at = $now
"""

# The person's roles in the firm become exactly `role`.
SET_ROLE: LiteralString = """
MATCH (p:Principal {id: $person}), (o:Organization {uscc: $uscc})
OPTIONAL MATCH (p)-[m:MEMBER_OF]->(o)
DELETE m
WITH DISTINCT p, o
CREATE (p)-[:MEMBER_OF {role: $role}]->(o)
"""

REMOVE_MEMBER: LiteralString = """
MATCH (:Principal {id: $person})-[m:MEMBER_OF]->(:Organization {uscc: $uscc})
DELETE m
"""

OPERATES: LiteralString = """
MATCH (p:Principal {id: $person}), (k:Park {code: $park})
MERGE (p)-[:OPERATES]->(k)
"""

IS_OPERATOR: LiteralString = """
MATCH (:Principal {handle: $handle})-[:OPERATES]->(:Park {code: $park})
RETURN true AS operator
"""

# Who accepts: the caller's address (a person's e-mail, else its handle) and whether it is
# confirmed (a principal made by the CLI has no confirmed address).
ACCEPTOR: LiteralString = """
MATCH (p:Principal {id: $id})
RETURN coalesce(p.email, p.handle) AS email,
       p:Person AND p.email_confirmed_at IS NOT NULL AS confirmed
"""

ROSTER: LiteralString = (
    """
MATCH (o:Organization {uscc: $uscc})
CALL (o) {
  OPTIONAL MATCH (p:Principal)-[m:MEMBER_OF]->(o)
  WITH p, collect(m.role) AS roles
  WHERE p IS NOT NULL
  RETURN collect({id: p.id, handle: p.handle, name: coalesce(p.display_name, ''),
                  roles: roles, second_factor: p.totp_secret IS NOT NULL}) AS members
}
CALL (o) {
  OPTIONAL MATCH (i:Invitation {state: 'pending'})-[:INVITES_TO]->(o)
  WHERE i.expires_at > $now
  WITH i, o AS t ORDER BY i.created_at, i.id
  RETURN collect("""
    + INVITATION_ROW
    + """) AS invitations
}
RETURN members, invitations, coalesce(o.second_factor_required, false) AS second_factor_required
"""
)

# Whether the firm requires a second factor of its members (hub/identity/store.py ROLES_OF_P
# gives its roles only to those who have one); the rule as it was.
SECOND_FACTOR_RULE: LiteralString = """
MATCH (o:Organization {uscc: $uscc})
WITH o, coalesce(o.second_factor_required, false) AS before
SET o.second_factor_required = $required
RETURN before
"""


PARK_OPERATORS: LiteralString = (
    """
MATCH (k:Park {code: $park})
CALL (k) {
  OPTIONAL MATCH (p:Principal)-[:OPERATES]->(k)
  WITH p ORDER BY p.handle
  RETURN collect({id: p.id, handle: p.handle, name: coalesce(p.display_name, '')}) AS operators
}
CALL (k) {
  OPTIONAL MATCH (i:Invitation {state: 'pending'})-[:INVITES_TO]->(k)
  WHERE i.expires_at > $now
  WITH i, k AS t ORDER BY i.created_at, i.id
  RETURN collect("""
    + INVITATION_ROW
    + """) AS invitations
}
RETURN operators, invitations
"""
)

REMOVE_OPERATOR: LiteralString = """
MATCH (p:Principal {handle: $handle})-[r:OPERATES]->(:Park {code: $park})
DELETE r
RETURN p.id AS id
"""


@dataclass(frozen=True)
class FirmMember:
    id: str
    handle: str
    roles: frozenset[str]
    second_factor: bool = False  # a person with a second factor turned on

    @property
    def is_admin(self) -> bool:
        return MemberRole.FIRM_ADMIN.value in self.roles


@dataclass(frozen=True)
class LockedFirm:
    """A firm whose node this transaction has locked, and its members as they are now."""

    name_zh: str
    name_en: str
    members: list[FirmMember] = field(default_factory=list)

    def member(self, handle: str) -> FirmMember | None:
        return next((m for m in self.members if m.handle == handle), None)

    def admins(self) -> set[str]:
        return {m.id for m in self.members if m.is_admin}


def _invitation(row: dict[str, Any]) -> Invitation:
    return Invitation(
        id=row["id"],
        email=row["email"],
        role=row["role"],
        uscc=row.get("uscc"),
        park=row.get("park"),
        target_name_zh=row["name_zh"],
        target_name_en=row["name_en"],
        language=row["language"],
        invited_by=row["invited_by"],
        created_at=python_value(row["created_at"]),
        expires_at=python_value(row["expires_at"]),
        stored_state=InvitationState(row["state"]),
        accepted_at=python_value(row.get("accepted_at")),
        revoked_at=python_value(row.get("revoked_at")),
    )


async def lock_firm(tx: Tx, uscc: str) -> LockedFirm | None:
    row = await tx.single(LOCK_FIRM, uscc=uscc)
    if row is None:
        return None
    members = [
        FirmMember(m["id"], m["handle"], frozenset(m["roles"]), m["second_factor"])
        for m in row["members"]
    ]
    return LockedFirm(row["name_zh"] or "", row["name_en"] or "", members)


async def create_invitation(tx: Tx, row: dict[str, Any]) -> tuple[Invitation, list[str]] | None:
    """The new invitation and the ids of those it replaced; None when the firm or park
    (or the inviter) does not exist."""
    found = await tx.single(CREATE_INVITATION, **row)
    if found is None:
        return None
    return _invitation(found["invitation"]), list(found["superseded"])


async def lock_invitation(
    tx: Tx, token_hash: str | None = None, invitation_id: str | None = None
) -> Invitation | None:
    """The invitation of that link (by its secret's hash) or id, locked."""
    row = await tx.single(LOCK_INVITATION, hash=token_hash, id=invitation_id)
    return None if row is None else _invitation(row["invitation"])


async def find_invitation(tx: Tx, token_hash: str) -> Invitation | None:
    """The invitation of that link, read only (what the console shows before accepting)."""
    row = await tx.single(FIND_INVITATION, hash=token_hash)
    return None if row is None else _invitation(row["invitation"])


async def accept(tx: Tx, invitation_id: str, person_id: str, now: datetime) -> None:
    await tx.run(ACCEPT, id=invitation_id, person=person_id, now=now)


async def revoke(tx: Tx, invitation_id: str, now: datetime) -> None:
    await tx.run(REVOKE, id=invitation_id, now=now)


async def set_role(tx: Tx, person_id: str, uscc: str, role: MemberRole) -> None:
    await tx.run(SET_ROLE, person=person_id, uscc=uscc, role=role.value)


async def remove_member(tx: Tx, person_id: str, uscc: str) -> None:
    await tx.run(REMOVE_MEMBER, person=person_id, uscc=uscc)


async def add_operator(tx: Tx, person_id: str, park: str) -> None:
    await tx.run(OPERATES, person=person_id, park=park)


async def is_operator(tx: Tx, handle: str, park: str) -> bool:
    return await tx.single(IS_OPERATOR, handle=handle, park=park) is not None


async def acceptor(tx: Tx, principal_id: str) -> tuple[str, bool] | None:
    row = await tx.single(ACCEPTOR, id=principal_id)
    return None if row is None else (str(row["email"]), bool(row["confirmed"]))


async def roster(tx: Tx, uscc: str, now: datetime) -> Roster | None:
    row = await tx.single(ROSTER, uscc=uscc, now=now)
    if row is None:
        return None
    members = []
    for m in row["members"]:
        role = strongest(set(m["roles"]))
        if role is not None:
            members.append(Member(m["id"], m["handle"], m["name"], role, m["second_factor"]))
    members.sort(key=lambda m: (m.role is not MemberRole.FIRM_ADMIN, m.email))
    invitations = [_invitation(i) for i in row["invitations"]]
    return Roster(uscc, members, invitations, row["second_factor_required"])


async def set_second_factor_rule(tx: Tx, uscc: str, required: bool) -> bool:
    """Set whether the firm requires a second factor; whether it did before."""
    row = await tx.single(SECOND_FACTOR_RULE, uscc=uscc, required=required)
    assert row is not None, "the firm is locked, so it exists"
    return bool(row["before"])


async def park_operators(tx: Tx, park: str, now: datetime) -> Operators | None:
    row = await tx.single(PARK_OPERATORS, park=park, now=now)
    if row is None:
        return None
    operators = [Operator(o["id"], o["handle"], o["name"]) for o in row["operators"] if o["id"]]
    return Operators(park, operators, [_invitation(i) for i in row["invitations"]])


async def remove_operator(tx: Tx, handle: str, park: str) -> str | None:
    """The id of the operator removed; None when `handle` does not operate the park."""
    row = await tx.single(REMOVE_OPERATOR, handle=handle, park=park)
    return None if row is None else str(row["id"])
