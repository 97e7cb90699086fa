"""What a requester asks for, and what matching finds: candidates and near-misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from hub.registry.model import Authority, GmpGrade


@dataclass(frozen=True)
class Need:
    """The hard and soft constraints of one request (the part matching reads)."""

    requester: str  # USCC: never matched to itself
    capability: str
    quantity: float  # per period, in the capability's unit
    unit: str
    earliest_start: date
    need_by: date
    gmp_grade: GmpGrade
    authorities: tuple[Authority, ...] = ()
    preferred_parks: tuple[str, ...] = ()
    max_distance_km: float | None = None
    origin: tuple[float, float] | None = None  # lat, lon the distance is measured from


class Constraint(StrEnum):
    SCALE = "scale"
    GMP_GRADE = "gmp_grade"
    CERTIFICATE = "certificate"
    CAPACITY = "capacity"
    DISTANCE = "distance"


@dataclass(frozen=True)
class Failure:
    """One hard constraint an offering fails, with the value that failed, in zh and en."""

    constraint: Constraint
    message_en: str
    message_zh: str


@dataclass(frozen=True)
class Evidence:
    """The graph path that qualifies an offering: capability → offering → site →
    certificates → capacity buckets."""

    capability: str
    offering_id: str
    site_id: str
    park: str | None
    certificate_ids: tuple[str, ...]
    bucket_ids: tuple[str, ...]


@dataclass(frozen=True)
class ScorePart:
    name: str
    value: float  # 0..1
    weight: float
    detail: str


@dataclass(frozen=True)
class Assessment:
    """An offering as matching saw it: qualified (no failures), a near-miss (one) or out."""

    uscc: str
    offering_id: str
    evidence: Evidence
    failures: tuple[Failure, ...]
    min_free: float | None
    distance_km: float | None
    score: tuple[ScorePart, ...] = field(default=())

    @property
    def total(self) -> float:
        return round(sum(p.value * p.weight for p in self.score), 4)
