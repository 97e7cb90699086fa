"""Exports of a park network: GraphML (Gephi, Cytoscape desktop, networkx), JSON in the
Cytoscape.js elements shape (nodes and edges, each `{"data": {...}}`; Cytoscape desktop
imports it), and CSV of every table (UTF-8 with a BOM, so Excel shows Chinese right).

GraphML drops absent values (GraphML has no null); organization nodes carry their
figures (degree, betweenness, community) when these are given.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, fields, is_dataclass
from enum import Enum
from typing import Any

import networkx as nx

from hub.network.model import Figures, Network, Node, UtilisationRow

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
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return ";".join(str(_plain(v)) for v in value)
    return value


def _node_data(node: Node, figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    data = {k: _plain(v) for k, v in asdict(node).items()}
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
        for f in figures.nodes
    }


def to_json(network: Network, figures: Figures | None = None) -> dict[str, Any]:
    by_uscc = _figures_by_uscc(figures)
    return {
        "data": {
            "parks": list(network.scope.parks),
            "branch": network.scope.branch,
            "engagements": network.engagements,
            "total_value": network.total_value,
        },
        "elements": {
            "nodes": [{"data": _node_data(n, by_uscc)} for n in network.nodes],
            "edges": [
                {"data": {k: _plain(v) for k, v in asdict(e).items()}} for e in network.edges
            ],
        },
    }


def to_graphml(network: Network, figures: Figures | None = None) -> str:
    by_uscc = _figures_by_uscc(figures)
    drawn: nx.DiGraph[str] = nx.DiGraph(name="park network " + ",".join(network.scope.parks))
    for node in network.nodes:
        data = _node_data(node, by_uscc)
        data["label"] = node.label_zh
        drawn.add_node(node.id, **{k: v for k, v in data.items() if v is not None and k != "id"})
    for edge in network.edges:
        data = {k: _plain(v) for k, v in asdict(edge).items()}
        attributes = {
            k: v for k, v in data.items() if v is not None and k not in ("source", "target")
        }
        drawn.add_edge(edge.source, edge.target, **attributes)
    return "\n".join(nx.generate_graphml(drawn, encoding="utf-8", prettyprint=True)) + "\n"


def _row(item: Any) -> dict[str, Any]:
    assert is_dataclass(item) and not isinstance(item, type)
    row = {k: _plain(v) for k, v in asdict(item).items()}
    if isinstance(item, UtilisationRow):
        row.update(utilisation=item.utilisation, sharing_rate=item.sharing_rate)
    return row


def to_csv(kind: type[Any], items: Sequence[Any]) -> str:
    """One table as CSV text with a UTF-8 BOM; the header is the dataclass's fields."""
    rows = [_row(i) for i in items]
    header = [f.name for f in fields(kind)]
    if kind is UtilisationRow:
        header += ["utilisation", "sharing_rate"]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)
