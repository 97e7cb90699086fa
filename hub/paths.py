"""Where the hub's Cypher and reference data live: `graph/` beside the package."""

from pathlib import Path

GRAPH_DIR = Path(__file__).resolve().parent.parent / "graph"
MIGRATIONS_DIR = GRAPH_DIR / "migrations"
REFERENCE_DIR = GRAPH_DIR / "reference"
