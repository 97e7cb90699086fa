"""Cypher of the park network: each function is one query, batched over the whole scope.

A scope's organizations ("members") are those with `IN_PARK` to one of its parks or a
site `LOCATED_IN` one. Offerings count for a park when their site is located in it.
Engagements are requests `awarded` or `completed`, with the `AWARDED_TO` provider; their
value is the awarded match's quote. Periods are overlaps of whole days: a request's
window [earliest_start, need_by], a capacity bucket's [start, end).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, LiteralString

from hub.db.driver import Tx, python_value
from hub.network.coverage import ancestors
from hub.network.model import Engagement, Member, OfferingFact, Scope
from hub.reference.model import Taxonomy
from hub.registry.standing import VERIFIED
from hub.time import CHINA

_ONE_DAY = timedelta(days=1)

# Every park an organization is in: by its own IN_PARK or one of its sites.
_PARKS_OF: LiteralString = """[(o)-[:IN_PARK]->(q:Park) | q.code]
    + [(o)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(q:Park) | q.code]"""

_UNDER_BRANCH: LiteralString = (
    "($branch IS NULL OR EXISTS { (c)-[:BROADER*0..5]->(:Capability {code: $branch}) })"
)

# Each query returns one record holding lists: the driver's cost is per record (thousands
# of small records cost far more than one large one), so the rows are collected in Cypher
# and ordered in Python.
MEMBERS: LiteralString = (
    """
MATCH (p:Park) WHERE p.code IN $parks
CALL (p) {
  MATCH (o:Organization)-[:IN_PARK]->(p) RETURN o
  UNION
  MATCH (o:Organization)-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(p) RETURN o
}
WITH DISTINCT o
WHERE coalesce(o.active, true) AND """
    + VERIFIED
    + """ AND (size($kinds) = 0 OR o.kind IN $kinds)
RETURN collect(o {.uscc, .name_zh, .name_en, .kind, parks: """
    + _PARKS_OF
    + """}) AS orgs
"""
)

# One row per member site in a scope park: the capabilities of its active offerings (one
# entry per offering) and those its valid certificates cover, read once per site.
OFFERINGS: LiteralString = (
    """
MATCH (p:Park)<-[:LOCATED_IN]-(s:Site)<-[:HAS_SITE]-(o:Organization)
WHERE p.code IN $parks AND coalesce(s.active, true) AND o.uscc IN $members
CALL (s) {
  MATCH (s)-[:OFFERS]->(f:Offering)-[:OF]->(c:Capability)
  WHERE coalesce(f.active, true) AND """
    + _UNDER_BRANCH
    + """
  RETURN collect(c.code) AS capabilities
}
WITH p, s, o, capabilities WHERE size(capabilities) > 0
RETURN collect({uscc: o.uscc, park: p.code, capabilities: capabilities,
  covered: [(s)<-[:COVERS_SITE]-(cert:Certificate)-[:COVERS]->(k:Capability)
            WHERE coalesce(cert.active, true) AND cert.valid_from <= $today
              AND (cert.valid_to IS NULL OR cert.valid_to >= $today)
              AND EXISTS { (o)-[:HOLDS]->(cert) } | k.code]}) AS sites
"""
)

# The engagements, and each firm engaged in them once (with its parks).
ENGAGEMENTS: LiteralString = (
    """
MATCH (r:Request)-[:AWARDED_TO]->(prov:Organization)
WHERE r.status IN ['awarded', 'completed']
  AND ($start IS NULL OR r.need_by >= $start) AND ($end IS NULL OR r.earliest_start <= $end)
  AND ($confidential OR NOT coalesce(r.confidential, false))
MATCH (req:Organization)-[:REQUESTED]->(r)-[:NEEDS]->(c:Capability)
WHERE (req.uscc IN $members OR prov.uscc IN $members) AND """
    + _UNDER_BRANCH
    + """
WITH r, c, req, prov,
     [(m:Match)-[:FOR]->(r) WHERE m.status = 'awarded' AND m.uscc = prov.uscc
      | m.quote_price][0] AS value
WITH collect({id: r.id, capability: c.code, confidential: coalesce(r.confidential, false),
              value: value, requester: req.uscc, provider: prov.uscc}) AS engagements,
     collect(req) + collect(prov) AS engaged
CALL (engaged) {
  UNWIND engaged AS o
  WITH DISTINCT o
  RETURN collect(o {.uscc, .name_zh, .name_en, .kind, parks: """
    + _PARKS_OF
    + """}) AS firms
}
RETURN engagements, firms
"""
)

# The scope's requests that routing sent to no member: `inside` would list members
# among the routed providers. Served = awarded elsewhere; distance from the requester's
# park (in scope) to the serving offering's site.
UNMET: LiteralString = (
    """
MATCH (req:Organization)-[:REQUESTED]->(r:Request)-[:NEEDS]->(c:Capability)
WHERE req.uscc IN $members AND r.status IN ['routed', 'unfilled', 'awarded', 'completed']
  AND ($start IS NULL OR r.need_by >= $start) AND ($end IS NULL OR r.earliest_start <= $end)
  AND """
    + _UNDER_BRANCH
    + """
  AND NOT EXISTS { MATCH (m:Match)-[:FOR]->(r) WHERE m.uscc IN $members }
OPTIONAL MATCH (r)-[:AWARDED_TO]->(prov:Organization)
WITH r, c, req, prov,
     [(win:Match {status: 'awarded'})-[:FOR]->(r) WHERE win.uscc = prov.uscc
      | [(win)-[:TO]->(:Offering)<-[:OFFERS]-(s:Site) | [s.lat, s.lon]][0]][0] AS site,
     prov AS o
RETURN collect({id: r.id, capability: c.code, status: r.status,
       confidential: coalesce(r.confidential, false), requester: req.uscc,
       provider: prov.uscc,
       provider_parks: CASE WHEN prov IS NULL THEN [] ELSE """
    + _PARKS_OF
    + """ END, site: site}) AS rows
"""
)

# Capacity of offerings at scope sites, summed per capability, unit and month of start.
# Summed per bucket start first, so the month is worked out once per start, not per
# bucket; reservations are read only for buckets with something reserved.
CAPACITY: LiteralString = (
    """
MATCH (p:Park)<-[:LOCATED_IN]-(s:Site)-[:OFFERS]->(f:Offering)-[:OF]->(c:Capability)
WHERE p.code IN $parks AND """
    + _UNDER_BRANCH
    + """
MATCH (o:Organization)-[:HAS_SITE]->(s)
WHERE o.uscc IN $members
MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket)
WHERE b.start >= $from AND b.start < $to
WITH DISTINCT o, c, b
WITH c.code AS capability, b.unit AS unit, b.start AS start,
     sum(b.total) AS total, sum(b.reserved) AS reserved,
     sum(CASE WHEN b.reserved > 0
         THEN reduce(x = 0.0, q IN [(r:Request)-[h:RESERVES]->(b)
                                    WHERE r.requester <> o.uscc | h.quantity] | x + q)
         ELSE 0.0 END) AS shared
WITH capability, unit, total, reserved, shared,
     substring(toString(date(datetime({datetime: start, timezone: '+08:00'}))), 0, 7) AS month
WITH capability, unit, month,
     sum(total) AS total, sum(reserved) AS reserved, sum(shared) AS shared
RETURN collect({capability: capability, unit: unit, month: month, total: total,
                reserved: reserved, shared: shared}) AS rows
"""
)


def _count(label: LiteralString, name: LiteralString) -> LiteralString:
    """How many `label` nodes there are: answered from the count store."""
    return "CALL () { MATCH (n:" + label + ") RETURN count(n) AS " + name + " }\n"


def _latest(label: LiteralString, prop: LiteralString, name: LiteralString) -> LiteralString:
    """The newest `prop` of any `label` node: the first entry of its range index."""
    return (
        "CALL () {\n  OPTIONAL MATCH (n:" + label + ") WHERE n." + prop + " IS NOT NULL\n"
        "  WITH n ORDER BY n." + prop + " DESC LIMIT 1\n"
        "  RETURN toString(n." + prop + ") AS " + name + "\n}\n"
    )


# What the park network's parts depend on (hub.network.cache.DEPENDS says which part reads
# which): counts and latest change times, each read from the count store or one index
# entry (graph/migrations/0006 and 0008), so the cost barely grows with the data (the
# engagements are counted in the status index, without reading them).
FINGERPRINT: LiteralString = (
    """
CALL () {
  MATCH (r:Request) WHERE r.status IN ['awarded', 'completed'] RETURN count(r) AS engagements
}
CALL () { MATCH ()-[h:RESERVES]->() RETURN count(h) AS reservations }
"""
    + _count("Organization", "organizations")
    + _count("Site", "sites")
    + _count("Offering", "offerings")
    + _count("Certificate", "certificates")
    + _count("CapacityBucket", "buckets")
    + _count("Request", "requests")
    + _count("Match", "matches")
    + _latest("Organization", "updated_at", "organization_changed")
    + _latest("Site", "updated_at", "site_changed")
    + _latest("Offering", "updated_at", "offering_changed")
    + _latest("Certificate", "updated_at", "certificate_changed")
    + _latest("CapacityBucket", "updated_at", "bucket_changed")
    + _latest("Request", "updated_at", "request_changed")
    + _latest("Request", "awarded_at", "request_awarded")
    + _latest("Request", "completed_at", "request_completed")
    + "RETURN *\n"
)

# Figures without the per-firm ones are kept under their own key (see cache.FiguresCache);
# whole ones, when there are, serve a request for those too.
STORED_FIGURES: LiteralString = """
MATCH (f:NetworkFigures) WHERE f.key IN $keys AND f.fingerprint = $fingerprint
RETURN f.payload AS payload ORDER BY size(f.key) LIMIT 1
"""

STORE_FIGURES: LiteralString = """
MERGE (f:NetworkFigures {key: $key})
SET f.fingerprint = $fingerprint, f.payload = $payload, f.computed_at = datetime()
"""


def _params(scope: Scope, members: list[str] | None = None) -> dict[str, Any]:
    return {
        "parks": list(scope.parks),
        "kinds": list(scope.kinds),
        "branch": scope.branch,
        "start": scope.start,
        "end": scope.end,
        "members": members or [],
        "confidential": scope.full_access,
    }


def _member(org: dict[str, Any], parks: list[str]) -> Member:
    return Member(
        uscc=org["uscc"],
        name_zh=org.get("name_zh") or org["uscc"],
        name_en=org.get("name_en") or org["uscc"],
        kind=org.get("kind") or "provider",
        parks=tuple(sorted(set(parks))),
    )


async def _one(tx: Tx, cypher: LiteralString, **params: Any) -> Any:
    row = await tx.single(cypher, **params)
    assert row is not None  # collecting queries always return one record
    return row


async def members(tx: Tx, scope: Scope) -> list[Member]:
    orgs = (await _one(tx, MEMBERS, **_params(scope)))["orgs"]
    return sorted((_member(o, o["parks"]) for o in orgs), key=lambda m: m.uscc)


def _certified(capability: str, covered: set[str], taxonomy: Taxonomy) -> bool:
    """A valid certificate at the site covers the capability or a broader one."""
    return bool(covered) and not covered.isdisjoint(ancestors(capability, taxonomy))


async def offerings(
    tx: Tx, scope: Scope, member_ids: list[str], today: date, taxonomy: Taxonomy
) -> list[OfferingFact]:
    sites = (await _one(tx, OFFERINGS, **_params(scope, member_ids), today=today))["sites"]
    facts = [
        OfferingFact(s["uscc"], s["park"], code, _certified(code, set(s["covered"]), taxonomy))
        for s in sites
        for code in s["capabilities"]
    ]
    return sorted(facts, key=lambda f: (f.uscc, f.park, f.capability))


async def engagements(tx: Tx, scope: Scope, member_ids: list[str]) -> list[Engagement]:
    row = await _one(tx, ENGAGEMENTS, **_params(scope, member_ids))
    firms = {f["uscc"]: _member(f, f["parks"]) for f in row["firms"]}
    found = [
        Engagement(
            request_id=e["id"],
            requester=firms[e["requester"]],
            provider=firms[e["provider"]],
            capability=e["capability"],
            value=None if e["value"] is None else float(e["value"]),
            confidential=e["confidential"],
        )
        for e in row["engagements"]
    ]
    return sorted(found, key=lambda e: e.request_id)


async def unmet(tx: Tx, scope: Scope, member_ids: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (await _one(tx, UNMET, **_params(scope, member_ids)))["rows"]
    return sorted(rows, key=lambda r: (r["capability"], r["id"]))


def _china_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=CHINA)


async def capacity(
    tx: Tx, scope: Scope, member_ids: list[str], start: date, end: date
) -> list[dict[str, Any]]:
    """Sums per capability, unit and month of the buckets starting in [start, end]."""
    params = _params(scope, member_ids)
    params.update(start=None, end=None)
    row = await _one(
        tx,
        CAPACITY,
        **params,
        **{"from": _china_midnight(start), "to": _china_midnight(end) + _ONE_DAY},
    )
    rows: list[dict[str, Any]] = row["rows"]
    return sorted(rows, key=lambda r: (r["capability"], r["unit"], r["month"]))


async def fingerprint(tx: Tx) -> dict[str, str]:
    """Each part of the fingerprint by name, as text."""
    row = await _one(tx, FINGERPRINT)
    return {k: str(python_value(v)) for k, v in row.items()}


async def stored_figures(tx: Tx, keys: list[str], print_: str) -> str | None:
    """The payload stored under the first of `keys` (the shortest) for `print_`."""
    row = await tx.single(STORED_FIGURES, keys=keys, fingerprint=print_)
    return None if row is None else str(row["payload"])


async def store_figures(tx: Tx, key: str, print_: str, payload: str) -> None:
    await tx.run(STORE_FIGURES, key=key, fingerprint=print_, payload=payload)
