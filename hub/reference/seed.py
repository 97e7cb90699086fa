"""Loading the reference CSV files of `graph/reference/` into the graph, idempotently."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from hub.db.driver import Database
from hub.errors import InvalidInput
from hub.paths import REFERENCE_DIR
from hub.reference import store
from hub.reference.model import Region


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _bad(path: Path, line: int, field: str, problem: str) -> InvalidInput:
    return InvalidInput(
        f"{path.name} line {line}: {field} {problem}",
        f"{path.name} 第 {line} 行：{field} {problem}",
        field=field,
    )


def _park_row(path: Path, line: int, row: dict[str, str]) -> dict[str, Any]:
    if row["region"] not in {r.value for r in Region}:
        raise _bad(path, line, "region", f"must be one of {', '.join(Region)}")
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
        area = float(row["area_km2"]) if row["area_km2"] else None
    except ValueError:
        raise _bad(path, line, "lat/lon/area_km2", "must be numbers") from None
    return {**row, "lat": lat, "lon": lon, "area_km2": area}


def park_rows(path: Path) -> list[dict[str, Any]]:
    return [_park_row(path, n, row) for n, row in enumerate(_rows(path), start=2)]


def capability_rows(path: Path, units: set[str]) -> list[dict[str, Any]]:
    """Taxonomy rows, checked: unique codes, parents listed before children, known units."""
    seen: dict[str, int] = {}
    rows = []
    for line, row in enumerate(_rows(path), start=2):
        level, parent = int(row["level"]), row["parent"] or None
        if row["code"] in seen:
            raise _bad(path, line, "code", f"{row['code']} repeats line {seen[row['code']]}")
        if parent is not None and parent not in seen:
            raise _bad(path, line, "parent", f"{parent} is not listed above this row")
        if row["unit"] and row["unit"] not in units:
            raise _bad(path, line, "unit", f"{row['unit']} is not in units.csv")
        seen[row["code"]] = line
        rows.append({**row, "level": level, "parent": parent, "unit": row["unit"] or None})
    return rows


async def load_reference(db: Database, directory: Path = REFERENCE_DIR) -> dict[str, int]:
    """Parks, units and taxonomy; running it again changes nothing. Returns row counts."""
    parks = park_rows(directory / "parks.csv")
    units = _rows(directory / "units.csv")
    capabilities = capability_rows(directory / "taxonomy.csv", {u["code"] for u in units})
    await db.write(store.load_parks, parks)
    await db.write(store.load_units, units)
    await db.write(store.load_capabilities, capabilities)
    return {"parks": len(parks), "units": len(units), "capabilities": len(capabilities)}
