"""Membership: the MEMBER_OF relationship that gives a principal a role in an organization."""

from __future__ import annotations

from typing import LiteralString

from hub.db.driver import Tx

MEMBER_OF: LiteralString = """
MATCH (p:Principal {id: $pid}), (o:Organization {uscc: $uscc})
MERGE (p)-[:MEMBER_OF {role: $role}]->(o)
"""


async def add_member(tx: Tx, principal_id: str, uscc: str, role: str) -> None:
    """Make the principal a member of the organization in `role` (once, however often)."""
    await tx.run(MEMBER_OF, pid=principal_id, uscc=uscc, role=role)
