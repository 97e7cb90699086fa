"""A small hand-built park network whose figures are computed by hand in the tests.

Parks: A = BJ-ETOWN (scope of most tests), B = BJ-ZGC-LIFE, C = TJ-TEDA. Firms a1..a5 in
A, b1 in B, c1 in C; each has one site at its park's centroid.

Engagements (requester -> provider, capability), all awarded or completed:
    E1, E2  a1 -> a2  BIO.USP.FB   quotes 100 and 200     (a1-a2 weight 2, value 300)
    E3      a2 -> a3  BIO.DSP.CAP
    E4      a1 -> a3  BIO.USP.FB
    E5      a3 -> a4  DIS.CHM.MED
    E6      a4 -> b1  BIO.USP.PRF  (nobody in A offers it: served from B)
    E7      a1 -> c1  CGT.VEC.AAV  (served from C; window in 2025, the others in 2027)
Other requests: U1 a2 BIO.USP.PRF unfilled; U2 a3 CGT.VEC.AAV unfilled; U3 a5
CGT.VEC.AAV routed to c1 and confidential; R1 a2 DIS.CHM.MED routed to a4 (a member).

Collaboration graph of scope A: a1-a2 (2), a1-a3, a2-a3, a3-a4, a4-b1, a1-c1; a5 alone.

Offerings at A: a2 BIO.USP.FB (certified), a3 BIO.USP.FB (certificate expired),
a3 BIO.DSP.CAP (certified through a certificate on BIO.DSP), a4 DIS.CHM.MED (none needed).
b1 BIO.USP.PRF at B, c1 CGT.VEC.AAV at C.

Capacity (China time) of a2's BIO.USP.FB, unit l_batch: weeks of 2027-03-01 (10, 4
reserved: 3 by E1, 1 own use), 2027-03-08 (10, 0), 2027-04-05 (10, 6 by E2); of a3's
BIO.DSP.CAP, unit kg: week of 2027-03-01 (5, all own use).
"""

from __future__ import annotations

from typing import Any

from hub.db.driver import Database, Tx
from tests import factories

A, B, C = "BJ-ETOWN", "BJ-ZGC-LIFE", "TJ-TEDA"
FIRMS = {
    "a1": (101, A, "requester"),
    "a2": (102, A, "provider"),
    "a3": (103, A, "provider"),
    "a4": (104, A, "both"),
    "a5": (105, A, "requester"),
    "b1": (201, B, "provider"),
    "c1": (301, C, "provider"),
}
USCC = {name: factories.uscc(n) for name, (n, _, _) in FIRMS.items()}

OFFERINGS = [
    ("a2", "fb", "BIO.USP.FB"),
    ("a3", "fb", "BIO.USP.FB"),
    ("a3", "cap", "BIO.DSP.CAP"),
    ("a4", "med", "DIS.CHM.MED"),
    ("b1", "prf", "BIO.USP.PRF"),
    ("c1", "aav", "CGT.VEC.AAV"),
]
CERTIFICATES = [  # holder, number, covers, valid_to
    ("a2", "A2-1", "BIO.USP", "2030-12-31"),
    ("a3", "A3-1", "BIO.USP.FB", "2020-12-31"),
    ("a3", "A3-2", "BIO.DSP", "2030-12-31"),
]
# id, requester, capability, status, provider (awarded), routed to, quote, window start
REQUESTS = [
    ("E1", "a1", "BIO.USP.FB", "completed", "a2", ["a2/fb"], 100.0, "2027-03-01"),
    ("E2", "a1", "BIO.USP.FB", "awarded", "a2", ["a2/fb"], 200.0, "2027-04-05"),
    ("E3", "a2", "BIO.DSP.CAP", "completed", "a3", ["a3/cap"], 50.0, "2027-03-01"),
    ("E4", "a1", "BIO.USP.FB", "completed", "a3", ["a3/fb"], 70.0, "2027-03-01"),
    ("E5", "a3", "DIS.CHM.MED", "completed", "a4", ["a4/med"], 10.0, "2027-03-01"),
    ("E6", "a4", "BIO.USP.PRF", "awarded", "b1", ["b1/prf"], 90.0, "2027-03-01"),
    ("E7", "a1", "CGT.VEC.AAV", "completed", "c1", ["c1/aav"], 500.0, "2025-03-03"),
    ("U1", "a2", "BIO.USP.PRF", "unfilled", None, [], None, "2027-03-01"),
    ("U2", "a3", "CGT.VEC.AAV", "unfilled", None, [], None, "2027-03-01"),
    ("U3", "a5", "CGT.VEC.AAV", "routed", None, ["c1/aav"], None, "2027-03-01"),
    ("R1", "a2", "DIS.CHM.MED", "routed", None, ["a4/med"], None, "2027-03-01"),
]
BUCKETS = [  # offering, week start, total, reserved, reservations (request, quantity)
    ("a2/fb", "2027-03-01", 10.0, 4.0, [("E1", 3.0)]),
    ("a2/fb", "2027-03-08", 10.0, 0.0, []),
    ("a2/fb", "2027-04-05", 10.0, 6.0, [("E2", 6.0)]),
    ("a3/cap", "2027-03-01", 5.0, 5.0, []),
]

BUILD = """
UNWIND $firms AS f
MATCH (p:Park {code: f.park})
CREATE (o:Organization {uscc: f.uscc, name_zh: f.name + '（虚构）', name_en: f.name,
                        kind: f.kind, active: true, fictional: true, updated_at: datetime()})
CREATE (s:Site {id: f.uscc + '/main', code: 'main', uscc: f.uscc, active: true,
                lat: p.lat, lon: p.lon, location: p.location, updated_at: datetime()})
CREATE (o)-[:IN_PARK]->(p), (o)-[:HAS_SITE]->(s)-[:LOCATED_IN]->(p)
WITH collect(o) AS done
UNWIND $offerings AS x
MATCH (s:Site {id: x.site}), (c:Capability {code: x.capability})
CREATE (s)-[:OFFERS]->(:Offering {id: x.id, site_id: x.site, capability: x.capability,
                                  active: true, gmp_grade: 'non_gmp'})-[:OF]->(c)
WITH count(*) AS done
UNWIND $certificates AS x
MATCH (o:Organization {uscc: x.uscc})-[:HAS_SITE]->(s:Site), (c:Capability {code: x.covers})
CREATE (o)-[:HOLDS]->(cert:Certificate {id: 'nmpa_licence/' + x.number, active: true,
        authority: 'nmpa_licence', valid_from: date('2020-01-01'), valid_to: date(x.valid_to)})
CREATE (cert)-[:COVERS_SITE]->(s), (cert)-[:COVERS]->(c)
WITH count(*) AS done
UNWIND $requests AS x
MATCH (q:Organization {uscc: x.requester}), (c:Capability {code: x.capability})
CREATE (r:Request {id: x.id, requester: x.requester, capability: x.capability,
                   status: x.status, confidential: x.confidential, created_at: datetime(),
                   earliest_start: date(x.start), need_by: date(x.start) + duration('P27D')})
CREATE (q)-[:REQUESTED]->(r)-[:NEEDS]->(c)
FOREACH (ignored IN CASE WHEN x.provider IS NULL THEN [] ELSE [1] END |
  MERGE (p:Organization {uscc: x.provider})
  CREATE (r)-[:AWARDED_TO]->(p))
WITH r, x
UNWIND x.routed AS offering
MATCH (f:Offering {id: offering})<-[:OFFERS]-(:Site)<-[:HAS_SITE]-(p:Organization)
CREATE (m:Match {id: x.id + '/' + offering, request_id: x.id, uscc: p.uscc,
                 status: CASE WHEN x.provider = p.uscc THEN 'awarded' ELSE 'routed' END,
                 quote_price: x.quote})
CREATE (m)-[:FOR]->(r), (m)-[:TO]->(f), (m)-[:ROUTED_TO]->(p)
WITH count(*) AS done
UNWIND $buckets AS x
MATCH (f:Offering {id: x.owner})
CREATE (f)-[:HAS_CAPACITY]->(b:CapacityBucket {id: x.owner + '@week/' + x.start,
    owner_id: x.owner, grain: 'week', unit: x.unit, total: x.total, reserved: x.reserved,
    start: datetime(x.start + 'T00:00:00+08:00'),
    end: datetime(x.start + 'T00:00:00+08:00') + duration('P7D')})
WITH b, x
UNWIND x.holds AS hold
MATCH (r:Request {id: hold[0]})
CREATE (r)-[:RESERVES {quantity: hold[1]}]->(b)
"""


def offering_id(short: str) -> str:
    firm, code = short.split("/")
    return f"{USCC[firm]}/main/{code}"


def _rows() -> dict[str, Any]:
    units = {"a2/fb": "l_batch", "a3/cap": "kg"}
    return {
        "firms": [
            {"uscc": USCC[n], "park": park, "kind": kind, "name": f"Firm {n}"}
            for n, (_, park, kind) in FIRMS.items()
        ],
        "offerings": [
            {"site": f"{USCC[f]}/main", "id": offering_id(f"{f}/{code}"), "capability": cap}
            for f, code, cap in OFFERINGS
        ],
        "certificates": [
            {"uscc": USCC[f], "number": number, "covers": covers, "valid_to": to}
            for f, number, covers, to in CERTIFICATES
        ],
        "requests": [
            {
                "id": rid,
                "requester": USCC[req],
                "capability": cap,
                "status": status,
                "provider": USCC[prov] if prov else None,
                "routed": [offering_id(o) for o in routed],
                "quote": quote,
                "start": start,
                "confidential": rid == "U3",
            }
            for rid, req, cap, status, prov, routed, quote, start in REQUESTS
        ],
        "buckets": [
            {
                "owner": offering_id(owner),
                "start": start,
                "total": total,
                "reserved": reserved,
                "unit": units[owner],
                "holds": [[rid, q] for rid, q in holds],
            }
            for owner, start, total, reserved, holds in BUCKETS
        ],
    }


async def _build(tx: Tx, rows: dict[str, Any]) -> None:
    await tx.run(BUILD, **rows)


async def build(db: Database) -> None:
    await db.write(_build, _rows())


MORE = """
UNWIND $rows AS x
MATCH (p:Park {code: $park}), (a2:Organization {uscc: $a2})
CREATE (o:Organization {uscc: x.uscc, name_zh: x.name, name_en: x.name, kind: 'requester',
                        active: true, fictional: true, updated_at: datetime()})
CREATE (o)-[:IN_PARK]->(p)
WITH o, a2, x
UNWIND [1, 2] AS n
CREATE (r:Request {id: x.uscc + '/' + toString(n), requester: o.uscc, status: 'completed',
                   capability: 'BIO.USP.FB', earliest_start: date('2027-03-01'),
                   need_by: date('2027-03-28'), created_at: datetime()})
WITH o, a2, r
MATCH (c:Capability {code: 'BIO.USP.FB'})
CREATE (o)-[:REQUESTED]->(r)-[:NEEDS]->(c), (r)-[:AWARDED_TO]->(a2)
"""


async def _more(tx: Tx, rows: list[dict[str, Any]]) -> None:
    await tx.run(MORE, rows=rows, park=A, a2=USCC["a2"])


async def build_more(db: Database, n: int) -> None:
    """n more requesters in A, each with two completed engagements with a2."""
    rows = [{"uscc": factories.uscc(1000 + i), "name": f"Extra {i}"} for i in range(n)]
    await db.write(_more, rows)
