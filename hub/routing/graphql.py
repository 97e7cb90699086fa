"""GraphQL for routing: requests, the matches routed to providers, and their answers."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from hub.api.context import Info
from hub.db.driver import Tx, python_value
from hub.errors import invalid
from hub.graphql.inputs import raw
from hub.graphql.pagination import page_size
from hub.graphql.problems import Problems, attempt
from hub.graphql.selection import asked
from hub.identity.model import Principal
from hub.reference.graphql import CapabilityType
from hub.registry.enums import Authority, GmpGrade
from hub.routing import queries, rules, service
from hub.routing.matching import near_misses
from hub.routing.model import Constraint, MatchStatus, RequestStatus

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
    def of(cls, part: dict[str, Any], language: str) -> ScorePart:
        """A stored part; parts scored before details were bilingual hold English only."""
        detail_en = part.get("detail_en") or part.get("detail") or ""
        detail_zh = part.get("detail_zh") or detail_en
        return cls(
            name=part["name"],
            value=part["value"],
            weight=part["weight"],
            detail=detail_zh if language == "zh" else detail_en,
            detail_zh=detail_zh,
            detail_en=detail_en,
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


@strawberry.type
class Quote:
    price: float
    currency: str
    lead_time_days: int
    valid_until: datetime


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
    def of(cls, m: dict[str, Any], language: str) -> MatchType:
        evidence = json.loads(m["evidence"])
        quote = (
            None
            if m.get("quote_price") is None
            else Quote(
                price=m["quote_price"],
                currency=m["quote_currency"],
                lead_time_days=m["quote_lead_time_days"],
                valid_until=python_value(m["quote_valid_until"]),
            )
        )
        return cls(
            id=strawberry.ID(m["id"]),
            status=MatchStatus(m["status"]),
            rank=m["rank"],
            score=m["score"],
            score_parts=[ScorePart.of(p, language) for p in json.loads(m["score_parts"])],
            evidence=MatchEvidence(
                capability_code=evidence["capability"],
                offering_id=evidence["offering_id"],
                site_id=evidence["site_id"],
                park_code=evidence["park"],
                certificate_ids=evidence["certificate_ids"],
                bucket_ids=evidence["bucket_ids"],
            ),
            offering_id=m["offering_id"],
            provider_uscc=m["uscc"],
            deadline=python_value(m["deadline"]),
            routed_at=python_value(m["routed_at"]),
            responded_at=python_value(m.get("responded_at")),
            quote=quote,
            decline_reason=m.get("decline_reason"),
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
    def of(cls, r: dict[str, Any]) -> RequestOutcome | None:
        if r.get("completed_at") is None:
            return None
        return cls(
            on_time=r["on_time"],
            rating=r["rating"],
            comment=r.get("comment"),
            completed_at=python_value(r["completed_at"]),
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
    props: strawberry.Private[dict[str, Any]]

    @classmethod
    def of(cls, seen: queries.Seen) -> RequestType:
        r = seen.request
        return cls(
            id=strawberry.ID(r["id"]),
            title=r["title"],
            status=RequestStatus(r["status"]),
            requester_uscc=r["requester"],
            capability_code=r["capability"],
            quantity=r["quantity"],
            unit=r["unit"],
            earliest_start=python_value(r["earliest_start"]),
            need_by=python_value(r["need_by"]),
            gmp_grade=GmpGrade(r["gmp_grade"]),
            authorities=[Authority(a) for a in r.get("authorities") or ()],
            preferred_parks=list(r.get("preferred_parks") or ()),
            max_distance_km=r.get("max_distance_km"),
            modality=r.get("modality"),
            currency=r.get("currency", "CNY"),
            confidential=r.get("confidential", False),
            created_at=python_value(r["created_at"]),
            outcome=RequestOutcome.of(r),
            budget_min=r.get("budget_min") if seen.own else None,
            budget_max=r.get("budget_max") if seen.own else None,
            own=seen.own,
            props=r,
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
        need = rules.need_of(self.props)
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
            for a in await info.context.db.read(near_misses, need, str(self.id))
        ]


async def _seen(info: Info, principal: Principal, request_id: str) -> RequestType:
    """The changed request as the caller sees it now, for a mutation's answer; with its
    matches in the same read when they are asked (then their loader has them)."""
    with_matches = asked(info).child("request", "matches") is not None

    async def read(tx: Tx) -> tuple[queries.Seen, list[dict[str, Any]] | None]:
        seen = (await queries.requests(tx, principal, [request_id]))[request_id]
        if not with_matches:
            return seen, None
        return seen, (await queries.matches(tx, principal, [seen]))[request_id]

    seen, matches = await info.context.db.read(read)
    if matches is not None:
        info.context.routing.matches.prime((request_id, seen.own), matches)
    return RequestType.of(seen)


@strawberry.type
class RoutingQuery:
    @strawberry.field(description="One request, if you are its requester or it was routed to you.")
    async def request(self, info: Info, id: strawberry.ID) -> RequestType | None:
        principal = info.context.require_principal()
        found = await info.context.db.read(queries.requests, principal, [str(id)])
        seen = found.get(str(id))
        return None if seen is None else RequestType.of(seen)

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
            queries.my_requests,
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
            queries.inbox,
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


def _quote(q: QuoteInput) -> service.Quote:
    if q.price < 0:
        raise invalid("quote.price", "must not be negative", "不能为负数")
    if not 0 <= q.lead_time_days <= 3650:
        raise invalid("quote.leadTimeDays", "must be 0 to 3650 days", "须为 0 到 3650 天")
    return service.Quote(q.price, q.currency.upper()[:3], q.lead_time_days, q.valid_until)


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
            return RequestChanged(request=await _seen(info, principal, request_id))

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
            return RequestChanged(request=await _seen(info, principal, str(id)))

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
            return RequestChanged(request=await _seen(info, principal, str(request_id)))

        return await attempt(ctx.language, change)

    @strawberry.mutation(description="Withdraw a request; any reservation is released.")
    async def cancel_request(self, info: Info, id: strawberry.ID) -> RequestResult:
        ctx = info.context
        principal = ctx.require_principal()

        async def change() -> RequestChanged:
            await service.cancel(ctx.db, principal, str(id))
            return RequestChanged(request=await _seen(info, principal, str(id)))

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
            return RequestChanged(request=await _seen(info, principal, str(id)))

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
