"""Targets of the onboarding mutations (claims and their verification) for the matrix."""

from __future__ import annotations

from typing import Any

from hub.db.driver import Tx
from tests import factories
from tests.security.matrix import HANDLES
from tests.security.targets import Bench

CLAIMANT = "claimant@matrix"

# A firm already in the hub with a site in BJ-ETOWN (the operator's park), and a pending
# claim on it by CLAIMANT.
PENDING_CLAIM = """
MERGE (p:Principal {handle: $claimant})
ON CREATE SET p.id = randomUUID(), p.created_at = datetime()
CREATE (o:Organization {uscc: $uscc, name_zh: '认领目标', name_en: 'Claimed (fictional)',
                        kind: 'provider', active: true, status: 'verified'})
CREATE (o)-[:HAS_SITE]->(s:Site {id: $uscc + '/s1', uscc: $uscc, code: 's1', active: true})
WITH p, o, s
MATCH (park:Park {code: 'BJ-ETOWN'})
CREATE (s)-[:LOCATED_IN]->(park)
CREATE (p)-[:ASKED]->(v:Verification {id: $vid, uscc: $uscc, asked: 'claim', state: 'pending',
                                       requested_at: datetime()})-[:OF]->(o)
"""

EVIDENCE = """
UNWIND $handles AS h
MATCH (p:Principal {handle: h})
CREATE (:Evidence {id: $base + replace(replace(h, '@', 'at'), '.', 'dot'), owner: p.id,
                   media_type: 'application/pdf', size: 9, sha256: 'x', uploaded_at: datetime()})
"""


def _evidence_id(base: str, handle: str) -> str:
    return base + handle.replace("@", "at").replace(".", "dot")


async def _evidence(tx: Tx, base: str) -> None:
    await tx.run(EVIDENCE, base=base, handles=sorted(HANDLES.values()))


async def claimable(bench: Bench, n: int) -> dict[str, Any]:
    """A firm in the hub, and evidence uploaded by every signed-in kind of caller (each
    claims with its own: `_by_kind`)."""
    uscc = await factories.organization(bench.db, 7500 + n)
    base = f"m{n}x"
    await bench.db.write(_evidence, base)
    by_kind = {kind: {"e": _evidence_id(base, handle)} for kind, handle in HANDLES.items()}
    return {"u": uscc, "e": _evidence_id(base, HANDLES["admin"]), "_by_kind": by_kind}


async def _pending_claim(tx: Tx, uscc: str, vid: str) -> None:
    await tx.run(PENDING_CLAIM, claimant=CLAIMANT, uscc=uscc, vid=vid)


async def pending_claim(bench: Bench, n: int) -> dict[str, Any]:
    uscc, vid = factories.uscc(7700 + n), f"matrix-claim-{n}"
    await bench.db.write(_pending_claim, uscc, vid)
    return {"id": vid}
