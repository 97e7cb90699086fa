"""What a requester asks for, what matching finds (candidates and near-misses), and the
requests and matches routing keeps: their statuses, quotes and outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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


@dataclass(frozen=True)
class Quote:
    """A provider's price for the request, and how long it holds."""

    price: float
    currency: str
    lead_time_days: int
    valid_until: datetime


@dataclass(frozen=True)
class Outcome:
    """How a completed request went, as its requester recorded it."""

    on_time: bool
    rating: int  # 1 to 5
    comment: str | None
    completed_at: datetime


@dataclass(frozen=True)
class Request:
    """A request as stored: the need matching reads, and what else the requester gave."""

    id: str
    status: RequestStatus
    need: Need
    title: str
    created_at: datetime
    modality: str | None = None
    budget_min: float | None = None
    budget_max: float | None = None
    currency: str = "CNY"
    confidential: bool = False
    provider: str | None = None  # USCC, once awarded
    outcome: Outcome | None = None  # once completed

    @property
    def requester(self) -> str:
        return self.need.requester


@dataclass(frozen=True)
class Match:
    """A request routed to one provider's offering, and the provider's answer."""

    id: str
    status: MatchStatus
    provider: str  # USCC (`uscc` in the graph)
    offering_id: str
    rank: int
    score: float
    score_parts: tuple[ScorePart, ...]
    evidence: Evidence
    routed_at: datetime
    deadline: datetime
    responded_at: datetime | None = None
    quote: Quote | None = None  # once accepted
    decline_reason: str | None = None


@dataclass(frozen=True)
class VisibleRequest:
    """A request the caller may see, and whether it is the caller's own: `own` when the
    caller is a member of its requester (or an admin), which shows the budget and every
    match."""

    request: Request
    own: bool


# A status change reads less than a read shows: the states below are what it holds under
# its lock, so a cancel never depends on the fields only the API shows.
@dataclass(frozen=True)
class RequestState:
    """A request as a status change sees it."""

    id: str
    status: RequestStatus
    requester: str  # USCC
    provider: str | None = None  # USCC, once awarded


@dataclass(frozen=True)
class MatchState:
    """A match as a status change sees it."""

    id: str
    status: MatchStatus
    provider: str  # USCC
    offering_id: str | None  # set on every match routing makes; hand-written rows may lack it
    past_deadline: bool  # by the database's clock, when it was locked
