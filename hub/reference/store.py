"""Cypher for reference data: idempotent loads (UNWIND + MERGE) and reads."""

from __future__ import annotations

from typing import Any

from hub.db.driver import Tx
from hub.reference.model import Capability, Park, Reference, Region, Taxonomy, Unit

LOAD_PARKS = """
UNWIND $rows AS row
MERGE (p:Park {code: row.code})
SET p += row, p.location = point({latitude: row.lat, longitude: row.lon})
"""

LOAD_UNITS = """
UNWIND $rows AS row
MERGE (u:Unit {code: row.code})
SET u += row
"""

LOAD_CAPABILITIES = """
UNWIND $rows AS row
MERGE (c:Capability {code: row.code})
SET c.name_zh = row.name_zh, c.name_en = row.name_en, c.level = row.level
WITH c, row
CALL (c, row) {
  MATCH (parent:Capability {code: row.parent})
  MERGE (c)-[:BROADER]->(parent)
}
CALL (c, row) {
  MATCH (u:Unit {code: row.unit})
  MERGE (c)-[:MEASURED_IN]->(u)
}
"""

PARKS = """
MATCH (p:Park)
WHERE $region IS NULL OR p.region = $region
RETURN p {.*} AS park ORDER BY p.code
"""

TAXONOMY = """
CALL () {
  MATCH (c:Capability)
  OPTIONAL MATCH (c)-[:BROADER]->(parent:Capability)
  OPTIONAL MATCH path = (c)-[:BROADER*0..5]->(:Capability)-[:MEASURED_IN]->(u:Unit)
  WITH c, parent, u ORDER BY length(path)
  WITH c, parent, collect(u.code)[0] AS unit
  ORDER BY c.code
  RETURN collect({code: c.code, parent: parent.code, level: c.level,
                  name_zh: c.name_zh, name_en: c.name_en, unit: unit}) AS nodes
}
CALL () {
  MATCH (u:Unit)
  WITH u ORDER BY u.code
  RETURN collect(u {.code, .name_zh, .name_en}) AS units
}
RETURN nodes, units
"""

# A new taxonomy node under its parent; MEASURED_IN only when given its own unit (else it
# inherits its parent's, see TAXONOMY).
ADD_CAPABILITY = """
MATCH (parent:Capability {code: $parent})
CREATE (c:Capability {code: $code, name_zh: $name_zh, name_en: $name_en, level: $level})
CREATE (c)-[:BROADER]->(parent)
WITH c
CALL (c) {
  MATCH (u:Unit {code: $unit})
  CREATE (c)-[:MEASURED_IN]->(u)
}
"""

SEARCH_CAPABILITIES = """
CALL db.index.fulltext.queryNodes('capability_text', $query, {limit: $limit})
YIELD node, score
RETURN node.code AS code, score ORDER BY score DESC, code
"""


PARK_CODES = "MATCH (p:Park) RETURN p.code AS code"


async def load_parks(tx: Tx, rows: list[dict[str, Any]]) -> None:
    await tx.run(LOAD_PARKS, rows=rows)


async def load_units(tx: Tx, rows: list[dict[str, Any]]) -> None:
    await tx.run(LOAD_UNITS, rows=rows)


async def load_capabilities(tx: Tx, rows: list[dict[str, Any]]) -> None:
    """Rows must come parents first: each row's BROADER edge needs its parent to exist."""
    await tx.run(LOAD_CAPABILITIES, rows=rows)


async def add_capability(tx: Tx, node: Capability, unit: str | None) -> None:
    """Create `node` under its parent, measured in `unit` (None: its parent's unit)."""
    await tx.run(
        ADD_CAPABILITY,
        parent=node.parent,
        code=node.code,
        name_zh=node.name_zh,
        name_en=node.name_en,
        level=node.level,
        unit=unit,
    )


def _park(row: dict[str, Any]) -> Park:
    return Park(
        code=row["code"],
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        region=Region(row["region"]),
        city_zh=row["city_zh"],
        city_en=row["city_en"],
        district_zh=row["district_zh"],
        district_en=row["district_en"],
        lat=row["lat"],
        lon=row["lon"],
        area_km2=row.get("area_km2"),
        note_en=row.get("note_en") or "",
    )


async def parks(tx: Tx, region: Region | None) -> list[Park]:
    records = await tx.records(PARKS, region=None if region is None else region.value)
    return [_park(r["park"]) for r in records]


async def taxonomy(tx: Tx) -> Taxonomy:
    """The whole taxonomy (a few hundred nodes) and the units, in one query."""
    row = await tx.single(TAXONOMY)
    assert row is not None  # aggregations always answer one row
    nodes = {n["code"]: Capability(**n) for n in row["nodes"]}
    units = {u["code"]: Unit(**u) for u in row["units"]}
    return Taxonomy(nodes, units)


async def search_capabilities(tx: Tx, query: str, limit: int) -> list[str]:
    records = await tx.records(SEARCH_CAPABILITIES, query=query, limit=limit)
    return [r["code"] for r in records]


async def reference(tx: Tx) -> Reference:
    """The taxonomy and park codes that validation checks against (two queries)."""
    codes = await tx.records(PARK_CODES)
    return Reference(await taxonomy(tx), frozenset(r["code"] for r in codes))
