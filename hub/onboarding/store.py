"""Cypher of onboarding: verifications, their evidence, and who may decide them.

    (:Principal)-[:ASKED]->(:Verification {id, uscc, asked, state, ...})-[:OF]->(:Organization)
    (:Verification)-[:WITH_EVIDENCE]->(:Evidence {id, owner, media_type, size, sha256})

Who may verify a firm: an administrator, or an operator of a park where the firm has a
site (`MAY_VERIFY`, on `o`; the same people hub.mail.notify.verifiers tells).
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx, python_value
from hub.onboarding.model import Asked, Evidence, State, Verification

MAY_VERIFY: LiteralString = """($admin OR EXISTS {
  (o)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(park:Park) WHERE park.code IN $parks })"""

ASK: LiteralString = """
MATCH (p:Principal {id: $pid}), (o:Organization {uscc: $uscc})
OPTIONAL MATCH (e:Evidence {id: $evidence})
CREATE (v:Verification {id: randomUUID(), uscc: $uscc, asked: $asked, state: 'pending',
                        requested_at: datetime()})
CREATE (p)-[:ASKED]->(v)-[:OF]->(o)
FOREACH (x IN CASE WHEN e IS NULL THEN [] ELSE [e] END | CREATE (v)-[:WITH_EVIDENCE]->(x))
RETURN v.id AS id
"""

# What stands in the way of a claim: the asker is already a member, or already waits.
CLAIMED: LiteralString = """
MATCH (o:Organization {uscc: $uscc})
RETURN EXISTS { (:Principal {id: $pid})-[:MEMBER_OF]->(o) } AS member,
       EXISTS { (:Principal {id: $pid})-[:ASKED]->(:Verification {state: 'pending'})-[:OF]->(o) }
         AS waiting
"""

EVIDENCE_OF: LiteralString = """
MATCH (e:Evidence {id: $id}) WHERE e.owner = $pid
RETURN e {.*} AS e
"""

ROW: LiteralString = """
MATCH (p:Principal)-[:ASKED]->(v)
OPTIONAL MATCH (v)-[:WITH_EVIDENCE]->(e:Evidence)
RETURN v {.*} AS v, p.id AS asker_id, p.handle AS asker_handle,
       o {.name_zh, .name_en, .status} AS o, e {.*} AS e
"""

QUEUE: LiteralString = (
    """
MATCH (v:Verification {state: 'pending'})-[:OF]->(o:Organization)
WHERE """
    + MAY_VERIFY
    + """
WITH v, o ORDER BY v.requested_at, v.id LIMIT $limit
"""
    + ROW
    + "ORDER BY v.requested_at, v.id"
)

# One verification the caller may decide, locked against a second decision at once.
LOCKED: LiteralString = (
    """
MATCH (v:Verification {id: $id})-[:OF]->(o:Organization)
WHERE """
    + MAY_VERIFY
    + """
SET v.locked_at = datetime()
WITH v, o
"""
    + ROW
)

DECIDE: LiteralString = """
MATCH (v:Verification {id: $id})-[:OF]->(o:Organization)
SET v.state = $state, v.decided_at = datetime(), v.decided_by = $by,
    v.reason_zh = $reason_zh, v.reason_en = $reason_en
WITH v, o
CALL (v, o) {
  WITH v, o WHERE v.asked = 'registration'
  SET o.status = CASE $state WHEN 'approved' THEN 'verified' ELSE 'rejected' END
}
RETURN v.decided_at AS decided_at
"""

# The entries awaiting a decision on a firm, with its names (to tell new verifiers of them).
WAITING: LiteralString = """
MATCH (v:Verification {state: 'pending'})-[:OF]->(o:Organization {uscc: $uscc})
RETURN v.id AS id, o.name_zh AS name_zh, o.name_en AS name_en ORDER BY id
"""

MARK_PENDING: LiteralString = """
MATCH (o:Organization {uscc: $uscc}) SET o.status = 'pending'
"""

SAVE_EVIDENCE: LiteralString = """
CREATE (e:Evidence {id: $id, owner: $pid, media_type: $media_type, size: $size,
                    sha256: $sha256, uploaded_at: datetime()})
"""

# Whether the caller may read an evidence file: its uploader, an admin, the members of
# the firm it was given for, or that firm's verifiers.
MAY_READ: LiteralString = (
    """
MATCH (e:Evidence {id: $id})
RETURN e {.*} AS e, e.owner = $pid OR $admin OR EXISTS {
  MATCH (v:Verification)-[:WITH_EVIDENCE]->(e), (v)-[:OF]->(o:Organization)
  WHERE o.uscc IN $orgs OR """
    + MAY_VERIFY
    + """
} AS allowed
"""
)


def evidence(row: Any) -> Evidence | None:
    if row is None:
        return None
    return Evidence(row["id"], row["media_type"], row["size"], row["sha256"])


def verification(row: Any) -> Verification:
    v, o = row["v"], row["o"]
    return Verification(
        id=v["id"],
        uscc=v["uscc"],
        asked=Asked(v["asked"]),
        state=State(v["state"]),
        asker_id=row["asker_id"],
        asker_handle=row["asker_handle"],
        requested_at=python_value(v["requested_at"]),
        organization_name_zh=o["name_zh"],
        organization_name_en=o["name_en"],
        organization_status=o.get("status") or "verified",
        evidence=evidence(row["e"]),
        decided_at=python_value(v.get("decided_at")),
        decided_by=v.get("decided_by"),
        reason_zh=v.get("reason_zh"),
        reason_en=v.get("reason_en"),
    )


async def ask(tx: Tx, pid: str, uscc: str, asked: Asked, evidence_id: str | None) -> str:
    row = await tx.single(ASK, pid=pid, uscc=uscc, asked=asked.value, evidence=evidence_id)
    assert row is not None
    return str(row["id"])


async def claimed(tx: Tx, pid: str, uscc: str) -> tuple[bool, bool] | None:
    """(already a member, already waiting) of the asker; None: no such organization."""
    row = await tx.single(CLAIMED, pid=pid, uscc=uscc)
    return None if row is None else (bool(row["member"]), bool(row["waiting"]))


async def owned_evidence(tx: Tx, pid: str, evidence_id: str) -> Evidence | None:
    row = await tx.single(EVIDENCE_OF, id=evidence_id, pid=pid)
    return None if row is None else evidence(row["e"])


async def queue(tx: Tx, admin: bool, parks: list[str], limit: int) -> list[Verification]:
    rows = await tx.records(QUEUE, admin=admin, parks=parks, limit=limit)
    return [verification(r) for r in rows]


async def locked(tx: Tx, vid: str, admin: bool, parks: list[str]) -> Verification | None:
    row = await tx.single(LOCKED, id=vid, admin=admin, parks=parks)
    return None if row is None else verification(row)


async def decide(
    tx: Tx, vid: str, state: State, by: str, reason: tuple[str | None, str | None]
) -> Any:
    row = await tx.single(
        DECIDE, id=vid, state=state.value, by=by, reason_zh=reason[0], reason_en=reason[1]
    )
    return None if row is None else python_value(row["decided_at"])


async def waiting(tx: Tx, uscc: str) -> list[tuple[str, dict[str, str]]]:
    rows = await tx.records(WAITING, uscc=uscc)
    return [(r["id"], {"zh": r["name_zh"], "en": r["name_en"]}) for r in rows]


async def mark_pending(tx: Tx, uscc: str) -> None:
    await tx.run(MARK_PENDING, uscc=uscc)


async def save_evidence(tx: Tx, pid: str, e: Evidence) -> None:
    await tx.run(
        SAVE_EVIDENCE, id=e.id, pid=pid, media_type=e.media_type, size=e.size, sha256=e.sha256
    )


async def may_read(
    tx: Tx, evidence_id: str, pid: str, admin: bool, orgs: list[str], parks: list[str]
) -> Evidence | None:
    """The evidence, if it exists and the caller may read it."""
    row = await tx.single(MAY_READ, id=evidence_id, pid=pid, admin=admin, orgs=orgs, parks=parks)
    if row is None or not row["allowed"]:
        return None
    return evidence(row["e"])
