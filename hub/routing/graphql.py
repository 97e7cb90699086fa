"""GraphQL for routing: requests, the matches routed to providers, and their answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from hub.api.context import Info
from hub.db.driver import Tx
from hub.graphql.inputs import raw
from hub.graphql.pagination import page_size
from hub.graphql.problems import Problems, attempt
from hub.graphql.selection import asked
from hub.identity.model import Principal
from hub.reference.graphql import CapabilityType
from hub.registry.enums import Authority, GmpGrade
from hub.routing import model, service
from hub.routing.matching import near_misses
from hub.routing.model import Constraint, Match, MatchStatus, Need, RequestStatus, VisibleRequest
from hub.routing.store import reads

strawberry.enum(RequestStatus, name="RequestStatus")
strawberry.enum(MatchStatus, name="MatchStatus")
strawberry.enum(Constraint, name="Constraint")


@strawberry.type
class ScorePart:
    name: str
    value: float
    weight: float
    detail: str = strawberry.field(description="detailZh or detailEn, by Accept-Language.")
    detail_zh: str
    detail_en: str

    @classmethod
    def of(cls, part: model.ScorePart, language: str) -> ScorePart:
        return cls(
            name=part.name,
            value=part.value,
            weight=part.weight,
            detail=part.detail_zh if language == "zh" else part.detail_en,
            detail_zh=part.detail_zh,
            detail_en=part.detail_en,
        )


@strawberry.type(
    description="The path that qualifies a match: capability → offering → "
    "site → certificates → capacity buckets."
)
class MatchEvidence:
    capability_code: str
    offering_id: str
    site_id: str
    park_code: str | None
    certificate_ids: list[str]
    bucket_ids: list[str]

    @classmethod
    def of(cls, evidence: model.Evidence) -> MatchEvidence:
        return cls(
            capability_code=evidence.capability,
            offering_id=evidence.offering_id,
            site_id=evidence.site_id,
            park_code=evidence.park,
            certificate_ids=list(evidence.certificate_ids),
            bucket_ids=list(evidence.bucket_ids),
        )


@strawberry.type
class Quote:
    price: float
    currency: str
    lead_time_days: int
    valid_until: datetime

    @classmethod
    def of(cls, quote: model.Quote | None) -> Quote | None:
        if quote is None:
            return None
        return cls(
            price=quote.price,
            currency=quote.currency,
            lead_time_days=quote.lead_time_days,
            valid_until=quote.valid_until,
        )


@strawberry.type(name="Match", description="A request routed to one provider's offering.")
class MatchType:
    id: strawberry.ID
    status: MatchStatus
    rank: int
    score: float
    score_parts: list[ScorePart]
    evidence: MatchEvidence
    offering_id: str
    provider_uscc: str
    deadline: datetime
    routed_at: datetime
    responded_at: datetime | None
    quote: Quote | None
    decline_reason: str | None

    @classmethod
    def of(cls, match: model.Match, language: str) -> MatchType:
        return cls(
            id=strawberry.ID(match.id),
            status=match.status,
            rank=match.rank,
            score=match.score,
            score_parts=[ScorePart.of(p, language) for p in match.score_parts],
            evidence=MatchEvidence.of(match.evidence),
            offering_id=match.offering_id,
            provider_uscc=match.provider,
            deadline=match.deadline,
            routed_at=match.routed_at,
            responded_at=match.responded_at,
            quote=Quote.of(match.quote),
            decline_reason=match.decline_reason,
        )


@strawberry.type
class NearMiss:
    offering_id: str
    provider_uscc: str
    constraint: Constraint
    message: str
    message_zh: str
    message_en: str


@strawberry.type(description="How a completed request went, as its requester recorded it.")
class RequestOutcome:
    on_time: bool
    rating: int = strawberry.field(description="1 to 5.")
    comment: str | None
    completed_at: datetime

    @classmethod
    def of(cls, outcome: model.Outcome | None) -> RequestOutcome | None:
        if outcome is None:
            return None
        return cls(
            on_time=outcome.on_time,
            rating=outcome.rating,
            comment=outcome.comment,
            completed_at=outcome.completed_at,
        )


@strawberry.type(name="Request", description="What a requester needs, and where it went.")
class RequestType:
    id: strawberry.ID
    title: str
    status: RequestStatus
    requester_uscc: str
    capability_code: str
    quantity: float
    unit: str
    earliest_start: date
    need_by: date
    gmp_grade: GmpGrade
    authorities: list[Authority]
    preferred_parks: list[str]
    max_distance_km: float | None
    modality: str | None
    currency: str
    confidential: bool
    created_at: datetime
    outcome: RequestOutcome | None = strawberry.field(
        description="Once completed: on time, rating, comment (whoever sees the request)."
    )
    budget_min: float | None = strawberry.field(description="The requester's members only.")
    budget_max: float | None = strawberry.field(description="The requester's members only.")
    own: strawberry.Private[bool]
    need: strawberry.Private[Need]

    @classmethod
    def of(cls, visible: VisibleRequest) -> RequestType:
        r, need = visible.request, visible.request.need
        return cls(
            id=strawberry.ID(r.id),
            title=r.title,
            status=r.status,
            requester_uscc=need.requester,
            capability_code=need.capability,
            quantity=need.quantity,
            unit=need.unit,
            earliest_start=need.earliest_start,
            need_by=need.need_by,
            gmp_grade=need.gmp_grade,
            authorities=list(need.authorities),
            preferred_parks=list(need.preferred_parks),
            max_distance_km=need.max_distance_km,
            modality=r.modality,
            currency=r.currency,
            confidential=r.confidential,
            created_at=r.created_at,
            outcome=RequestOutcome.of(r.outcome),
            budget_min=r.budget_min if visible.own else None,
            budget_max=r.budget_max if visible.own else None,
            own=visible.own,
            need=need,
        )

    @strawberry.field
    async def capability(self, info: Info) -> CapabilityType | None:
        node = (await info.context.taxonomy()).nodes.get(self.capability_code)
        return None if node is None else CapabilityType.of(node)

    @strawberry.field(description="All matches for the requester; a provider sees its own.")
    async def matches(self, info: Info) -> list[MatchType]:
        found = await info.context.routing.matches.load((str(self.id), self.own))
        return [MatchType.of(m, info.context.language) for m in found]

    @strawberry.field(
        description="Providers that fail exactly one hard constraint, and why "
        "(the requester's members only; empty for others)."
    )
    async def near_misses(self, info: Info) -> list[NearMiss]:
        if not self.own:
            return []
        language = info.context.language
        return [
            NearMiss(
                offering_id=a.offering_id,
                provider_uscc=a.uscc,
                constraint=a.failures[0].constraint,
                message=a.failures[0].message_zh if language == "zh" else a.failures[0].message_en,
                message_zh=a.failures[0].message_zh,
                message_en=a.failures[0].message_en,
            )
            for a in await info.context.db.read(near_misses, self.need, str(self.id))
        ]


async def _as_changed(info: Info, principal: Principal, request_id: str) -> RequestType:
    """The changed request as the caller sees it now, for a mutation's answer; with its
    matches in the same read when they are asked (then their loader has them)."""
    with_matches = asked(info).child("request", "matches") is not None

    async def read(tx: Tx) -> tuple[VisibleRequest, list[Match] | None]:
        visible = (await reads.requests(tx, principal, [request_id]))[request_id]
        if not with_matches:
            return visible, None
        key = (request_id, visible.own)
        return visible, (await reads.matches(tx, principal, [key]))[request_id]

    visible, matches = await info.context.db.read(read)
    if matches is not None:
        info.context.routing.matches.prime((request_id, visible.own), matches)
    return RequestType.of(visible)


@strawberry.type
class RoutingQuery:
    @strawberry.field(description="One request, if you are its requester or it was routed to you.")
    async def request(self, info: Info, id: strawberry.ID) -> RequestType | None:
        principal = info.context.require_principal()
        found = await info.context.db.read(reads.requests, principal, [str(id)])
        visible = found.get(str(id))
        return None if visible is None else RequestType.of(visible)

    @strawberry.field(description="Your organizations' requests, newest first.")
    async def my_requests(
        self,
        info: Info,
        status: RequestStatus | None = None,
        first: int = 20,
        skip: int = 0,
        requester: Annotated[
            str | None,
            strawberry.argument(description="Only this organization's (a USCC you act for)."),
        ] = None,
    ) -> list[RequestType]:
        principal = info.context.require_principal()
        found = await info.context.db.read(
            reads.my_requests,
            principal,
            None if status is None else status.value,
            max(0, skip),
            page_size(first),
            _uscc(requester),
        )
        return [RequestType.of(s) for s in found]

    @strawberry.field(description="Requests routed to your organizations, soonest deadline first.")
    async def inbox(
        self,
        info: Info,
        status: MatchStatus | None = MatchStatus.ROUTED,
        first: int = 20,
        provider: Annotated[
            str | None,
            strawberry.argument(
                description="Only those routed to this organization (a USCC you act for)."
            ),
        ] = None,
    ) -> list[RequestType]:
        principal = info.context.require_principal()
        found = await info.context.db.read(
            reads.inbox,
            principal,
            None if status is None else status.value,
            page_size(first),
            _uscc(provider),
        )
        return [RequestType.of(s) for s in found]


def _uscc(value: str | None) -> str | None:
    """A USCC filter as stored (upper case); one you do not act for finds nothing."""
    return None if value is None else value.strip().upper()


@strawberry.input
class RequestInput:
    requester: str = strawberry.field(description="The USCC of your organization.")
    title: str
    capability: str = strawberry.field(description="Any taxonomy level with a unit.")
    quantity: float = strawberry.field(description="Needed in every period of the window.")
    earliest_start: date
    need_by: date
    gmp_grade: GmpGrade
    unit: str | None = strawberry.field(
        default=None, description="If given, the capability's unit."
    )
    authorities: list[Authority] = strawberry.field(default_factory=list)
    preferred_parks: list[str] = strawberry.field(default_factory=list)
    max_distance_km: float | None = None
    lat: float | None = None
    lon: float | None = None
    modality: str | None = None
    budget_min: float | None = None
    budget_max: float | None = None
    currency: str | None = None
    confidential: bool = False


@strawberry.input
class QuoteInput:
    price: float
    currency: str = "CNY"
    lead_time_days: int
    valid_until: datetime


@strawberry.type
class RequestChanged:
    request: RequestType


@strawberry.type
class MatchAnswered:
    match_id: strawberry.ID
    status: MatchStatus


RequestResult = Annotated[RequestChanged | Problems, strawberry.union("RequestResult")]
AnswerResult = Annotated[MatchAnswered | Problems, strawberry.union("AnswerResult")]


def _quote(q: QuoteInput) -> model.Quote:
    """The quote as given: the service judges it (hub.routing.service `_check_quote`)."""
    return model.Quote(q.price, q.currency, q.lead_time_days, q.valid_until)


@strawberry.type
class RoutingMutation:
    @strawberry.mutation(description="Submit a request; route it with routeRequest.")
    async def submit_request(
        self, info: Info, input: RequestInput, idempotency_key: str | None = None
    ) -> RequestResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> RequestChanged:
            request_id = await service.submit(ctx.db, principal, raw(input), idempotency_key)
            return RequestChanged(request=await _as_changed(info, principal, request_id))

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="Route to the best candidates until k are live.")
    async def route_request(
        self,
        info: Info,
        id: strawberry.ID,
        k: int | None = None,
        idempotency_key: str | None = None,
    ) -> RequestResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> RequestChanged:
            await service.route(
                ctx.db, principal, str(id), k or ctx.settings.route_k, idempotency_key
            )
            return RequestChanged(request=await _as_changed(info, principal, str(id)))

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="Accept a routed request with a quote.")
    async def accept_match(
        self, info: Info, id: strawberry.ID, quote: QuoteInput, idempotency_key: str | None = None
    ) -> AnswerResult:
        return await _answer(info, str(id), quote, None, idempotency_key)

    @strawberry.mutation(description="Decline a routed request; the next candidate is routed.")
    async def decline_match(
        self, info: Info, id: strawberry.ID, reason: str, idempotency_key: str | None = None
    ) -> AnswerResult:
        return await _answer(info, str(id), None, reason, idempotency_key)

    @strawberry.mutation(description="Award a quoted match: its capacity is reserved.")
    async def award_match(
        self,
        info: Info,
        request_id: strawberry.ID,
        match_id: strawberry.ID,
        idempotency_key: str | None = None,
    ) -> RequestResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> RequestChanged:
            await service.award(ctx.db, principal, str(request_id), str(match_id), idempotency_key)
            return RequestChanged(request=await _as_changed(info, principal, str(request_id)))

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="Withdraw a request; any reservation is released.")
    async def cancel_request(self, info: Info, id: strawberry.ID) -> RequestResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> RequestChanged:
            await service.cancel(ctx.db, principal, str(id))
            return RequestChanged(request=await _as_changed(info, principal, str(id)))

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="Record the outcome of an awarded request.")
    async def complete_request(
        self, info: Info, id: strawberry.ID, on_time: bool, rating: int, comment: str | None = None
    ) -> RequestResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> RequestChanged:
            await service.complete(
                ctx.db,
                principal,
                str(id),
                on_time,
                rating,
                comment,
            )
            return RequestChanged(request=await _as_changed(info, principal, str(id)))

        return await attempt(ctx.language, change)


async def _answer(
    info: Info, match_id: str, quote: QuoteInput | None, reason: str | None, key: str | None
) -> MatchAnswered | Problems:
    ctx = info.context
    principal = ctx.require_principal()

    async def change() -> MatchAnswered:
        status = await service.respond(
            ctx.db,
            principal,
            match_id,
            None if quote is None else _quote(quote),
            reason,
            ctx.settings.route_k,
            key,
        )
        return MatchAnswered(match_id=strawberry.ID(match_id), status=MatchStatus(status))

    return await attempt(ctx.language, change)
