"""Cypher reads of the registry (writes go through hub.registry.changes)."""

from __future__ import annotations

from hub.db.driver import Tx
from hub.reference import store as reference_store
from hub.registry.rules import Reference

INSTRUMENT_HOUR = "instrument_hour"  # the unit of capacity published on equipment

OWNER_UNITS = """
UNWIND $ids AS id
OPTIONAL MATCH (o:Offering {id: id})
OPTIONAL MATCH (e:Equipment {id: id})
WITH id, o, e WHERE o IS NOT NULL OR e IS NOT NULL
RETURN id, CASE WHEN o IS NOT NULL THEN o.unit ELSE $instrument_hour END AS unit
"""


async def reference(tx: Tx) -> Reference:
    """The taxonomy and park codes that validation checks against (three queries)."""
    taxonomy = await reference_store.taxonomy(tx)
    parks = await tx.records("MATCH (p:Park) RETURN p.code AS code")
    return Reference(taxonomy, frozenset(r["code"] for r in parks))


async def owner_units(tx: Tx, ids: list[str]) -> dict[str, str]:
    """The capacity unit of each offering or equipment id that exists."""
    rows = await tx.records(OWNER_UNITS, ids=ids, instrument_hour=INSTRUMENT_HOUR)
    return {r["id"]: r["unit"] for r in rows}


def owner_of(key: str) -> str:
    """The USCC at the start of a site, offering, equipment or capacity id."""
    return key.split("/", 1)[0]
