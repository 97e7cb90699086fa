"""Reads of requests and matches, narrowed to what the caller may see.

A requester's members see its requests, every match and quote, and the budget; a
provider's members see only requests routed to them, only their own match, and never
the budget. To anyone else a request behaves as missing.
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.identity.model import Principal
from hub.routing.model import Match, VisibleRequest
from hub.routing.store import rows

VISIBLE: LiteralString = """
($admin OR r.requester IN $orgs OR EXISTS {
   (r)<-[:FOR]-(:Match)-[:ROUTED_TO]->(p:Organization) WHERE p.uscc IN $orgs })
"""

REQUESTS: LiteralString = (
    "UNWIND $ids AS id MATCH (r:Request {id: id}) WHERE "
    + VISIBLE
    + " RETURN r {.*, _lock: null} AS request, ($admin OR r.requester IN $orgs) AS own"
)

MY_REQUESTS: LiteralString = """
MATCH (r:Request)
WHERE (r.requester IN $orgs OR ($admin AND r.requester = $uscc))
  AND ($uscc IS NULL OR r.requester = $uscc) AND ($status IS NULL OR r.status = $status)
RETURN r {.*, _lock: null} AS request, true AS own
ORDER BY r.created_at DESC, r.id SKIP $skip LIMIT $limit
"""

MATCHES: LiteralString = """
UNWIND $requests AS request
MATCH (r:Request {id: request.id})<-[:FOR]-(m:Match)
WHERE request.own OR m.uscc IN $orgs
RETURN r.id AS request, m {.*, _lock: null} AS match ORDER BY m.rank
"""

INBOX: LiteralString = """
MATCH (m:Match)
WHERE (m.uscc IN $orgs OR ($admin AND m.uscc = $uscc))
  AND ($uscc IS NULL OR m.uscc = $uscc) AND ($status IS NULL OR m.status = $status)
MATCH (m)-[:FOR]->(r:Request)
RETURN r {.*, _lock: null} AS request, false AS own
ORDER BY m.deadline, m.id LIMIT $limit
"""


def _scope(principal: Principal) -> dict[str, Any]:
    return {"orgs": sorted(principal.member_scopes()), "admin": principal.is_admin}


async def requests(tx: Tx, principal: Principal, ids: list[str]) -> dict[str, VisibleRequest]:
    found = await tx.records(REQUESTS, ids=ids, **_scope(principal))
    return {r["request"]["id"]: _visible(r["request"], r["own"]) for r in found}


def _visible(row: rows.Row, own: bool) -> VisibleRequest:
    return VisibleRequest(rows.request(row), own)


async def my_requests(
    tx: Tx, principal: Principal, status: str | None, skip: int, limit: int, uscc: str | None
) -> list[VisibleRequest]:
    """Requests of the caller's organizations, or of one of them (admins: any one)."""
    found = await tx.records(
        MY_REQUESTS, status=status, skip=skip, limit=limit, uscc=uscc, **_scope(principal)
    )
    return [_visible(r["request"], True) for r in found]


async def inbox(
    tx: Tx, principal: Principal, status: str | None, limit: int, uscc: str | None
) -> list[VisibleRequest]:
    """Requests routed to the caller's organizations, or to one of them (admins: any one)."""
    found = await tx.records(INBOX, status=status, limit=limit, uscc=uscc, **_scope(principal))
    return [_visible(r["request"], False) for r in found]


async def matches(
    tx: Tx, principal: Principal, asked: list[tuple[str, bool]]
) -> dict[str, list[Match]]:
    """The matches of each (request id, own) that the caller may see, best rank first."""
    found: dict[str, list[Match]] = {request_id: [] for request_id, _ in asked}
    keys = [{"id": request_id, "own": own} for request_id, own in asked]
    for row in await tx.records(MATCHES, requests=keys, **_scope(principal)):
        found[row["request"]].append(rows.match(row["match"]))
    return found
