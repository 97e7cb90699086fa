"""The import's own Cypher: what a file's rows need of the graph beyond their parents.

The parents' checks are the registry's (hub.registry.store.entities); these add what only
an import asks: a capacity total below its reservations, a certificate number another
organization holds, and whether the organizations a provider uploads are active now.
Each check answers `line, field, value` for every row that fails it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

from hub.db.driver import Tx

# The owner's unit was read before the rows were checked (load_context), in another
# transaction: that it still exists is checked again here, with the reservations.
OWNER_OR_BELOW_RESERVED: LiteralString = """
UNWIND $rows AS row
OPTIONAL MATCH (b:CapacityBucket {id: row.key})
CALL (row, b) {
  WITH row WHERE NOT EXISTS { MATCH (:Offering {id: row.owner}) }
    AND NOT EXISTS { MATCH (:Equipment {id: row.owner}) }
  RETURN row.field AS field, row.owner AS value
  UNION
  WITH b, row WHERE b.reserved > row.total
  RETURN 'total' AS field, toString(b.reserved) AS value
}
RETURN row.line AS line, field, value
"""

# A certificate is keyed by its authority and number, not by its holder: a row naming a
# number another organization holds would take that certificate over.
HELD_BY_OTHERS: LiteralString = """
UNWIND $rows AS row
MATCH (:Certificate {id: row.key})<-[:HOLDS]-(o:Organization) WHERE NOT o.uscc IN $owners
RETURN row.line AS line, 'number' AS field, row.key AS value
"""

ACTIVE: LiteralString = """
UNWIND $keys AS key
MATCH (o:Organization {uscc: key})
RETURN key, o.active AS active
"""


@dataclass(frozen=True)
class Failed:
    """A row that fails a check: its line, and the field and value at fault."""

    line: int
    field: str
    value: Any


async def failed_rows(
    tx: Tx, check: LiteralString, rows: list[dict[str, Any]], **params: Any
) -> list[Failed]:
    """The rows (`{line, ...}`) that fail `check`, in the order the check reports them."""
    found = await tx.records(check, rows=rows, **params)
    return [Failed(r["line"], r["field"], r["value"]) for r in found]


async def active_of(tx: Tx, usccs: list[str]) -> dict[str, bool | None]:
    """Whether each of these organizations that exists is active now."""
    return {r["key"]: r["active"] for r in await tx.records(ACTIVE, keys=usccs)}
