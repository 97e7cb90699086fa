"""Reference data: the real parks, the units and the three-level taxonomy, loaded idempotently."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from hub.db.driver import Database, Tx, counting_round_trips
from hub.errors import InvalidInput
from hub.graphql import response_cache
from hub.paths import REFERENCE_DIR
from hub.reference import cache as reference_cache
from hub.reference.seed import capability_rows, load_reference
from hub.search import fulltext_query

UNITS = {
    line.split(",")[0]
    for line in (REFERENCE_DIR / "units.csv").read_text(encoding="utf-8").splitlines()[1:]
}
TREE = "{ taxonomy { code children { code unitCode children { code unit { code nameZh } } } } }"


async def _counts(tx: Tx) -> dict[str, int]:
    row = await tx.single(
        "RETURN COUNT { (:Park) } AS parks, COUNT { (:Unit) } AS units, "
        "COUNT { (:Capability) } AS capabilities, COUNT { ()-[:BROADER]->() } AS broader"
    )
    assert row is not None
    return dict(row)


async def test_loading_twice_changes_nothing(db: Database) -> None:
    before = await db.read(_counts)
    assert await load_reference(db) == {"parks": 12, "units": 22, "capabilities": 139}
    assert await db.read(_counts) == before
    assert before["broader"] == before["capabilities"] - 12


async def test_the_tree_has_three_levels_and_units_inherit(
    app_client: httpx.AsyncClient,
) -> None:
    reference_cache.invalidate_all()  # shared by the process: read it afresh, uncached
    with response_cache.bypassed(), counting_round_trips() as queries:
        response = await app_client.post("/graphql", json={"query": TREE})
    top = response.json()["data"]["taxonomy"]
    assert len(top) == 12
    [bio] = [n for n in top if n["code"] == "BIO"]
    [usp] = [n for n in bio["children"] if n["code"] == "BIO.USP"]
    assert usp["unitCode"] == "bioreactor_l_batch"
    assert {c["unit"]["code"] for c in usp["children"]} == {"bioreactor_l_batch"}
    assert len(queries) == 1, "the whole tree and its units are read in one query"


async def _narrower(tx: Tx, code: str) -> list[str]:
    rows = await tx.records(
        "MATCH (:Capability {code: $code})<-[:BROADER*0..5]-(c) "
        "RETURN c.code AS code ORDER BY code",
        code=code,
    )
    return [r["code"] for r in rows]


async def test_subsumption_reaches_every_node_beneath(db: Database) -> None:
    assert await db.read(_narrower, "DP.STE") == [
        "DP.STE",
        "DP.STE.LYO",
        "DP.STE.PFS",
        "DP.STE.VIA",
    ]


async def test_parks_of_a_region(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ parks(region: BEIJING) { code nameZh nameEn lat lon } }"}
    )
    parks = response.json()["data"]["parks"]
    assert len(parks) == 7
    assert all(39 < p["lat"] < 41 and 115 < p["lon"] < 118 for p in parks)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("冻干", "DP.STE.LYO"),
        ("灌装", "DP.STE.VIA"),
        ("lyophilisation", "DP.STE.LYO"),
        ("病毒载体", "CGT.VEC"),
        ("冻", "DP.STE.LYO"),
        ("AAV", "CGT.VEC.AAV"),
    ],
)
async def test_capabilities_are_found_in_chinese_and_english(
    client: httpx.AsyncClient,
    text: str,
    expected: str,
) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query($t: String!) { searchCapabilities(text: $t) { code } }",
            "variables": {"t": text},
        },
    )
    assert expected in [c["code"] for c in response.json()["data"]["searchCapabilities"]]


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("冻干", "冻干"),
        ("冻", "冻*"),
        ("  ", None),
        ("a:b (c", "a\\:b AND \\(c"),
        ("细胞 治疗", "细胞 AND 治疗"),
    ],
)
def test_typed_text_becomes_a_safe_lucene_query(typed: str, query: str | None) -> None:
    assert fulltext_query(typed) == query


def test_a_taxonomy_row_with_an_unknown_parent_is_named(tmp_path: Path) -> None:
    text = (REFERENCE_DIR / "taxonomy.csv").read_text(encoding="utf-8")
    broken = tmp_path / "taxonomy.csv"
    broken.write_text(text + "XX.YY,XX,2,未知,Unknown,fte_month\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 141: parent XX is not listed"):
        capability_rows(broken, UNITS)
