"""Reference data as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Region(StrEnum):
    BEIJING = "beijing"
    TIANJIN = "tianjin"
    HEBEI = "hebei"


@dataclass(frozen=True)
class Park:
    code: str
    name_zh: str
    name_en: str
    region: Region
    city_zh: str
    city_en: str
    district_zh: str
    district_en: str
    lat: float
    lon: float
    area_km2: float | None
    note_en: str


@dataclass(frozen=True)
class Unit:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Capability:
    """A taxonomy node. `unit` is the node's own or inherited capacity unit code."""

    code: str
    parent: str | None
    level: int
    name_zh: str
    name_en: str
    unit: str | None


@dataclass(frozen=True)
class Taxonomy:
    """The whole taxonomy of one moment, indexed for tree walks without more queries."""

    nodes: dict[str, Capability]
    units: dict[str, Unit]

    def children(self, code: str | None) -> list[Capability]:
        return [c for c in self.nodes.values() if c.parent == code]


@dataclass(frozen=True)
class Reference:
    """What validation checks codes against: the taxonomy and the parks."""

    taxonomy: Taxonomy
    parks: frozenset[str]
