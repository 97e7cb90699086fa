"""The registry over GraphQL: finding, visibility, changing, and the cost in round-trips."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx, counting_round_trips
from hub.graphql import response_cache
from tests import factories
from tests.registry import sample

ORG = """query($u: String!) { organization(uscc: $u) {
  uscc nameZh kind parks { code } contact { email } internalNote
  certificates { number status authority }
  sites { code park { code } equipment { tag model }
    offerings { id capability { code } unit
      capacity(from: "2027-01-04", to: "2027-01-31") { free stale } } } } }"""


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


async def gql(
    client: httpx.AsyncClient, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers=bearer(token) if token else {},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_anonymous_sees_the_public_profile_only(
    clean: Database, client: httpx.AsyncClient
) -> None:
    await sample.load(clean, capacity_weeks=4)
    org = (await gql(client, ORG, u=sample.USCC))["organization"]
    assert org["nameZh"].endswith("（虚构）")
    assert org["parks"] == [{"code": "BJ-ETOWN"}]
    assert (org["contact"], org["internalNote"], org["certificates"]) == (None, None, None)
    [offering] = org["sites"][0]["offerings"]
    assert offering["capability"]["code"] == "BIO.USP.FB"
    assert offering["capacity"] is None
    assert org["sites"][0]["equipment"][0]["model"] is None


async def test_a_requester_also_sees_certificates_and_capacity(
    clean: Database,
    client: httpx.AsyncClient,
) -> None:
    await sample.load(clean, capacity_weeks=4)
    requester = await factories.organization(clean, 7)
    token = await factories.token(clean, "cmc@startup.test", f"requester:{requester}")
    org = (await gql(client, ORG, token, u=sample.USCC))["organization"]
    assert org["certificates"] == [
        {"number": "京2025" + sample.USCC[-6:], "status": "VALID", "authority": "NMPA_LICENCE"}
    ]
    capacity = org["sites"][0]["offerings"][0]["capacity"]
    assert [b["free"] for b in capacity] == [4000.0] * 4
    assert (org["contact"], org["internalNote"]) == (None, None)


async def test_members_and_admins_see_private_fields(
    clean: Database, client: httpx.AsyncClient
) -> None:
    await sample.load(clean)
    member = await factories.token(clean, "bd@example.test", f"provider:{sample.USCC}")
    admin = await factories.token(clean, "ops@hub.test", "admin")
    for token in (member, admin):
        org = (await gql(client, ORG, token, u=sample.USCC))["organization"]
        assert org["contact"] == {"email": "bd@example.test"}
        assert org["internalNote"] == "key account"


NESTED = """query($first: Int!) { organizations(first: $first) { edges { node {
  uscc certificates { number } sites { code offerings { id capacity(from: "2027-01-04",
  to: "2027-02-28") { free } } } } } pageInfo { hasNextPage } } }"""


async def test_a_nested_query_of_50_organizations_costs_a_constant_number_of_round_trips(
    clean: Database,
    app_client: httpx.AsyncClient,
) -> None:
    for n in range(50):
        await sample.load(clean, factories.uscc(2000 + n), capacity_weeks=8)
    token = await factories.token(clean, "admin@hub.test", "admin")
    with response_cache.bypassed(), counting_round_trips() as queries:
        data = await gql(app_client, NESTED, token, first=50)
    orgs = data["organizations"]["edges"]
    assert len(orgs) == 50
    assert all(len(o["node"]["sites"][0]["offerings"][0]["capacity"]) == 8 for o in orgs)
    # token check, then the page with everything beneath it (hub/registry/store/projection.py)
    assert len(queries) == 2, queries


async def test_pages_follow_the_cursor_in_a_stable_order(
    clean: Database, client: httpx.AsyncClient
) -> None:
    codes = [await factories.organization(clean, n) for n in range(1, 6)]
    query = """query($after: String) { organizations(first: 2, after: $after) {
      edges { cursor node { uscc } } pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        page = (await gql(client, query, after=after))["organizations"]
        seen += [e["node"]["uscc"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(codes)


@pytest.mark.parametrize(("first", "after"), [(0, None), (101, None), (5, "bm90LWEtY3Vyc29y")])
async def test_bad_page_arguments_name_the_field(
    client: httpx.AsyncClient, first: int, after: str | None
) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query($f: Int!, $a: String) { organizations(first: $f, after: $a) "
            "{ edges { cursor } } }",
            "variables": {"f": first, "a": after},
        },
    )
    error = response.json()["errors"][0]["extensions"]
    assert (error["code"], error["field"]) == (
        "INVALID_INPUT",
        "first" if after is None else "after",
    )


SEARCH = """query($f: OrganizationFilterInput) { organizations(filter: $f, first: 20) {
  edges { node { uscc } } } }"""


async def test_organizations_are_filtered_and_found_by_chinese_text(
    clean: Database,
    client: httpx.AsyncClient,
) -> None:
    await sample.load(clean)
    other = await factories.organization(clean, 9, "天津示例化学有限公司（虚构）")

    async def found(**f: Any) -> list[str]:
        data = await gql(client, SEARCH, f=f)
        return [e["node"]["uscc"] for e in data["organizations"]["edges"]]

    assert await found(text="生物") == [sample.USCC]
    assert await found(text="化学") == [other]
    assert await found(parks=["BJ-ETOWN"]) == [sample.USCC]
    assert await found(capability="BIO") == [sample.USCC]
    assert await found(capability="DP") == []
    assert await found(city="北京") == [sample.USCC]
    assert await found(authority="NMPA_LICENCE") == [sample.USCC]
    assert await found(authority="EU_GMP") == []


async def _node_count(tx: Tx) -> int:
    row = await tx.single(
        "MATCH (n) WHERE NOT n:Migration AND NOT n:Park AND NOT n:Unit "
        "AND NOT n:Capability RETURN count(n) AS n"
    )
    assert row is not None
    return int(row["n"])
