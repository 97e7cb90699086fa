"""Exports of a park network: GraphML (Gephi, Cytoscape desktop, networkx), JSON in the
Cytoscape.js elements shape (nodes and edges, each `{"data": {...}}`; Cytoscape desktop
imports it), and CSV of every table (UTF-8 with a BOM, so Excel shows Chinese right).

GraphML drops absent values (GraphML has no null); organization nodes carry their
figures (degree, betweenness, community) when these are given. The GraphML graph is
undirected (`edgedefault="undirected"`), as the hub's figures are computed: Gephi,
igraph and networkx then find the same degrees and betweenness; an edge's `kind` says
what it is, and `offers` and `located_in` edges are written organization first.

Every text value goes through hub.network.exported_text (valid XML characters; CSV cells
that would be formulas neutralised), so an export is valid and inert whatever is stored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

import networkx as nx

from hub.network.exported_text import csv_cell, exported, exported_all
from hub.network.model import Edge, Figures, Network, Node, NodeKind, UtilisationRow

JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Park network (Cytoscape.js elements)",
    "type": "object",
    "required": ["data", "elements"],
    "properties": {
        "data": {
            "type": "object",
            "required": ["parks", "engagements"],
            "properties": {
                "parks": {"type": "array", "items": {"type": "string"}},
                "branch": {"type": ["string", "null"]},
                "engagements": {"type": "integer", "minimum": 0},
            },
        },
        "elements": {
            "type": "object",
            "required": ["nodes", "edges"],
            "properties": {
                "nodes": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                "edges": {"type": "array", "items": {"$ref": "#/$defs/edge"}},
            },
        },
    },
    "$defs": {
        "node": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "object",
                    "required": ["id", "kind", "key", "label_zh", "label_en", "size"],
                    "properties": {
                        "id": {"type": "string", "minLength": 1},
                        "kind": {"enum": ["organization", "capability", "park"]},
                        "key": {"type": "string"},
                        "label_zh": {"type": "string"},
                        "label_en": {"type": "string"},
                        "size": {"type": "number", "minimum": 0},
                        "group": {"type": "string"},
                        "external": {"type": "boolean"},
                    },
                }
            },
        },
        "edge": {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {
                    "type": "object",
                    "required": ["id", "kind", "source", "target", "weight", "count"],
                    "properties": {
                        "id": {"type": "string", "minLength": 1},
                        "kind": {"enum": ["offers", "located_in", "collaborated_with"]},
                        "source": {"type": "string"},
                        "target": {"type": "string"},
                        "weight": {"type": "number", "minimum": 0},
                        "count": {"type": "integer", "minimum": 0},
                        "value": {"type": ["number", "null"]},
                    },
                }
            },
        },
    },
}


def _plain(value: Any) -> Any:
    """A value as an export writes it: enums by value, lists joined by `;`, text safe."""
    if isinstance(value, Enum):
        return exported(str(value.value))
    if isinstance(value, tuple | list):
        return ";".join(str(_plain(v)) for v in value)
    if isinstance(value, str):
        return exported(value)
    return value


def _node_data(node: Node, figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data = {k: _plain(v) for k, v in _fields(node).items()}
    data.update(figures.get(node.key, {}) if node.kind.value == "organization" else {})
    return data


def _figures_by_uscc(figures: Figures | None) -> dict[str, dict[str, Any]]:
    if figures is None:
        return {}
    return {
        f.uscc: {
            "degree": f.degree,
            "weighted_degree": f.weighted_degree,
            "degree_centrality": f.degree_centrality,
            "betweenness": f.betweenness,
            "community": f.community,
        }
        for f in figures.nodes or ()
    }


def _node_json(n: Node, text: Iterator[str], figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data = {
        "id": next(text),
        "kind": n.kind.value,
        "key": next(text),
        "label_zh": next(text),
        "label_en": next(text),
        "size": n.size,
        "group": next(text),
        "external": n.external,
        "org_kind": None if n.org_kind is None else next(text),
    }
    if n.kind is NodeKind.ORGANIZATION:
        data.update(figures.get(n.key, {}))
    return data


def _edge_json(e: Edge, text: Iterator[str]) -> dict[str, Any]:
    return {
        "id": next(text),
        "kind": e.kind.value,
        "source": next(text),
        "target": next(text),
        "weight": e.weight,
        "count": e.count,
        "value": e.value,
    }


def to_json(network: Network, figures: Figures | None = None) -> dict[str, Any]:
    """The same values as every export (`_plain`), written field by field: a large park
    has some 15,000 nodes and edges, and this is on the park page's path."""
    by_uscc = _figures_by_uscc(figures)
    texts = [
        t
        for n in network.nodes
        for t in (n.id, n.key, n.label_zh, n.label_en, n.group, n.org_kind)
        if t is not None
    ]
    texts += [t for e in network.edges for t in (e.id, e.source, e.target)]
    text = iter(exported_all(texts))
    return {
        "data": {
            "parks": [_plain(p) for p in network.scope.parks],
            "branch": _plain(network.scope.branch),
            "engagements": network.engagements,
            "total_value": network.total_value,
        },
        "elements": {
            "nodes": [{"data": _node_json(n, text, by_uscc)} for n in network.nodes],
            "edges": [{"data": _edge_json(e, text)} for e in network.edges],
        },
    }


def to_graphml(network: Network, figures: Figures | None = None) -> str:
    by_uscc = _figures_by_uscc(figures)
    name = _plain("park network " + ",".join(network.scope.parks))
    drawn: nx.Graph[str] = nx.Graph(name=name)
    for node in network.nodes:
        data = _node_data(node, by_uscc)
        data["label"] = data["label_zh"]
        node_id = data.pop("id")
        drawn.add_node(node_id, **{k: v for k, v in data.items() if v is not None})
    for edge in network.edges:
        data = {k: _plain(v) for k, v in _fields(edge).items()}
        source, target = data.pop("source"), data.pop("target")
        drawn.add_edge(source, target, **{k: v for k, v in data.items() if v is not None})
    return "\n".join(nx.generate_graphml(drawn, encoding="utf-8", prettyprint=True)) + "\n"


def _fields(item: Any) -> dict[str, Any]:
    """A dataclass's fields, shallow (asdict deep-copies every value: slow on big parks)."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


def _row(item: Any) -> dict[str, Any]:
    assert is_dataclass(item) and not isinstance(item, type)
    row = {k: _plain(v) for k, v in _fields(item).items()}
    if isinstance(item, UtilisationRow):
        row.update(utilisation=item.utilisation, sharing_rate=item.sharing_rate)
    return {k: csv_cell(v) if isinstance(v, str) else v for k, v in row.items()}


def to_csv(kind: type[Any], items: Sequence[Any]) -> str:
    """One table as CSV text with a UTF-8 BOM; the header is the dataclass's fields. Text
    cells are quoted (and neutralised, see hub.network.exported_text), numbers are not."""
    rows = [_row(i) for i in items]
    header = [f.name for f in fields(kind)]
    if kind is UtilisationRow:
        header += ["utilisation", "sharing_rate"]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(
        out,
        fieldnames=header,
        extrasaction="ignore",
        lineterminator="\r\n",
        quoting=csv.QUOTE_NONNUMERIC,
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)
