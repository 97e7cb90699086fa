"""Every refusal at the door is a GraphQL error body with a stable code, and a lone
surrogate in a request is refused there as INVALID_INPUT naming where it was."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from tests import factories
from tests.registry.sample import USCC as PROVIDER

PARKS = "{ parks { code } }"


def _code(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["extensions"]["messageZh"] and error["extensions"]["messageEn"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    return str(error["extensions"]["code"])


async def test_a_mutation_over_get_is_a_405_graphql_error(client: httpx.AsyncClient) -> None:
    query = 'mutation { revokeApiToken(id: "x") { __typename } }'
    response = await client.get("/graphql", params={"query": query})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert _code(response) == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'[{"query": "{ parks { code } }"}, {"query": "{ parks { code } }"}]', "application/json"),
        (b'{"query": ', "application/json"),
        (b"query=x", "application/x-www-form-urlencoded"),
        (b'{"variables": {}}', "application/json"),
    ],
    ids=["batch", "not json", "form", "no query"],
)
async def test_a_bad_body_is_a_400_graphql_error(
    client: httpx.AsyncClient, body: bytes, content_type: str
) -> None:
    response = await client.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    assert _code(response) == "BAD_REQUEST"


async def test_an_unacceptable_media_type_is_a_406_graphql_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"query": PARKS}, headers={"accept": "text/csv"})
    assert response.status_code == 406
    assert _code(response) == "NOT_ACCEPTABLE"


def _with_lone_surrogate(query: str, variables: dict[str, Any]) -> bytes:
    """JSON as a client sends it: the surrogate travels as its escape, \\ud800."""
    return json.dumps({"query": query, "variables": variables}).encode()


ANONYMOUS = [
    ("query($t: String!) { searchCapabilities(text: $t) { code } }", {"t": "冻\ud800"}, "t"),
    (
        "query($f: OrganizationFilterInput) { organizations(filter: $f) { edges { cursor } } }",
        {"f": {"text": "a\ud800b"}},
        "f.text",
    ),
    ("query($u: String!) { organization(uscc: $u) { uscc } }", {"u": "\udfff"}, "u"),
]


@pytest.mark.parametrize(("query", "variables", "field"), ANONYMOUS, ids=["search", "orgs", "org"])
async def test_a_lone_surrogate_is_refused_naming_the_variable(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], field: str
) -> None:
    response = await client.post(
        "/graphql",
        content=_with_lone_surrogate(query, variables),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert _code(response) == "INVALID_INPUT"
    assert response.json()["errors"][0]["extensions"]["field"] == field


async def test_a_signed_in_mutation_with_a_lone_surrogate_writes_nothing(
    network: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(network, "ops@provider", f"provider:{PROVIDER}")
    query = "mutation($i: SiteInput!) { saveSite(input: $i) { __typename } }"
    site = {
        "uscc": PROVIDER,
        "site": "SURROGATE",
        "nameZh": "站\ud800点",
        "nameEn": "Site",
        "address": "1 Road",
        "city": "北京",
        "lat": 39.9,
        "lon": 116.4,
    }
    response = await client.post(
        "/graphql",
        content=_with_lone_surrogate(query, {"i": site}),
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )
    assert _code(response) == "INVALID_INPUT"
    assert response.json()["errors"][0]["extensions"]["field"] == "i.nameZh"
    assert await network.read(_sites_coded, "SURROGATE") == 0


async def _sites_coded(tx: Tx, code: str) -> int:
    row = await tx.single("MATCH (s:Site {code: $code}) RETURN count(s) AS n", code=code)
    return 0 if row is None else int(row["n"])
