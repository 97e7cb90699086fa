"""Cypher reads of the registry: pages of organizations, the loaders' batches, expiring
certificates, compiled trees, and what validation reads (reference data, capacity units).

Loaders take many keys and answer in one query (`UNWIND $keys`), so a nested GraphQL
query costs one round-trip per level, whatever the number of objects. Offering search
has its own module (hub.registry.store.search).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.registry import model
from hub.registry.standing import PUBLIC
from hub.registry.store import states
from hub.registry.store.projection import cypher

ORG_FILTER: LiteralString = (
    """
WHERE ($include_retired OR """
    + PUBLIC
    + """)
  AND ($kind IS NULL OR o.kind IN $kinds)
  AND ($parks IS NULL
       OR EXISTS { (o)-[:IN_PARK]->(p:Park) WHERE p.code IN $parks }
       OR EXISTS { (o)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(p:Park) WHERE p.code IN $parks })
  AND ($city IS NULL OR EXISTS { (o)-[:HAS_SITE]->(s:Site) WHERE s.city = $city })
  AND ($capability IS NULL OR EXISTS {
       (o)-[:HAS_SITE]->(:Site)-[:OFFERS]->(f:Offering)-[:OF]->(:Capability)
          -[:BROADER*0..5]->(:Capability {code: $capability}) WHERE f.active })
  AND ($authority IS NULL OR EXISTS {
       (o)-[:HOLDS]->(c:Certificate {authority: $authority})
       WHERE c.active AND (c.valid_to IS NULL OR c.valid_to >= date()) })
"""
)

ORG_STATE: LiteralString = "o {.*, parks: [(o)-[:IN_PARK]->(p:Park) | p.code]} AS state"

# Where a page by USCC starts: every organization, in the USCC index's order after the
# key; or, when parks are asked, the organizations of those parks (members and those with
# a site there), found from the parks instead of testing every organization.
ALL_ORGS: LiteralString = "MATCH (o:Organization) " + ORG_FILTER
PARK_ORGS: LiteralString = (
    """MATCH (park:Park) WHERE park.code IN $parks
CALL (park) {
  MATCH (o:Organization)-[:IN_PARK]->(park) RETURN o
  UNION
  MATCH (o:Organization)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(park) RETURN o
}
WITH DISTINCT o """
    + ORG_FILTER
)
AFTER_KEY: LiteralString = " AND o.uscc > coalesce($after, '') "

ORGANIZATIONS_BY_KEY: LiteralString = (
    ALL_ORGS + AFTER_KEY + "RETURN " + ORG_STATE + ", null AS score ORDER BY o.uscc LIMIT $limit"
)
PARK_ORGANIZATIONS_BY_KEY: LiteralString = (
    PARK_ORGS + AFTER_KEY + "RETURN " + ORG_STATE + ", null AS score ORDER BY o.uscc LIMIT $limit"
)

ORGANIZATIONS_BY_TEXT: LiteralString = (
    "CALL db.index.fulltext.queryNodes('organization_text', $text) YIELD node AS o, score "
    + ORG_FILTER
    + " RETURN "
    + ORG_STATE
    + ", score "
    "ORDER BY score DESC, o.uscc SKIP $skip LIMIT $limit"
)

ORGANIZATIONS: LiteralString = (
    "UNWIND $keys AS key MATCH (o:Organization {uscc: key}) RETURN key, " + ORG_STATE
)

SITES_OF: LiteralString = """
UNWIND $keys AS key
MATCH (:Organization {uscc: key})-[:HAS_SITE]->(s:Site)
WHERE $include_retired OR s.active
RETURN key, s {.*, location: null, park: [(s)-[:LOCATED_IN]->(p:Park) | p.code][0]} AS state
ORDER BY s.id
"""

SITES: LiteralString = """
UNWIND $keys AS key
MATCH (s:Site {id: key})
RETURN key, s {.*, location: null, park: [(s)-[:LOCATED_IN]->(p:Park) | p.code][0]} AS state
"""

OFFERINGS_OF: LiteralString = """
UNWIND $keys AS key
MATCH (:Site {id: key})-[:OFFERS]->(f:Offering)
WHERE $include_retired OR f.active
RETURN key, f {.*, equipment: [(f)-[:RUNS_ON]->(e:Equipment) | e.tag]} AS state
ORDER BY f.id
"""

EQUIPMENT_OF: LiteralString = """
UNWIND $keys AS key
MATCH (:Site {id: key})-[:HAS_EQUIPMENT]->(e:Equipment)
WHERE $include_retired OR e.active
RETURN key, e {.*} AS state ORDER BY e.id
"""

CERTIFICATES_OF: LiteralString = """
UNWIND $keys AS key
MATCH (:Organization {uscc: key})-[:HOLDS]->(c:Certificate)
WHERE $include_retired OR c.active
RETURN key, c {.*, sites: [(c)-[:COVERS_SITE]->(s:Site) | s.code],
               capabilities: [(c)-[:COVERS]->(x:Capability) | x.code]} AS state
ORDER BY c.valid_to, c.id
"""

CAPACITY_OF: LiteralString = """
UNWIND $keys AS key
MATCH (b:CapacityBucket {owner_id: key})
WHERE b.end > $from AND b.start < $to
RETURN key, b {.*} AS state ORDER BY b.start
"""

EXPIRING: LiteralString = (
    """
MATCH (o:Organization)-[:HOLDS]->(c:Certificate)
WHERE c.active AND c.valid_to IS NOT NULL AND c.valid_to <= $until
  AND ($usccs IS NULL OR o.uscc IN $usccs)
  AND ($mine IS NULL OR o.uscc IN $mine OR """
    + PUBLIC
    + """)
RETURN c {.*, sites: [(c)-[:COVERS_SITE]->(s:Site) | s.code],
          capabilities: [(c)-[:COVERS]->(x:Capability) | x.code]} AS state
ORDER BY c.valid_to, c.id LIMIT $limit
"""
)


OWNER_UNITS: LiteralString = """
UNWIND $ids AS id
OPTIONAL MATCH (o:Offering {id: id})
OPTIONAL MATCH (e:Equipment {id: id})
WITH id, o, e WHERE o IS NOT NULL OR e IS NOT NULL
RETURN id, CASE WHEN o IS NOT NULL THEN o.unit ELSE $instrument_hour END AS unit
"""


@dataclass(frozen=True)
class OrganizationFilter:
    kinds: list[str] | None = None
    parks: list[str] | None = None
    city: str | None = None
    capability: str | None = None
    authority: str | None = None
    text: str | None = None
    include_retired: bool = False

    def params(self) -> dict[str, Any]:
        return {
            "kind": self.kinds,
            "kinds": self.kinds or [],
            "parks": self.parks,
            "city": self.city,
            "capability": self.capability,
            "authority": self.authority,
            "include_retired": self.include_retired,
        }


async def organizations_page(
    tx: Tx,
    where: OrganizationFilter,
    limit: int,
    after: str | None,
    skip: int,
) -> list[model.Organization]:
    """One page, `limit` long: by USCC (keyset `after`), or by relevance (offset `skip`)."""
    if where.text is None:
        query = ORGANIZATIONS_BY_KEY if where.parks is None else PARK_ORGANIZATIONS_BY_KEY
        rows = await tx.records(query, **where.params(), after=after, limit=limit)
    else:
        rows = await tx.records(
            ORGANIZATIONS_BY_TEXT, **where.params(), text=where.text, skip=skip, limit=limit
        )
    return [states.organization(r["state"]) for r in rows]


async def organizations(tx: Tx, keys: list[str]) -> dict[str, model.Organization | None]:
    rows = await tx.records(ORGANIZATIONS, keys=keys)
    return {r["key"]: states.organization(r["state"]) for r in rows}


async def sites(tx: Tx, keys: list[str]) -> dict[str, model.Site | None]:
    return {r["key"]: states.site(r["state"]) for r in await tx.records(SITES, keys=keys)}


async def _grouped(
    tx: Tx,
    cypher: LiteralString,
    keys: list[str],
    **params: Any,
) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
    for row in await tx.records(cypher, keys=keys, **params):
        grouped[row["key"]].append(dict(row["state"]))
    return grouped


async def sites_of(tx: Tx, usccs: list[str], retired: bool) -> dict[str, list[model.Site]]:
    grouped = await _grouped(tx, SITES_OF, usccs, include_retired=retired)
    return {k: [states.site(s) for s in v] for k, v in grouped.items()}


async def offerings_of(
    tx: Tx,
    site_ids: list[str],
    retired: bool,
) -> dict[str, list[model.Offering]]:
    grouped = await _grouped(tx, OFFERINGS_OF, site_ids, include_retired=retired)
    return {k: [states.offering(s) for s in v] for k, v in grouped.items()}


async def equipment_of(
    tx: Tx,
    site_ids: list[str],
    retired: bool,
) -> dict[str, list[model.Equipment]]:
    grouped = await _grouped(tx, EQUIPMENT_OF, site_ids, include_retired=retired)
    return {k: [states.equipment(s) for s in v] for k, v in grouped.items()}


async def certificates_of(
    tx: Tx,
    usccs: list[str],
    retired: bool,
) -> dict[str, list[model.Certificate]]:
    grouped = await _grouped(tx, CERTIFICATES_OF, usccs, include_retired=retired)
    return {k: [states.certificate(s) for s in v] for k, v in grouped.items()}


async def capacity_of(
    tx: Tx,
    owner_ids: list[str],
    start: datetime,
    end: datetime,
) -> dict[str, list[model.CapacityBucket]]:
    grouped = await _grouped(tx, CAPACITY_OF, owner_ids, **{"from": start, "to": end})
    return {k: [states.bucket(s) for s in v] for k, v in grouped.items()}


async def expiring_certificates(
    tx: Tx,
    until: date,
    usccs: list[str] | None,
    limit: int,
    mine: list[str] | None = None,
) -> list[model.Certificate]:
    """`mine`: the caller's organizations, seen even when not public; None: all (admins)."""
    rows = await tx.records(EXPIRING, until=until, usccs=usccs, limit=limit, mine=mine)
    return [states.certificate(r["state"]) for r in rows]


async def owner_units(tx: Tx, ids: list[str]) -> dict[str, str]:
    """The capacity unit of each offering or equipment id that exists."""
    rows = await tx.records(OWNER_UNITS, ids=ids, instrument_hour=model.INSTRUMENT_HOUR)
    return {r["id"]: r["unit"] for r in rows}


# --- compiled reads (hub/registry/store/projection.py): the whole answer in one round-trip ---

ORGANIZATION_TREE = "MATCH (o:Organization {uscc: $uscc}) RETURN o {%s} AS row"
TREES_BY_KEY = " WITH o ORDER BY o.uscc LIMIT $limit RETURN o {%s} AS row"
ORGANIZATION_TREES_BY_KEY = ALL_ORGS + AFTER_KEY + TREES_BY_KEY
PARK_ORGANIZATION_TREES_BY_KEY = PARK_ORGS + AFTER_KEY + TREES_BY_KEY
ORGANIZATION_TREES_BY_TEXT = (
    "CALL db.index.fulltext.queryNodes('organization_text', $text) YIELD node AS o, score "
    + ORG_FILTER
    + " WITH o, score ORDER BY score DESC, o.uscc SKIP $skip LIMIT $limit RETURN o {%s} AS row"
)


async def organization_tree(
    tx: Tx, uscc: str, projection: str, params: dict[str, Any]
) -> dict[str, Any] | None:
    """One organization as a lean row, with what was asked beneath it."""
    row = await tx.single(cypher(ORGANIZATION_TREE % projection), uscc=uscc, **params)
    return None if row is None else dict(row["row"])


async def organization_trees(
    tx: Tx,
    where: OrganizationFilter,
    limit: int,
    after: str | None,
    skip: int,
    projection: str,
    params: dict[str, Any],
) -> list[dict[str, Any]]:
    """A page of organizations (as organizations_page orders it) as lean rows."""
    if where.text is None:
        by_key = (
            ORGANIZATION_TREES_BY_KEY if where.parks is None else PARK_ORGANIZATION_TREES_BY_KEY
        )
        text = cypher(by_key % projection)
        rows = await tx.collected(
            text, ("row",), **where.params(), after=after, limit=limit, **params
        )
    else:
        text = cypher(ORGANIZATION_TREES_BY_TEXT % projection)
        rows = await tx.collected(
            text, ("row",), **where.params(), text=where.text, skip=skip, limit=limit, **params
        )
    return [r["row"] for r in rows]
