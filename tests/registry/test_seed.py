"""The demo network and the synthetic generator, loaded into a real Neo4j."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any, LiteralString

import pytest

from hub.db.driver import Database, Tx
from hub.demo.dated_rows import ANCHOR
from hub.demo.firms import load_demo, roster
from hub.demo.synthetic import load_synthetic
from hub.paths import REFERENCE_DIR
from hub.reference import store as reference_store
from hub.registry.uscc import normalize_uscc
from hub.time import CHINA
from tests.conftest import REFERENCE_LABELS

with (REFERENCE_DIR / "parks.csv").open(encoding="utf-8") as parks_file:
    PARKS = {
        row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(parks_file)
    }
START = datetime(ANCHOR.year, ANCHOR.month, ANCHOR.day, tzinfo=CHINA)
PER_GRAIN = {"month": 12, "week": 52}
DEMO_FIRMS = len(roster())


async def _only_the_demo(tx: Tx) -> bool:
    row = await tx.single(
        "MATCH (o:Organization) RETURN count(o) AS all, "
        "count(CASE WHEN o.uscc CONTAINS 'MAHUB' THEN 1 END) AS demo"
    )
    return row is not None and row["all"] == row["demo"] == DEMO_FIRMS


async def _wipe(tx: Tx) -> None:
    await tx.run(
        "MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $keep) DETACH DELETE n",
        keep=REFERENCE_LABELS,
    )


@pytest.fixture
async def demo(db: Database) -> Database:
    """The demo network alone in the graph: loaded once, again only after a test wiped it."""
    if not await db.read(_only_the_demo):
        await db.write(_wipe)
        await load_demo(db)
    return db


async def _rows(tx: Tx, cypher: LiteralString, **params: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in await tx.records(cypher, **params)]


async def _organizations(tx: Tx) -> list[dict[str, Any]]:
    return await _rows(
        tx,
        """MATCH (o:Organization)
        RETURN o.uscc AS uscc, o.name_zh AS zh, o.name_en AS en, o.kind AS kind,
               o.fictional AS fictional, [(o)-[:IN_PARK]->(p) | p.code] AS parks,
               COUNT { (o)-[:HAS_SITE]->(:Site)-[:OFFERS]->(:Offering) } AS offerings
        ORDER BY uscc""",
    )


async def _sites(tx: Tx) -> list[dict[str, Any]]:
    return await _rows(
        tx,
        """MATCH (o:Organization)-[:HAS_SITE]->(s:Site)
        OPTIONAL MATCH (s)-[:LOCATED_IN]->(p:Park)
        RETURN s.id AS id, s.lat AS lat, s.lon AS lon, p.code AS park""",
    )


async def test_the_demo_is_fictional_marked_and_on_real_parks(demo: Database) -> None:
    organizations = await demo.read(_organizations)
    assert 60 <= len(organizations) <= 120
    for org in organizations:
        assert org["fictional"] is True
        assert org["zh"].endswith("（虚构）") and org["en"].endswith("(fictional)")
        assert normalize_uscc(org["uscc"]) == org["uscc"] and org["uscc"][8:12] == "MAHU"
        assert org["parks"] and set(org["parks"]) <= set(PARKS)
    for site in await demo.read(_sites):
        lat, lon = PARKS[site["park"]]
        assert abs(site["lat"] - lat) <= 0.03 and abs(site["lon"] - lon) <= 0.03, site
    kinds = Counter(org["kind"] for org in organizations)
    assert kinds["requester"] >= 3 and kinds["both"] >= 3


async def _offerings(tx: Tx) -> list[dict[str, Any]]:
    return await _rows(
        tx,
        """MATCH (f:Offering)-[:OF]->(c:Capability)
        RETURN f.id AS id, f.unit AS unit, c.code AS capability, f.gmp_grade AS grade,
               f.scale_min AS low, f.scale_max AS high""",
    )


async def test_providers_offer_in_the_units_of_the_taxonomy(demo: Database) -> None:
    taxonomy = await demo.read(reference_store.taxonomy)
    for org in await demo.read(_organizations):
        expected = range(0, 1) if org["kind"] == "requester" else range(2, 7)
        assert org["offerings"] in expected, org
    offerings = await demo.read(_offerings)
    assert offerings
    for offering in offerings:
        assert offering["unit"] == taxonomy.nodes[offering["capability"]].unit, offering
        assert 0 < offering["low"] <= offering["high"], offering
    tox = [o for o in offerings if o["capability"].startswith("PRE.TOX")]
    assert tox and all(o["grade"] == "glp" for o in tox)


async def test_beijing_makes_no_chemical_api_and_tianjin_hitech_does_cell_therapy(
    demo: Database,
) -> None:
    rows = await demo.read(
        _rows,
        """MATCH (p:Park)<-[:LOCATED_IN]-(:Site)-[:OFFERS]->(f:Offering)
        RETURN p.code AS park, collect(f.capability) AS capabilities""",
    )
    offered = {r["park"]: r["capabilities"] for r in rows}
    assert set(offered) == set(PARKS), "every park holds providers"
    beijing = [c for park, caps in offered.items() if park.startswith("BJ-") for c in caps]
    assert not [c for c in beijing if c.startswith("API.SML")]
    assert [c for c in offered["HE-CANGZHOU"] if c.startswith("API.SML")]
    assert [c for c in offered["TJ-BINHAI-HITECH"] if c.startswith("CGT.CEL")]
    assert [c for c in offered["BJ-DAXING"] if c.startswith("BIO.USP")]


async def _certificates(tx: Tx) -> list[dict[str, Any]]:
    return await _rows(
        tx,
        """MATCH (o:Organization)-[:HOLDS]->(c:Certificate)
        RETURN c.authority AS authority, c.valid_to AS valid_to,
               COUNT { (c)-[:COVERS_SITE]->(:Site)<-[:HAS_SITE]-(o) } AS sites,
               COUNT { (c)-[:COVERS]->(:Capability) } AS capabilities""",
    )


async def test_some_certificates_have_expired_and_some_expire_soon(demo: Database) -> None:
    certificates = await demo.read(_certificates)
    assert all(c["sites"] >= 1 and c["capabilities"] >= 1 for c in certificates)
    ends = [c["valid_to"].to_native() for c in certificates if c["valid_to"] is not None]
    assert any(end < ANCHOR for end in ends), "some expired before the anchor"
    assert any(ANCHOR <= end <= ANCHOR + timedelta(days=90) for end in ends)
    assert {"nmpa_licence", "nmpa_gmp", "eu_gmp", "fda", "nmpa_glp"} <= {
        c["authority"] for c in certificates
    }


async def _capacity(tx: Tx) -> list[dict[str, Any]]:
    return await _rows(
        tx,
        """MATCH (f:Offering)
        OPTIONAL MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket)
        RETURN f.id AS id, f.unit AS unit, collect(b {.grain, .start, .end, .unit, .total,
               .reserved}) AS buckets""",
    )


async def test_every_offering_has_twelve_months_of_capacity(demo: Database) -> None:
    for offering in await demo.read(_capacity):
        buckets = offering["buckets"]
        [grain] = {b["grain"] for b in buckets}
        assert len(buckets) == PER_GRAIN[grain], offering["id"]
        starts = sorted(b["start"].to_native() for b in buckets)
        ends = sorted(b["end"].to_native() for b in buckets)
        assert starts[0] <= START < starts[1]
        assert ends[-1] - starts[0] >= timedelta(weeks=52)
        assert all(b["unit"] == offering["unit"] and b["reserved"] == 0 for b in buckets)
        assert any(b["total"] > 0 for b in buckets), "some spare capacity"


async def _audit_records(tx: Tx) -> int:
    row = await tx.single("RETURN COUNT { (:AuditRecord) } AS n")
    assert row is not None
    return int(row["n"])


async def _graph_counts(tx: Tx) -> dict[str, int]:
    row = await tx.single(
        """RETURN COUNT { (:Organization) } AS organizations, COUNT { (:Site) } AS sites,
        COUNT { (:Offering) } AS offerings, COUNT { (:Equipment) } AS equipment,
        COUNT { (:Certificate) } AS certificates,
        COUNT { (:CapacityBucket) } AS `capacity buckets`"""
    )
    assert row is not None
    return dict(row)


async def _engagements(tx: Tx) -> list[dict[str, Any]]:
    return await _rows(
        tx,
        """MATCH (q:Organization)-[:REQUESTED]->(r:Request {status: 'completed'})
                 -[:AWARDED_TO]->(p:Organization)
        MATCH (r)<-[:FOR]-(m:Match {status: 'awarded'})-[:TO]->(f:Offering)
        RETURN r.id AS id, q.kind AS requester_kind, p.uscc AS provider, f.id AS offering,
               r.rating AS rating, r.on_time AS on_time, r.need_by AS need_by""",
    )


async def test_loading_the_demo_twice_changes_nothing(demo: Database) -> None:
    counts, audited = await demo.read(_graph_counts), await demo.read(_audit_records)
    engagements = await demo.read(_engagements)
    assert audited == sum(counts.values()), "one audit record per entity created"
    assert await load_demo(demo) == {**counts, "past engagements": len(engagements)}
    assert await demo.read(_audit_records) == audited
    assert len(await demo.read(_engagements)) == len(engagements)


async def test_the_demo_has_past_engagements_that_feed_the_track_record(
    demo: Database,
) -> None:
    engagements = await demo.read(_engagements)
    assert len(engagements) == 24
    assert {e["requester_kind"] for e in engagements} <= {"requester", "both"}
    assert all(e["offering"].startswith(e["provider"]) for e in engagements)
    assert all(1 <= e["rating"] <= 5 for e in engagements)
    assert all(e["need_by"].to_native() < date(2026, 12, 1) for e in engagements)
    assert {e["on_time"] for e in engagements} == {True, False}


async def _usccs(tx: Tx) -> set[str]:
    return {org["uscc"] for org in await _organizations(tx) if org["fictional"]}


async def test_the_synthetic_network_is_written_as_reported(clean: Database) -> None:
    counts = await load_synthetic(clean, 50, 7, batch=20)
    assert counts["organizations"] == 50
    assert await clean.read(_graph_counts) == counts
    sites = await clean.read(_sites)
    assert all(site["park"] in PARKS for site in sites)


async def test_the_same_seed_gives_the_same_network_and_another_seed_another(
    clean: Database,
) -> None:
    counts = await load_synthetic(clean, 50, 7, batch=20)
    usccs, audited = await clean.read(_usccs), await clean.read(_audit_records)
    # Another batch size, the same firms: nothing to write.
    assert await load_synthetic(clean, 50, 7, batch=50) == counts
    assert await clean.read(_usccs) == usccs
    assert await clean.read(_audit_records) == audited
    await load_synthetic(clean, 50, 8)
    assert len(await clean.read(_usccs) - usccs) == 50
