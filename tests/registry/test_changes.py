"""Registry writes: validated, written only when different, audited in the same transaction."""

from __future__ import annotations

from typing import Any

import pytest

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.errors import Conflict, NotFound
from hub.reference.store import reference
from hub.registry import rules
from hub.registry.store.writes import Summary, apply
from tests.registry import sample

ACTOR = Actor("test@example.test", "req-0001")


async def _entities(db: Database, data: dict[str, list[dict[str, Any]]]) -> list[list[Any]]:
    ref = await db.read(reference)
    return [
        [rules.organization(r, ref) for r in data["organizations"]],
        [rules.site(r, ref) for r in data["sites"]],
        [rules.equipment(r) for r in data["equipment"]],
        [rules.offering(r, ref) for r in data["offerings"]],
        [rules.certificate(r, ref) for r in data["certificates"]],
    ]


async def _apply_all(db: Database, batches: list[list[Any]]) -> Summary:
    async def work(tx: Tx) -> Summary:
        total = Summary()
        for batch in batches:
            total = total + await apply(tx, batch, ACTOR)
        return total

    return await db.write(work)


async def _audit(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.records("MATCH (a:AuditRecord) RETURN a {.*} AS a ORDER BY a.entity, a.key")
    return [r["a"] for r in rows]


async def test_a_provider_is_written_once_and_audited(clean: Database) -> None:
    batches = await _entities(clean, sample.rows())
    assert await _apply_all(clean, batches) == Summary(created=5)
    audit = await clean.read(_audit)
    assert [(a["entity"], a["action"]) for a in audit] == [
        ("Certificate", "create"),
        ("Equipment", "create"),
        ("Offering", "create"),
        ("Organization", "create"),
        ("Site", "create"),
    ]
    assert all(a["actor"] == ACTOR.handle and a.get("before") is None for a in audit)
    assert await _apply_all(clean, batches) == Summary(unchanged=5)
    assert len(await clean.read(_audit)) == 5


async def test_an_update_records_before_and_after(clean: Database) -> None:
    await _apply_all(clean, await _entities(clean, sample.rows()))
    data = sample.rows()
    data["offerings"][0]["scale_max"] = 6000
    assert await _apply_all(clean, await _entities(clean, data)) == Summary(updated=1, unchanged=4)
    [update] = [a for a in await clean.read(_audit) if a["action"] == "update"]
    assert '"scale_max": 4000.0' in update["before"]
    assert '"scale_max": 6000.0' in update["after"]


async def _graph(tx: Tx) -> dict[str, Any]:
    row = await tx.single("""
        MATCH (o:Organization)-[:HAS_SITE]->(s:Site)-[:OFFERS]->(f:Offering)-[:OF]->(c)
        MATCH (f)-[:RUNS_ON]->(e:Equipment)<-[:HAS_EQUIPMENT]-(s)
        MATCH (o)-[:HOLDS]->(cert)-[:COVERS_SITE]->(s)
        MATCH (cert)-[:COVERS]->(cc)
        MATCH (s)-[:LOCATED_IN]->(p:Park)<-[:IN_PARK]-(o)
        RETURN c.code AS capability, e.tag AS tag, cc.code AS covered, p.code AS park""")
    assert row is not None
    return dict(row)


async def test_relationships_form_the_graph(clean: Database) -> None:
    await _apply_all(clean, await _entities(clean, sample.rows()))
    assert await clean.read(_graph) == {
        "capability": "BIO.USP.FB",
        "tag": "SUB-2000-01",
        "covered": "BIO.USP",
        "park": "BJ-ETOWN",
    }


async def test_a_site_of_an_unknown_organization_is_refused(clean: Database) -> None:
    [_, sites, *_] = await _entities(clean, sample.rows())
    with pytest.raises(NotFound) as refused:
        await _apply_all(clean, [sites])
    assert refused.value.field == "uscc"
    assert await clean.read(_audit) == []


async def test_an_offering_on_unknown_equipment_is_refused(clean: Database) -> None:
    orgs, sites, _, offerings, _ = await _entities(clean, sample.rows())
    with pytest.raises(NotFound) as refused:
        await _apply_all(clean, [orgs, sites, offerings])
    assert refused.value.field == "equipment"
    assert await clean.read(_audit) == [], "nothing half-written"


async def test_capacity_total_cannot_drop_below_reserved(clean: Database) -> None:
    await _apply_all(clean, await _entities(clean, sample.rows()))
    owner = f"{sample.USCC}/yz-1/mab-usp"
    week = {"grain": "week", "start": "2027-01-04", "total": 4000}
    await _apply_all(clean, [[rules.bucket(week, owner, "bioreactor_l_batch")]])

    async def reserve(tx: Tx) -> None:
        await tx.run("MATCH (b:CapacityBucket) SET b.reserved = 3000.0")

    await clean.write(reserve)
    smaller = rules.bucket({**week, "total": 2000}, owner, "bioreactor_l_batch")
    with pytest.raises(Conflict) as refused:
        await _apply_all(clean, [[smaller]])
    assert refused.value.field == "total"
