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
    UNIT = "unit"  # offered in another capacity unit: scale and capacity not comparable
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
    detail_en: str
    detail_zh: str


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


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"  # validated, not yet routed
    ROUTED = "routed"  # matches are out to providers
    UNFILLED = "unfilled"  # no candidate (left) can take it
    AWARDED = "awarded"  # capacity reserved with one provider
    COMPLETED = "completed"  # delivered; outcome recorded
    CANCELLED = "cancelled"  # withdrawn; any reservation released


class MatchStatus(StrEnum):
    ROUTED = "routed"  # waiting for the provider's answer until its deadline
    ACCEPTED = "accepted"  # the provider quoted
    DECLINED = "declined"
    EXPIRED = "expired"  # no answer by the deadline
    AWARDED = "awarded"
    CLOSED = "closed"  # the request went elsewhere or was cancelled


# Which status may follow which: anything else is refused, naming the current status.
REQUEST_NEXT: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.SUBMITTED: frozenset(
        {RequestStatus.ROUTED, RequestStatus.UNFILLED, RequestStatus.CANCELLED}
    ),
    RequestStatus.ROUTED: frozenset(
        {
            RequestStatus.ROUTED,
            RequestStatus.UNFILLED,
            RequestStatus.AWARDED,
            RequestStatus.CANCELLED,
        }
    ),
    RequestStatus.UNFILLED: frozenset({RequestStatus.ROUTED, RequestStatus.CANCELLED}),
    RequestStatus.AWARDED: frozenset({RequestStatus.COMPLETED, RequestStatus.CANCELLED}),
    RequestStatus.COMPLETED: frozenset(),
    RequestStatus.CANCELLED: frozenset(),
}
MATCH_NEXT: dict[MatchStatus, frozenset[MatchStatus]] = {
    MatchStatus.ROUTED: frozenset(
        {MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.EXPIRED, MatchStatus.CLOSED}
    ),
    MatchStatus.ACCEPTED: frozenset({MatchStatus.AWARDED, MatchStatus.CLOSED}),
    MatchStatus.DECLINED: frozenset(),
    MatchStatus.EXPIRED: frozenset(),
    MatchStatus.AWARDED: frozenset({MatchStatus.CLOSED}),
    MatchStatus.CLOSED: frozenset(),
}
