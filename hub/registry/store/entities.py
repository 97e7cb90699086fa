"""How each registry entity is stored: its state as the graph holds it, and its Cypher.

One `Storage` per entity class (STORAGE[model.Site] ...). A storage's `state` is the
entity as flat properties plus its relationships as lists of keys (parks, equipment tags,
covered sites...). `read` gives that shape back, so a change is detected by comparing two
plain dicts, and the audit log records both. `read` leaves out the bookkeeping timestamps
and points: they never count as a change, and decoding them is the slowest part of
reading 10,000 states.

The writes of offerings, certificates and capacity buckets end by refreshing the fit
summaries of the offerings they touch (hub.fit.summary.REFRESH), in the same query, so
every writer through `write` (mutations) keeps them. A writer of many batches in one
transaction (an import, a generated network) uses `write_stale` instead, the same write
returning the ids of the offerings it leaves stale, and refreshes each of them once at
the end of its transaction (hub.registry.store.writes.refresh_stale). Such a writer
also sends the entities its transaction has just read as absent to `create` (CREATE, no
lookup of their keys) and only the others to `write`; capacity buckets go grouped by
owner, each owner looked up once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, LiteralString

from hub.fit.summary import REFRESH
from hub.registry import model

State = dict[str, Any]


@dataclass(frozen=True)
class Storage:
    """The Cypher and the state of one entity class (read, write, parents' check)."""

    label: LiteralString
    read: LiteralString  # $keys -> key, state
    write: LiteralString  # $rows [{key, props, ...}] -> problem keys (if any)
    # $rows [{props, relations, line?}] -> line, field, value of parents that do not exist
    missing: LiteralString
    state: Callable[[Any], State]
    key: Callable[[Any], str]
    relations: tuple[str, ...] = ()  # state entries held as relationships, not properties
    # date-times sent beside the props as ISO text, parsed back by `write`
    as_text: tuple[str, ...] = ()
    # `write` without the fit refresh: -> problems, offerings (ids of stale summaries)
    write_stale: LiteralString | None = None
    # For a bulk writer (see hub.registry.store.writes.bulk), `write_stale` (or `write`, if
    # none) of entities its transaction has read as absent: CREATE, not MERGE.
    create: LiteralString | None = None
    # `write` takes $groups [{owner, rows}] of the rows sharing this property, not $rows
    grouped_by: str | None = None

    def row(self, key: str, state: State) -> dict[str, Any]:
        """The parameters of `write` for one entity."""
        props = {k: v for k, v in state.items() if k not in self.relations}
        # The driver packs Python date-times slowly; text is cheap and Cypher parses it.
        texts = {k: _iso(props.pop(k, None)) for k in self.as_text}
        return {"key": key, "props": props, **texts, **{r: state[r] for r in self.relations}}

    def params(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """The parameters of `write` for these rows."""
        if self.grouped_by is None:
            return {"rows": rows}
        groups: dict[Any, list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(row["props"][self.grouped_by], []).append(row)
        return {"groups": [{"owner": o, "rows": g} for o, g in groups.items()]}


def _iso(value: Any) -> Any:
    return value.isoformat() if value else value


def _org_state(o: model.Organization) -> State:
    return {
        "uscc": o.uscc,
        "name_zh": o.name_zh,
        "name_en": o.name_en,
        "kind": o.kind.value,
        "licence_numbers": list(o.licence_numbers),
        "fda_fei": o.fda_fei,
        "website": o.website,
        "contact_name": o.contact.name,
        "contact_email": o.contact.email,
        "contact_phone": o.contact.phone,
        "internal_note": o.internal_note,
        "active": o.active,
        "fictional": o.fictional,
        "parks": sorted(o.parks),
    }


ORGANIZATION = Storage(
    label="Organization",
    read="""
UNWIND $keys AS key
MATCH (n:Organization {uscc: key})
RETURN key, n {.*, created_at: null, updated_at: null,
               parks: [(n)-[:IN_PARK]->(p:Park) | p.code]} AS state
""",
    write="""
UNWIND $rows AS row
MERGE (n:Organization {uscc: row.key})
ON CREATE SET n.created_at = datetime()
SET n += row.props, n.updated_at = datetime()
WITH n, row
CALL (n, row) {
  MATCH (n)-[r:IN_PARK]->(p:Park) WHERE NOT p.code IN row.parks
  DELETE r
}
CALL (n, row) {
  UNWIND row.parks AS code
  MATCH (p:Park {code: code})
  MERGE (n)-[:IN_PARK]->(p)
}
RETURN [] AS problems
""",
    missing="UNWIND $rows AS row RETURN null AS line, null AS field, null AS value LIMIT 0",
    create="""
UNWIND $rows AS row
CREATE (n:Organization)
SET n = row.props, n.created_at = datetime(), n.updated_at = datetime()
WITH n, row
CALL (n, row) {
  UNWIND row.parks AS code
  WITH DISTINCT n, code
  MATCH (p:Park {code: code})
  CREATE (n)-[:IN_PARK]->(p)
}
RETURN [] AS problems
""",
    state=_org_state,
    key=lambda o: o.uscc,
    relations=("parks",),
)


def _site_state(s: model.Site) -> State:
    return {
        "id": s.id,
        "uscc": s.uscc,
        "code": s.code,
        "name_zh": s.name_zh,
        "name_en": s.name_en,
        "address": s.address,
        "city": s.city,
        "district": s.district,
        "lat": s.lat,
        "lon": s.lon,
        "park": s.park,
        "active": s.active,
    }


SITE = Storage(
    label="Site",
    read="""
UNWIND $keys AS key
MATCH (n:Site {id: key})
RETURN key, n {.*, created_at: null, updated_at: null, location: null,
               park: [(n)-[:LOCATED_IN]->(p:Park) | p.code][0]} AS state
""",
    write="""
UNWIND $rows AS row
MATCH (o:Organization {uscc: row.props.uscc})
MERGE (n:Site {id: row.key})
ON CREATE SET n.created_at = datetime()
SET n += row.props, n.updated_at = datetime(),
    n.location = point({latitude: row.props.lat, longitude: row.props.lon})
MERGE (o)-[:HAS_SITE]->(n)
WITH n, row
CALL (n, row) {
  MATCH (n)-[r:LOCATED_IN]->(p:Park) WHERE p.code <> coalesce(row.park, '')
  DELETE r
}
CALL (n, row) {
  MATCH (p:Park {code: row.park})
  MERGE (n)-[:LOCATED_IN]->(p)
}
RETURN [] AS problems
""",
    missing="""
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { MATCH (:Organization {uscc: row.props.uscc}) }
RETURN row.line AS line, 'uscc' AS field, row.props.uscc AS value
""",
    state=_site_state,
    create="""
UNWIND $rows AS row
MATCH (o:Organization {uscc: row.props.uscc})
CREATE (o)-[:HAS_SITE]->(n:Site)
SET n = row.props, n.created_at = datetime(), n.updated_at = datetime(),
    n.location = point({latitude: row.props.lat, longitude: row.props.lon})
WITH n, row
CALL (n, row) {
  MATCH (p:Park {code: row.park})
  CREATE (n)-[:LOCATED_IN]->(p)
}
RETURN [] AS problems
""",
    key=lambda s: s.id,
    relations=("park",),
)


def _offering_state(o: model.Offering) -> State:
    return {
        "id": o.id,
        "site_id": o.site_id,
        "code": o.code,
        "capability": o.capability,
        "unit": o.unit,
        "gmp_grade": o.gmp_grade.value,
        "scale_min": o.scale_min,
        "scale_max": o.scale_max,
        "modality": o.modality,
        "lead_time_days": o.lead_time_days,
        "description_zh": o.description_zh,
        "description_en": o.description_en,
        "active": o.active,
        "equipment": sorted(o.equipment),
    }


OFFERING_WRITE: LiteralString = """
UNWIND $rows AS row
MATCH (s:Site {id: row.props.site_id})
MATCH (c:Capability {code: row.props.capability})
MERGE (n:Offering {id: row.key})
ON CREATE SET n.created_at = datetime()
SET n += row.props, n.updated_at = datetime()
MERGE (s)-[:OFFERS]->(n)
WITH n, row, s, c
CALL (n, c) {
  MATCH (n)-[r:OF]->(other:Capability) WHERE other <> c
  DELETE r
}
MERGE (n)-[:OF]->(c)
WITH n, row, s
CALL (n, row) {
  MATCH (n)-[r:RUNS_ON]->(e:Equipment) WHERE NOT e.tag IN row.equipment
  DELETE r
}
CALL (n, row, s) {
  UNWIND row.equipment AS tag
  MATCH (s)-[:HAS_EQUIPMENT]->(e:Equipment {tag: tag})
  MERGE (n)-[:RUNS_ON]->(e)
}
"""

OFFERING = Storage(
    label="Offering",
    read="""
UNWIND $keys AS key
MATCH (n:Offering {id: key})
RETURN key, n {.*, created_at: null, updated_at: null,
               equipment: [(n)-[:RUNS_ON]->(e:Equipment) | e.tag]} AS state
""",
    write=OFFERING_WRITE + "WITH collect(n) AS offerings" + REFRESH + "RETURN [] AS problems",
    write_stale=OFFERING_WRITE + "RETURN [] AS problems, collect(n.id) AS offerings",
    create="""
UNWIND $rows AS row
MATCH (s:Site {id: row.props.site_id})
MATCH (c:Capability {code: row.props.capability})
CREATE (s)-[:OFFERS]->(n:Offering)-[:OF]->(c)
SET n = row.props, n.created_at = datetime(), n.updated_at = datetime()
WITH n, row, s
CALL (n, row, s) {
  UNWIND row.equipment AS tag
  WITH DISTINCT n, s, tag
  MATCH (s)-[:HAS_EQUIPMENT]->(e:Equipment {tag: tag})
  CREATE (n)-[:RUNS_ON]->(e)
}
RETURN [] AS problems, collect(n.id) AS offerings
""",
    missing="""
UNWIND $rows AS row
OPTIONAL MATCH (s:Site {id: row.props.site_id})
WITH row, s
CALL (row, s) {
  WITH row, s WHERE s IS NULL
  RETURN 'site' AS field, row.props.site_id AS value
  UNION
  WITH row, s WHERE s IS NOT NULL
  UNWIND row.equipment AS tag
  WITH s, tag WHERE NOT EXISTS { MATCH (s)-[:HAS_EQUIPMENT]->(:Equipment {tag: tag}) }
  RETURN 'equipment' AS field, tag AS value
}
RETURN row.line AS line, field, value
""",
    state=_offering_state,
    key=lambda o: o.id,
    relations=("equipment",),
)


def _equipment_state(e: model.Equipment) -> State:
    return {
        "id": e.id,
        "site_id": e.site_id,
        "tag": e.tag,
        "type": e.type,
        "size": e.size,
        "size_unit": e.size_unit,
        "model": e.model,
        "grade": e.grade.value,
        "count": e.count,
        "shareable": e.shareable,
        "active": e.active,
    }


EQUIPMENT = Storage(
    label="Equipment",
    read="""
UNWIND $keys AS key
MATCH (n:Equipment {id: key})
RETURN key, n {.*, created_at: null, updated_at: null} AS state
""",
    write="""
UNWIND $rows AS row
MATCH (s:Site {id: row.props.site_id})
MERGE (n:Equipment {id: row.key})
ON CREATE SET n.created_at = datetime()
SET n += row.props, n.updated_at = datetime()
MERGE (s)-[:HAS_EQUIPMENT]->(n)
RETURN [] AS problems
""",
    missing="""
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { MATCH (:Site {id: row.props.site_id}) }
RETURN row.line AS line, 'site' AS field, row.props.site_id AS value
""",
    state=_equipment_state,
    create="""
UNWIND $rows AS row
MATCH (s:Site {id: row.props.site_id})
CREATE (s)-[:HAS_EQUIPMENT]->(n:Equipment)
SET n = row.props, n.created_at = datetime(), n.updated_at = datetime()
RETURN [] AS problems
""",
    key=lambda e: e.id,
)


def _certificate_state(c: model.Certificate) -> State:
    return {
        "id": c.id,
        "uscc": c.uscc,
        "authority": c.authority.value,
        "number": c.number,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "last_inspection": c.last_inspection,
        "outcome": None if c.outcome is None else c.outcome.value,
        "active": c.active,
        "sites": sorted(c.sites),
        "capabilities": sorted(c.capabilities),
    }


CERTIFICATE_WRITE: LiteralString = """
UNWIND $rows AS row
MATCH (o:Organization {uscc: row.props.uscc})
MERGE (n:Certificate {id: row.key})
ON CREATE SET n.created_at = datetime()
SET n += row.props, n.updated_at = datetime()
MERGE (o)-[:HOLDS]->(n)
WITH n, row, o
CALL (n, row) {
  MATCH (n)-[r:COVERS_SITE]->(s:Site) WHERE NOT s.code IN row.sites
  DELETE r
}
CALL (n, row) {
  MATCH (n)-[r:COVERS]->(c:Capability) WHERE NOT c.code IN row.capabilities
  DELETE r
}
CALL (n, row, o) {
  UNWIND row.sites AS code
  MATCH (o)-[:HAS_SITE]->(s:Site {code: code})
  MERGE (n)-[:COVERS_SITE]->(s)
}
CALL (n, row) {
  UNWIND row.capabilities AS code
  MATCH (c:Capability {code: code})
  MERGE (n)-[:COVERS]->(c)
}
WITH collect(DISTINCT o) AS holders
UNWIND holders AS holder
OPTIONAL MATCH (holder)-[:HAS_SITE]->(:Site)-[:OFFERS]->(f:Offering)
"""

CERTIFICATE = Storage(
    label="Certificate",
    read="""
UNWIND $keys AS key
MATCH (n:Certificate {id: key})
RETURN key, n {.*, created_at: null, updated_at: null,
               sites: [(n)-[:COVERS_SITE]->(s:Site) | s.code],
               capabilities: [(n)-[:COVERS]->(c:Capability) | c.code]} AS state
""",
    write=CERTIFICATE_WRITE + "WITH collect(f) AS offerings" + REFRESH + "RETURN [] AS problems",
    write_stale=CERTIFICATE_WRITE + "RETURN [] AS problems, collect(DISTINCT f.id) AS offerings",
    create="""
UNWIND $rows AS row
MATCH (o:Organization {uscc: row.props.uscc})
CREATE (o)-[:HOLDS]->(n:Certificate)
SET n = row.props, n.created_at = datetime(), n.updated_at = datetime()
WITH n, row, o
CALL (n, row, o) {
  UNWIND row.sites AS code
  WITH DISTINCT n, o, code
  MATCH (o)-[:HAS_SITE]->(s:Site {code: code})
  CREATE (n)-[:COVERS_SITE]->(s)
}
CALL (n, row) {
  UNWIND row.capabilities AS code
  WITH DISTINCT n, code
  MATCH (c:Capability {code: code})
  CREATE (n)-[:COVERS]->(c)
}
WITH collect(DISTINCT o) AS holders
UNWIND holders AS holder
OPTIONAL MATCH (holder)-[:HAS_SITE]->(:Site)-[:OFFERS]->(f:Offering)
RETURN [] AS problems, collect(DISTINCT f.id) AS offerings
""",
    missing="""
UNWIND $rows AS row
OPTIONAL MATCH (o:Organization {uscc: row.props.uscc})
WITH row, o
CALL (row, o) {
  WITH row, o WHERE o IS NULL
  RETURN 'uscc' AS field, row.props.uscc AS value
  UNION
  WITH row, o WHERE o IS NOT NULL
  UNWIND row.sites AS code
  WITH o, code WHERE NOT EXISTS { MATCH (o)-[:HAS_SITE]->(:Site {code: code}) }
  RETURN 'sites' AS field, code AS value
}
RETURN row.line AS line, field, value
""",
    state=_certificate_state,
    key=lambda c: c.id,
    relations=("sites", "capabilities"),
)


def _bucket_state(b: model.CapacityBucket) -> State:
    return {
        "id": b.id,
        "owner_id": b.owner_id,
        "grain": b.grain.value,
        "start": b.start,
        "end": b.end,
        "total": b.total,
        "unit": b.unit,
    }


# One lookup of each owner, then its buckets (a generated network or an import file gives
# dozens per owner). Taking the write lock (SET) before reading `reserved` makes the check
# safe against a concurrent reservation: total never drops below what is already reserved.
CAPACITY_WRITE: LiteralString = """
UNWIND $groups AS group
OPTIONAL MATCH (offering:Offering {id: group.owner})
OPTIONAL MATCH (equipment:Equipment {id: group.owner})
WITH group, offering, coalesce(offering, equipment) AS owner
CALL (group, owner) {
  UNWIND group.rows AS row
  MERGE (n:CapacityBucket {id: row.key})
  ON CREATE SET n.reserved = 0.0, n.created_at = datetime()
  SET n += row.props, n.start = datetime(row.start), n.end = datetime(row.end),
      n.confirmed_at = datetime(), n.updated_at = datetime()
  MERGE (owner)-[:HAS_CAPACITY]->(n)
  WITH n WHERE n.reserved > n.total
  RETURN collect(n.id + ' has ' + toString(n.reserved) + ' reserved') AS over
}
WITH collect(offering) AS offerings, reduce(found = [], o IN collect(over) | found + o) AS problems
"""

# Buckets the transaction has just read as absent: created, no lookup of their ids (their
# uniqueness constraint still stands guard: see hub.registry.store.writes.bulk).
CAPACITY_CREATE: LiteralString = """
UNWIND $groups AS group
OPTIONAL MATCH (offering:Offering {id: group.owner})
OPTIONAL MATCH (equipment:Equipment {id: group.owner})
WITH group, offering, coalesce(offering, equipment) AS owner
CALL (group, owner) {
  UNWIND group.rows AS row
  CREATE (owner)-[:HAS_CAPACITY]->(n:CapacityBucket)
  SET n = row.props, n.reserved = 0.0,
      n.start = datetime(row.start), n.end = datetime(row.end),
      n.created_at = datetime(), n.confirmed_at = datetime(), n.updated_at = datetime()
}
RETURN [] AS problems, [o IN collect(offering) | o.id] AS offerings
"""

CAPACITY = Storage(
    label="CapacityBucket",
    read="""
UNWIND $keys AS key
MATCH (n:CapacityBucket {id: key})
RETURN key, n {.*, created_at: null, updated_at: null} AS state
""",
    write=CAPACITY_WRITE + REFRESH + "RETURN problems",
    write_stale=CAPACITY_WRITE + "RETURN problems, [o IN offerings | o.id] AS offerings",
    create=CAPACITY_CREATE,
    missing="""
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { MATCH (:Offering {id: row.props.owner_id}) }
  AND NOT EXISTS { MATCH (:Equipment {id: row.props.owner_id}) }
RETURN row.line AS line, 'owner' AS field, row.props.owner_id AS value
""",
    state=_bucket_state,
    key=lambda b: b.id,
    as_text=("start", "end"),
    grouped_by="owner_id",
)

STORAGE: dict[type[Any], Storage] = {
    model.Organization: ORGANIZATION,
    model.Site: SITE,
    model.Offering: OFFERING,
    model.Equipment: EQUIPMENT,
    model.Certificate: CERTIFICATE,
    model.CapacityBucket: CAPACITY,
}
