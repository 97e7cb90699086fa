"""GraphQL over HTTP as its specification asks, against a live hub process."""

from __future__ import annotations

import httpx

GRAPHQL_RESPONSE = "application/graphql-response+json"
PARKS = "{ parks(region: HEBEI) { code nameZh } }"


async def test_post_returns_data_from_neo4j(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": PARKS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    codes = [p["code"] for p in response.json()["data"]["parks"]]
    assert codes == ["HE-CANGZHOU", "HE-SJZ"]


async def test_chinese_is_sent_as_utf8_not_escaped(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": PARKS})
    assert "沧州" in response.content.decode("utf-8")


async def test_get_runs_a_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": PARKS})
    assert response.status_code == 200
    assert len(response.json()["data"]["parks"]) == 2


async def test_graphql_response_json_is_negotiated(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": PARKS},
        headers={"accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"


async def test_json_is_preferred_when_ranked_higher(client: httpx.AsyncClient) -> None:
    accept = f"{GRAPHQL_RESPONSE};q=0.5, application/json"
    response = await client.post("/graphql", json={"query": PARKS}, headers={"accept": accept})
    assert response.headers["content-type"].startswith("application/json")


async def test_validation_error_is_400_without_data_in_graphql_response_json(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ parks { noSuchField } }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert "noSuchField" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]


async def test_validation_error_is_200_in_application_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ parks { noSuchField } }"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["errors"]


async def test_syntax_error_is_400_in_graphql_response_json(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ parks { "}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    assert "Syntax Error" in response.json()["errors"][0]["message"]


async def test_mutation_over_get_is_405_allowing_post(client: httpx.AsyncClient) -> None:
    query = 'mutation { revokeApiToken(id: "x") { __typename } }'
    response = await client.get("/graphql", params={"query": query})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_unacceptable_media_type_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": PARKS}, headers={"accept": "text/csv"})
    assert response.status_code == 406


async def test_body_that_is_not_json_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b'{"query": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


async def test_missing_query_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"variables": {}})
    assert response.status_code == 400


async def test_ide_is_off_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 404


async def test_healthz_and_readyz(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_request_id_is_echoed_when_sane_and_made_otherwise(
    client: httpx.AsyncClient,
) -> None:
    mine = await client.get("/healthz", headers={"x-request-id": "trace-12345678"})
    assert mine.headers["x-request-id"] == "trace-12345678"
    odd = await client.get("/healthz", headers={"x-request-id": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"
    assert len(odd.headers["x-request-id"]) == 32
