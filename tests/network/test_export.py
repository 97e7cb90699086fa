"""Exports: GraphML that networkx reads back, JSON that validates, downloads by URL."""

from __future__ import annotations

import csv
import io
import json

import httpx
import jsonschema
import networkx as nx

from hub.network.export import JSON_SCHEMA
from tests.network import sample
from tests.network.conftest import Callers, park_network

U = sample.USCC


async def test_graphml_opens_in_networkx_with_every_attribute(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(
        app_client, callers.operator, "nodes { id } edges { id } graphml(withFigures: true)"
    )
    graph = nx.parse_graphml(data["graphml"])
    assert graph.number_of_nodes() == len(data["nodes"]) == 11
    assert graph.number_of_edges() == len(data["edges"]) == 15
    a3 = graph.nodes[f"org:{U['a3']}"]
    assert a3["kind"] == "organization" and a3["label_en"] == "Firm a3"
    assert a3["label"] == "Firm a3（虚构）" and a3["degree"] == 3
    assert abs(a3["betweenness"] - 6 / 15) < 1e-6
    edge = graph.edges[f"org:{U['a1']}", f"org:{U['a2']}"]
    assert edge["kind"] == "collaborated_with" and edge["weight"] == 2
    assert "value" not in edge  # hidden from operators; GraphML has no null


async def test_json_validates_against_its_schema(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(app_client, callers.operator, "json(withFigures: true)")
    document = data["json"]
    jsonschema.validate(document, JSON_SCHEMA)
    ids = {n["data"]["id"] for n in document["elements"]["nodes"]}
    assert all(
        e["data"]["source"] in ids and e["data"]["target"] in ids
        for e in document["elements"]["edges"]
    )
    jsonschema.Draft202012Validator.check_schema(JSON_SCHEMA)


async def test_downloads_by_url_with_the_same_token(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(
        app_client,
        callers.operator,
        "g: downloadPath(format: GRAPHML) c: downloadPath(format: CSV, table: RECRUIT)",
        filter={"branch": "BIO"},
    )
    assert data["g"] == f"/network/network.graphml?parks={sample.A}&branch=BIO"
    auth = {"authorization": f"Bearer {callers.operator}"}
    graphml = await app_client.get(data["g"], headers=auth)
    assert graphml.status_code == 200
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    assert nx.parse_graphml(graphml.text).number_of_nodes() > 0
    recruit = await app_client.get(data["c"], headers=auth)
    rows = list(csv.DictReader(io.StringIO(recruit.text.lstrip("\ufeff"))))
    assert [r["capability"] for r in rows] == ["BIO.USP.PRF"]
    as_json = await app_client.get(f"/network/network.json?parks={sample.A}", headers=auth)
    jsonschema.validate(json.loads(as_json.text), JSON_SCHEMA)


async def test_downloads_keep_the_access_rules(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    auth = {"authorization": f"Bearer {callers.operator}"}
    other = await app_client.get(f"/network/coverage.csv?parks={sample.B}", headers=auth)
    assert other.status_code == 404 and other.json()["field"] == "scope.parks"
    anonymous = await app_client.get(f"/network/coverage.csv?parks={sample.A}")
    assert anonymous.status_code == 401
    unknown = await app_client.get("/network/prices.csv", headers=auth)
    assert unknown.status_code == 404 and unknown.json()["field"] == "filename"
    bad = await app_client.get("/network/coverage.csv?branch=NOPE", headers=auth)
    assert bad.status_code == 400 and bad.json()["field"] == "filter.branch"
