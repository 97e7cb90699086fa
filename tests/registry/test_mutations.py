"""Changing the registry over GraphQL: who may, what is refused, and nothing half-written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from tests import factories
from tests.registry import sample
from tests.registry.test_registry_api import bearer

PROBLEM = "... on Problem { code field messageZh messageEn }"


def mutation(declared: str, call: str, success: str) -> str:
    """A mutation selecting its success member and every problem member."""
    return f"mutation({declared}) {{ {call} {{ __typename {success} {PROBLEM} }} }}"


INPUT = "input: $i"
REGISTER = mutation(
    "$i: OrganizationInput!",
    f"registerOrganization({INPUT})",
    "... on OrganizationSaved { organization { uscc contact { email } } }",
)
SAVE_SITE = mutation(
    "$i: SiteInput!", f"saveSite({INPUT})", "... on SiteSaved { site { id park { code } } }"
)
SAVE_OFFERING = mutation(
    "$i: OfferingInput!", f"saveOffering({INPUT})", "... on OfferingSaved { offering { id unit } }"
)
SAVE_CERT = mutation(
    "$i: CertificateInput!",
    f"saveCertificate({INPUT})",
    "... on CertificateSaved { certificate { id status } }",
)
PUBLISH = mutation(
    "$i: CapacityInput!",
    f"publishCapacity({INPUT})",
    "... on CapacityPublished { created updated unchanged }",
)
ADJUST = mutation(
    "$id: ID!, $t: Float!",
    "adjustCapacity(id: $id, total: $t)",
    "... on CapacityAdjusted { total }",
)
RETIRE = mutation("$id: ID!", "retireOffering(id: $id)", "")

NEW_ORG = {
    "uscc": factories.uscc(4242),
    "nameZh": "测试新药有限公司（虚构）",
    "nameEn": "Test Pharma (fictional)",
    "kind": "BOTH",
    "parks": ["TJ-TEDA"],
    "contactEmail": "cmc@test.example",
}


async def run(
    client: httpx.AsyncClient,
    query: str,
    token: str | None,
    **variables: Any,
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers=bearer(token) if token else {},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


async def _count(tx: Tx, label: str) -> int:
    row = await tx.single("MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS n", label=label)
    assert row is not None
    return int(row["n"])


async def test_registering_makes_the_caller_a_member(
    clean: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(clean, "founder@test.example")
    saved = await run(client, REGISTER, token, i=NEW_ORG)
    assert saved["organization"]["contact"] == {"email": "cmc@test.example"}
    me = await client.post(
        "/graphql", json={"query": "{ me { roles { kind scope } } }"}, headers=bearer(token)
    )
    roles = me.json()["data"]["me"]["roles"]
    assert sorted(roles, key=lambda r: r["kind"]) == [
        {"kind": "FIRM_ADMIN", "scope": NEW_ORG["uscc"]},  # who invites colleagues
        {"kind": "PROVIDER", "scope": NEW_ORG["uscc"]},
    ]
    again = await run(client, REGISTER, token, i=NEW_ORG)
    assert (again["__typename"], again["field"]) == ("ConflictProblem", "uscc")


async def test_anonymous_writes_are_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": REGISTER, "variables": {"i": NEW_ORG}})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"uscc": "91110000MA00000010"}, "uscc"),  # wrong check digit
        ({"uscc": "123"}, "uscc"),
        ({"parks": ["NOWHERE"]}, "parks"),
        ({"contactEmail": "not-an-address"}, "contactEmail"),
        ({"nameZh": "x" * 1_000_000}, "nameZh"),
        ({"nameZh": "坏\x00名"}, "nameZh"),  # NUL
        ({"nameEn": "\x1b[2JTest"}, "nameEn"),  # ESC
        ({"nameEn": "Test\u202egnp.exe"}, "nameEn"),  # right-to-left override
        ({"contactName": "Li\u2066Wei"}, "contactName"),  # bidi isolate
        ({"nameEn": "Two\nlines"}, "nameEn"),  # a name is one line
        ({"licenceNumbers": ["A\x85B"]}, "licenceNumbers"),  # C1 control
        ({"internalNote": "bell\x07"}, "internalNote"),  # free text, still no controls
    ],
)
async def test_bad_organization_input_names_the_field(
    clean: Database,
    client: httpx.AsyncClient,
    change: dict[str, Any],
    field: str,
) -> None:
    token = await factories.token(clean, "founder@test.example")
    problem = await run(client, REGISTER, token, i={**NEW_ORG, **change})
    assert (problem["__typename"], problem["field"]) == ("InvalidInputProblem", field)
    assert problem["messageZh"] and problem["messageEn"]
    assert await clean.read(_count, "Organization") == 0


async def test_free_text_keeps_its_line_breaks_and_tabs(
    clean: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(clean, "founder@test.example")
    note = "第一行\n\tsecond line\r\nthird"
    saved = await run(client, REGISTER, token, i={**NEW_ORG, "internalNote": note})
    assert saved["__typename"] == "OrganizationSaved", saved

    async def stored(tx: Tx) -> str:
        row = await tx.single("MATCH (o:Organization) RETURN o.internal_note AS note")
        assert row is not None
        return str(row["note"])

    assert await clean.read(stored) == note


async def _member(clean: Database) -> str:
    await sample.load(clean, capacity_weeks=2)
    return await factories.token(clean, "planner@example.test", f"provider:{sample.USCC}")


SITE = {
    "uscc": sample.USCC,
    "site": "yz-2",
    "nameZh": "亦庄二厂",
    "nameEn": "Plant 2",
    "address": "北京经济技术开发区示例路2号",
    "city": "北京",
    "lat": 39.8,
    "lon": 116.5,
    "park": "BJ-ETOWN",
}
OFFERING = {
    "uscc": sample.USCC,
    "site": "yz-1",
    "offering": "lyo",
    "capability": "DP.STE.LYO",
    "gmpGrade": "GMP_COMMERCIAL",
    "scaleMin": 100,
    "scaleMax": 2000,
}


async def test_a_member_saves_sites_and_offerings(
    clean: Database, client: httpx.AsyncClient
) -> None:
    token = await _member(clean)
    site = await run(client, SAVE_SITE, token, i=SITE)
    assert site["site"] == {"id": f"{sample.USCC}/yz-2", "park": {"code": "BJ-ETOWN"}}
    offering = await run(client, SAVE_OFFERING, token, i=OFFERING)
    assert offering["offering"]["unit"] == "vials_hour"


async def test_another_firm_cannot_change_it_and_is_told_not_found(
    clean: Database,
    client: httpx.AsyncClient,
) -> None:
    await sample.load(clean)
    other = await factories.organization(clean, 77)
    token = await factories.token(clean, "rival@example.test", f"provider:{other}")
    problem = await run(client, SAVE_SITE, token, i=SITE)
    assert (problem["__typename"], problem["field"]) == ("NotFoundProblem", "uscc")
    assert await clean.read(_count, "Site") == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capability": "NOPE.X"}, "capability"),
        ({"capability": "DP"}, "capability"),  # too broad: no unit
        ({"unit": "kg_batch"}, "unit"),  # not the capability's unit
        ({"scaleMin": 0}, "scaleMin"),
        ({"scaleMin": -5}, "scaleMin"),
        ({"scaleMax": 50}, "scaleMax"),
        ({"site": "no-such-site"}, "site"),
        ({"equipment": ["NO-SUCH-TAG"]}, "equipment"),
    ],
)
async def test_bad_offering_input_names_the_field(
    clean: Database,
    client: httpx.AsyncClient,
    change: dict[str, Any],
    field: str,
) -> None:
    token = await _member(clean)
    problem = await run(client, SAVE_OFFERING, token, i={**OFFERING, **change})
    assert problem["field"] == field, problem
    assert problem["messageEn"].startswith(f"{field}: ")
    assert problem["messageZh"].startswith(f"{field}：")
    assert await clean.read(_count, "Offering") == 1


async def test_problems_name_fields_as_graphql_spells_them_but_not_values(
    clean: Database, client: httpx.AsyncClient
) -> None:
    token = await _member(clean)
    upside_down = await run(client, SAVE_OFFERING, token, i={**OFFERING, "scaleMax": 50})
    assert upside_down["messageEn"] == "scaleMax: must not be below scaleMin"
    assert upside_down["messageZh"] == "scaleMax：不能小于 scaleMin"
    wrong_unit = await run(client, SAVE_OFFERING, token, i={**OFFERING, "unit": "kg_batch"})
    assert wrong_unit["field"] == "unit"
    assert "kg_batch" in wrong_unit["messageEn"] and "vials_hour" in wrong_unit["messageEn"]


CERT = {
    "uscc": sample.USCC,
    "authority": "EU_GMP",
    "number": "UK-GMP-0001",
    "validFrom": "2026-01-01",
    "validTo": "2028-12-31",
    "sites": ["yz-1"],
    "capabilities": ["BIO"],
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"validTo": "2025-12-31"}, "validTo"),
        ({"sites": ["elsewhere"]}, "sites"),
        ({"capabilities": ["ZZZ"]}, "capabilities"),
        ({"sites": []}, "sites"),
    ],
)
async def test_bad_certificate_input_names_the_field(
    clean: Database,
    client: httpx.AsyncClient,
    change: dict[str, Any],
    field: str,
) -> None:
    token = await _member(clean)
    problem = await run(client, SAVE_CERT, token, i={**CERT, **change})
    assert problem["field"] == field, problem
    assert await clean.read(_count, "Certificate") == 1


async def test_a_year_of_weeks_is_published_in_one_call(
    clean: Database, client: httpx.AsyncClient
) -> None:
    token = await _member(clean)
    from datetime import date, timedelta

    weeks = [
        {"start": (date(2027, 1, 4) + timedelta(weeks=i)).isoformat() + "T00:00:00", "total": 3000}
        for i in range(52)
    ]
    owner = f"{sample.USCC}/yz-1/mab-usp"
    done = await run(client, PUBLISH, token, i={"owner": owner, "grain": "WEEK", "buckets": weeks})
    assert (done["created"], done["updated"], done["unchanged"]) == (50, 2, 0)
    again = await run(client, PUBLISH, token, i={"owner": owner, "grain": "WEEK", "buckets": weeks})
    assert again["unchanged"] == 52


@pytest.mark.parametrize(
    ("bucket", "grain", "field"),
    [
        ({"start": "2027-01-05T00:00:00", "total": 10}, "WEEK", "start"),  # a Tuesday
        ({"start": "2027-01-04T00:00:00", "total": -1}, "WEEK", "total"),
        ({"start": "2027-01-15T00:00:00", "total": 10}, "MONTH", "start"),
    ],
)
async def test_bad_capacity_names_the_field(
    clean: Database, client: httpx.AsyncClient, bucket: dict[str, Any], grain: str, field: str
) -> None:
    token = await _member(clean)
    owner = f"{sample.USCC}/yz-1/mab-usp"
    problem = await run(
        client, PUBLISH, token, i={"owner": owner, "grain": grain, "buckets": [bucket]}
    )
    assert problem["field"] == field, problem
    assert await clean.read(_count, "CapacityBucket") == 2


async def _reserve(tx: Tx, amount: float) -> str:
    row = await tx.single(
        "MATCH (b:CapacityBucket) WITH b ORDER BY b.start LIMIT 1 "
        "SET b.reserved = $amount RETURN b.id AS id",
        amount=amount,
    )
    assert row is not None
    return str(row["id"])


async def test_total_cannot_go_below_reserved(clean: Database, client: httpx.AsyncClient) -> None:
    token = await _member(clean)
    bucket = await clean.write(_reserve, 2500.0)
    refused = await run(client, ADJUST, token, id=bucket, t=2000)
    assert (refused["__typename"], refused["field"]) == ("ConflictProblem", "total")
    assert "2500" in refused["messageEn"]
    done = await run(client, ADJUST, token, id=bucket, t=2600)
    assert done["total"] == 2600


async def _audit(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (a:AuditRecord {actor: 'planner@example.test'}) RETURN a {.*} AS a ORDER BY a.at"
    )
    return [r["a"] for r in rows]


async def test_retiring_keeps_history_and_is_audited(
    clean: Database, client: httpx.AsyncClient
) -> None:
    token = await _member(clean)
    offering_id = f"{sample.USCC}/yz-1/mab-usp"
    retired = await run(client, RETIRE, token, id=offering_id)
    assert retired["__typename"] == "Retired"
    [record] = await clean.read(_audit)
    assert (record["action"], record["entity"], record["key"]) == (
        "retire",
        "Offering",
        offering_id,
    )
    assert '"active": true' in record["before"] and '"active": false' in record["after"]
    assert record["request_id"]
    query = "query($u: String!) { organization(uscc: $u) { sites { offerings { id } } } }"
    org = await client.post("/graphql", json={"query": query, "variables": {"u": sample.USCC}})
    assert org.json()["data"]["organization"]["sites"][0]["offerings"] == []
