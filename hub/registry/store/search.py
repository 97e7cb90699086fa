"""Offering search: which offerings fit a capability branch, place, scale, grade,
certificates and spare capacity, in one query.

Fit is the one definition routing and the award check use (hub.fit.rules), read from the
offerings' fit summaries; search adds only its own filters (parks, region) and paging:
- capability: the offering's capability is the requested code or beneath it;
- place: a site in one of the parks, in the region, or within `km` of a point;
- scale: scale_min ≤ quantity ≤ scale_max (the unit is the capability's);
- grade: the offering's GMP grade serves the requested one (GmpGrade.serves);
- certificates: for each authority, an active certificate of the holder that covers the
  offering's site and its capability (or a broader one), valid over the whole window;
- spare capacity: every instant of the window lies in a capacity bucket of the offering,
  and every bucket overlapping the window has total − reserved ≥ spare.
The window is [start 00:00, end+1 day 00:00) in China time: both days are included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, LiteralString

from hub.db.driver import Tx
from hub.fit import rules
from hub.fit.terms import Terms
from hub.registry import model
from hub.registry.store.projection import cypher
from hub.registry.store.states import offering as offering_of_state

# The offerings of the branch that pass their own rules, in id order; then, in that order,
# their site and holder, the place and the summary: the page stops at `$limit` fits, so a
# branch of 1,400 offerings reads the sites and summaries of about one page of them.
FOUND: LiteralString = (
    "MATCH "
    + rules.OFFERED
    + """
WHERE f.active AND ($after IS NULL OR f.id > $after) AND """
    + rules.OWN
    + """
WITH cap, f ORDER BY f.id
MATCH """
    + rules.PROVIDED
    + """
WHERE """
    + rules.LIVE
    + """
  AND ($parks IS NULL OR EXISTS { (s)-[:LOCATED_IN]->(p:Park) WHERE p.code IN $parks })
  AND ($region IS NULL OR EXISTS { (s)-[:LOCATED_IN]->(:Park {region: $region}) })
"""
    + rules.READ_SUMMARY
    + "\nWITH f, s, o, fit, "
    + rules.SUMMARY
    + "\nWHERE "
    + rules.SUMMED
    + """
WITH f, o, distance_km,
     CASE WHEN $spare IS NULL THEN null ELSE """
    + rules.MIN_FREE
    + """ END AS min_free
ORDER BY f.id
LIMIT $limit
"""
)
# The page as domain objects (for the loaders' path) ...
SEARCH: LiteralString = (
    FOUND
    + """RETURN f {.*, equipment: [(f)-[:RUNS_ON]->(e:Equipment) | e.tag]} AS state,
       o.uscc AS uscc, distance_km, min_free
"""
)
# ... or as lean rows with what was asked beneath them (hub/registry/store/projection.py).
SEARCH_TREES = FOUND + "RETURN f {%s} AS row, distance_km, min_free"


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class OfferingFilter:
    capability: str
    parks: list[str] | None = None
    region: str | None = None
    near: Near | None = None
    quantity: float | None = None
    gmp_grade: model.GmpGrade | None = None
    authorities: list[model.Authority] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    spare: float | None = None

    def terms(self) -> Terms:
        """The filter as fit terms: `near` is the origin and the maximum distance."""
        return Terms(
            capability=self.capability,
            quantity=self.quantity,
            spare=self.spare,
            grade=self.gmp_grade,
            authorities=tuple(self.authorities),
            first_day=self.start,
            last_day=self.end,
            origin=None if self.near is None else (self.near.lat, self.near.lon),
            max_km=None if self.near is None else self.near.km,
        )

    def params(self) -> dict[str, Any]:
        return {**self.terms().params(), "parks": self.parks, "region": self.region}


@dataclass(frozen=True)
class Found:
    offering: model.Offering
    uscc: str
    distance_km: float | None
    min_free: float | None


@dataclass(frozen=True)
class FoundRow:
    row: dict[str, Any]  # the offering and what was asked beneath it, as the projection reads
    distance_km: float | None
    min_free: float | None


async def search(tx: Tx, where: OfferingFilter, limit: int, after: str | None) -> list[Found]:
    rows = await tx.records(SEARCH, **where.params(), after=after, limit=limit)
    return [
        Found(offering_of_state(r["state"]), r["uscc"], r["distance_km"], r["min_free"])
        for r in rows
    ]


async def search_trees(
    tx: Tx,
    where: OfferingFilter,
    limit: int,
    after: str | None,
    projection: str,
    params: dict[str, Any],
) -> list[FoundRow]:
    """The same page as `search`, each offering compiled with what was asked beneath it:
    the whole answer in one round-trip."""
    text = cypher(SEARCH_TREES % projection)
    columns = ("row", "distance_km", "min_free")
    rows = await tx.collected(text, columns, **where.params(), after=after, limit=limit, **params)
    return [FoundRow(r["row"], r["distance_km"], r["min_free"]) for r in rows]
