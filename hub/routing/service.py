"""Routing use cases: submit, route (and cascade), respond, award, cancel, complete.

Each runs in one managed transaction that first locks the request; capacity is reserved
only after its buckets are locked in id order and re-checked, so no bucket is ever
overbooked, whatever the concurrency.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.db.driver import Database, Tx
from hub.errors import Conflict, InvalidInput, NotFound, invalid
from hub.events.outbox import Event, record
from hub.idempotency import idempotent
from hub.identity.model import Principal
from hub.reference.store import reference
from hub.registry.standing import require_verified
from hub.routing import rules
from hub.routing.matching import candidates, check
from hub.routing.model import (
    MATCH_NEXT,
    REQUEST_NEXT,
    Assessment,
    Constraint,
    Failure,
    MatchState,
    MatchStatus,
    Need,
    Quote,
    Request,
    RequestState,
    RequestStatus,
)
from hub.routing.store import writes
from hub.time import day_window
from hub.values import Raw, plain

DEFAULT_K = 3
RESPOND_WITHIN_H = 48
SWEEPER = "system:sweeper"


MAX_PRICE = 1e11  # a hundred billion: any real batch or campaign is far below
MAX_LEAD_TIME_DAYS = 3650
MAX_REASON = 500
MAX_COMMENT = 2000


def _checked_quote(quote: Quote) -> Quote:
    """The quote, its currency in capitals, if every field is valid."""
    if quote.price < 0:
        raise invalid("quote.price", "must not be negative", "不能为负数")
    if not 0 < quote.price <= MAX_PRICE:
        raise invalid(
            "quote.price",
            f"must be above 0 and at most {MAX_PRICE:.0e}",
            "须大于 0 且不超过 1000 亿",
        )
    if not 0 <= quote.lead_time_days <= MAX_LEAD_TIME_DAYS:
        raise invalid("quote.lead_time_days", "must be 0 to 3650 days", "须为 0 到 3650 天")
    if quote.valid_until <= datetime.now(UTC):
        raise invalid("quote.valid_until", "must be in the future", "须晚于现在")
    return replace(quote, currency=rules.currency("quote.currency", quote.currency))


def _check_text(field: str, text: str | None, most: int, *, required: bool) -> None:
    if required and not (text or "").strip():
        raise invalid(field, "is required", "不能为空")
    if text is not None and len(text) > most:
        raise invalid(field, f"is longer than {most} characters", f"超过 {most} 个字符")
    if text is not None:
        plain(field, text, multiline=True)  # free text: control characters refused


def _missing(what: str, key: str, field: str) -> NotFound:
    return NotFound(f"{field}: no {what} {key}", f"{field}：不存在 {key}", field=field)


def _request_may_become(current: RequestStatus, wanted: RequestStatus) -> None:
    if wanted not in REQUEST_NEXT[current]:
        raise Conflict(
            f"status: the request is {current.value}; it cannot become {wanted.value}",
            f"status：需求当前为 {current.value}，不能变为 {wanted.value}",
            field="status",
        )


def _match_may_become(current: MatchStatus, wanted: MatchStatus) -> None:
    if wanted not in MATCH_NEXT[current]:
        raise Conflict(
            f"status: the match is {current.value}; it cannot become {wanted.value}",
            f"status：匹配当前为 {current.value}，不能变为 {wanted.value}",
            field="status",
        )


async def submit(db: Database, principal: Principal, raw: Raw, key: str | None = None) -> str:
    """A validated request of an organization the caller is a member of; returns its id."""

    async def create(tx: Tx) -> str:
        need = rules.need(raw, await reference(tx))
        if not principal.may_act_for(need.requester):
            raise _missing("organization you may act for", need.requester, "requester")
        await require_verified(tx, need.requester, "requester")
        props = {**rules.need_props(need), **rules.details(raw)}
        request_id = await writes.create_request(tx, need.requester, need.capability, props)
        await record(tx, [Event(need.requester, "request.submitted", request_id)])
        after = {"status": RequestStatus.SUBMITTED.value, **props}
        await audit(
            tx, Actor.serving(principal.handle), [_change(request_id, "submit", None, after)]
        )
        return request_id

    async def work(tx: Tx) -> str:
        return await idempotent(tx, principal.id, key, "submit", raw, lambda: create(tx))

    return await db.write(work)


def _change(
    request_id: str, action: str, before: dict[str, Any] | None, after: dict[str, Any]
) -> Change:
    return Change("Request", request_id, action, before, after)


async def _route(tx: Tx, actor: Actor, request: Request, matches: list[MatchState], k: int) -> None:
    """Route to the best candidates until k matches are live (the cascade)."""
    live = [m for m in matches if m.status in (MatchStatus.ROUTED, MatchStatus.ACCEPTED)]
    # A provider hears of a request once: those routed before are left out.
    chosen = await candidates(
        tx, request.need, {m.provider for m in matches}, max(0, k - len(live))
    )
    status = RequestStatus.ROUTED if live or chosen else RequestStatus.UNFILLED
    changed = status is not request.status or status is RequestStatus.ROUTED
    if changed:
        _request_may_become(request.status, status)
    if chosen or changed:
        new_status = status.value if changed else None
        first_rank = len(matches) + 1
        await writes.route_to(tx, request.id, chosen, first_rank, new_status, RESPOND_WITHIN_H)
    await _record_route(tx, actor, request, chosen, status)


async def _record_route(
    tx: Tx, actor: Actor, request: Request, chosen: list[Assessment], status: RequestStatus
) -> None:
    """Tell each chosen provider; log the route and tell the requester when anything moved."""
    told = [
        Event(a.uscc, "match.routed", request.id, data={"offering": a.offering_id}) for a in chosen
    ]
    if chosen or status is not request.status:
        routed_to = [{"uscc": a.uscc, "offering": a.offering_id} for a in chosen]
        after = {"status": status.value, "routed_to": routed_to}
        before = {"status": request.status.value}
        await audit(tx, actor, [_change(request.id, "route", before, after)])
        data = {"routed_to": [a.uscc for a in chosen]}
        told.append(Event(request.requester, f"request.{status.value}", request.id, data=data))
    await record(tx, told)


async def _locked_request(
    tx: Tx, principal: Principal, request_id: str, field: str = "id"
) -> tuple[Request, list[MatchState]]:
    """The request (its need included) and its matches, locked, if the caller may act for
    its requester."""
    locked = await writes.lock_request(tx, request_id)
    if locked is None or not principal.may_act_for(locked[0].requester):
        raise _missing("request", request_id, field)
    return locked


async def _locked_state(
    tx: Tx, principal: Principal | None, request_id: str
) -> tuple[RequestState, list[MatchState]]:
    """The request's state and its matches', locked, if the caller (None: the sweeper, who
    acts for everyone) may act for its requester."""
    locked = await writes.lock_request_state(tx, request_id)
    if locked is None or (principal is not None and not principal.may_act_for(locked[0].requester)):
        raise _missing("request", request_id, "id")
    return locked


async def route(
    db: Database,
    principal: Principal,
    request_id: str,
    k: int = DEFAULT_K,
    key: str | None = None,
) -> None:
    """Route to the best candidates until k matches are live."""
    if not 1 <= k <= 20:
        raise InvalidInput("k: must be between 1 and 20", "k：必须在 1 到 20 之间", field="k")

    async def run(tx: Tx) -> None:
        request, matches = await _locked_request(tx, principal, request_id)
        _request_may_become(request.status, RequestStatus.ROUTED)
        await _route(tx, Actor.serving(principal.handle), request, matches, k)

    async def work(tx: Tx) -> None:
        await idempotent(tx, principal.id, key, "route", [request_id, k], lambda: run(tx))

    await db.write(work)


async def respond(
    db: Database,
    principal: Principal,
    match_id: str,
    quote: Quote | None,
    decline_reason: str | None = None,
    k: int = DEFAULT_K,
    key: str | None = None,
) -> str:
    """The provider accepts with a quote or declines with a reason; a decline cascades."""
    quote = None if quote is None else _checked_quote(quote)
    wanted = _checked_answer(quote, decline_reason)

    async def run(tx: Tx) -> str:
        match, request = await _locked_match(tx, principal, match_id)
        _may_answer(match, wanted)
        answer = _answer(wanted, quote, decline_reason)
        await writes.respond(tx, match_id, answer)
        actor = Actor.serving(principal.handle)
        await _record_answer(tx, actor, match, request, answer)
        if wanted is MatchStatus.DECLINED:
            await _route_on(tx, actor, request, k)
        return wanted.value

    async def work(tx: Tx) -> str:
        payload = [match_id, None if quote is None else quote.__dict__, decline_reason]
        return await idempotent(tx, principal.id, key, "respond", payload, lambda: run(tx))

    return await db.write(work)


def _checked_answer(quote: Quote | None, decline_reason: str | None) -> MatchStatus:
    """What the answer makes of the match: accepted with a (checked) quote, or declined
    with a valid reason."""
    if quote is None:
        _check_text("reason", decline_reason, MAX_REASON, required=True)
        return MatchStatus.DECLINED
    return MatchStatus.ACCEPTED


async def _locked_match(
    tx: Tx, principal: Principal, match_id: str
) -> tuple[MatchState, RequestState]:
    """The match (and its request, both locked) if the caller may answer for its provider."""
    locked = await writes.lock_match(tx, match_id)
    if locked is None or not principal.may_act_for(locked[0].provider):
        raise _missing("match", match_id, "id")
    return locked


def _may_answer(match: MatchState, wanted: MatchStatus) -> None:
    if match.status is MatchStatus.ROUTED and match.past_deadline:
        raise Conflict(
            "status: the deadline to answer has passed", "status：答复期限已过", field="status"
        )
    _match_may_become(match.status, wanted)


def _answer(wanted: MatchStatus, quote: Quote | None, decline_reason: str | None) -> dict[str, Any]:
    """The answer as Match properties (and as the audit's `after`)."""
    answer: dict[str, Any] = {"status": wanted.value, "decline_reason": decline_reason}
    if quote is not None:
        answer.update(
            quote_price=quote.price,
            quote_currency=quote.currency,
            quote_lead_time_days=quote.lead_time_days,
            quote_valid_until=quote.valid_until,
        )
    return answer


async def _record_answer(
    tx: Tx, actor: Actor, match: MatchState, request: RequestState, answer: dict[str, Any]
) -> None:
    """Log the answer and tell the requester."""
    status = answer["status"]
    before = {"status": match.status.value}
    await audit(tx, actor, [Change("Match", match.id, status, before, answer)])
    told = Event(
        request.requester, f"match.{status}", request.id, match.id, {"provider": match.provider}
    )
    await record(tx, [told])


async def _route_on(tx: Tx, actor: Actor, request: RequestState, k: int) -> None:
    """A routed request that lost a match (declined, expired) is routed on: the cascade."""
    if request.status is RequestStatus.ROUTED:
        locked = await writes.lock_request(tx, request.id)
        assert locked is not None  # locked before in this transaction: it cannot be gone
        await _route(tx, actor, *locked, k)


async def award(
    db: Database, principal: Principal, request_id: str, match_id: str, key: str | None = None
) -> None:
    """Reserve the capacity over the window with the accepted provider; close the rest."""

    async def run(tx: Tx) -> None:
        request, matches = await _locked_request(tx, principal, request_id, "requestId")
        match, offering_id = _awardable(request, matches, match_id)
        need = request.need
        buckets = await _locked_capacity(tx, need, offering_id)
        await writes.reserve(tx, request_id, match_id, offering_id, buckets, need.quantity)
        change = _award_change(request, match, need.quantity, buckets)
        await audit(tx, Actor.serving(principal.handle), [change])
        await record(tx, _award_events(request, matches, match))

    async def work(tx: Tx) -> None:
        await idempotent(tx, principal.id, key, "award", [request_id, match_id], lambda: run(tx))

    await db.write(work)


def _awardable(
    request: Request, matches: list[MatchState], match_id: str
) -> tuple[MatchState, str]:
    """The request's match to award and its offering, if the request and the match may
    both be awarded."""
    _request_may_become(request.status, RequestStatus.AWARDED)
    match = next((m for m in matches if m.id == match_id), None)
    if match is None or match.offering_id is None:
        raise _missing("match", match_id, "matchId")
    _match_may_become(match.status, MatchStatus.AWARDED)
    return match, match.offering_id


async def _locked_capacity(tx: Tx, need: Need, offering_id: str) -> list[str]:
    """Lock the offering's buckets over the window (in id order), then check the fit again:
    after the locks it sees what concurrent awards committed. Returns the bucket ids."""
    start, end = day_window(need.earliest_start, need.need_by)
    buckets = await writes.lock_buckets(tx, offering_id, start, end)
    _check_fit(await check(tx, need, offering_id))
    return buckets


def _award_change(
    request: Request, match: MatchState, quantity: float, bucket_ids: list[str]
) -> Change:
    after = {
        "status": RequestStatus.AWARDED.value,
        "match": match.id,
        "provider": match.provider,
        "reserved_per_period": quantity,
        "buckets": bucket_ids,
    }
    return _change(request.id, "award", {"status": request.status.value}, after)


def _award_events(request: Request, matches: list[MatchState], match: MatchState) -> list[Event]:
    """The requester hears of the award; the providers of the request's live matches too."""
    won = Event(
        request.requester, "request.awarded", request.id, match.id, {"provider": match.provider}
    )
    return [won, *_closing(request.id, matches, awarded=match.id)]


def _closing(
    request_id: str,
    matches: list[MatchState],
    awarded: str | None = None,
) -> list[Event]:
    """What providers hear when a request closes: the winner that it won, others closed."""
    return [
        Event(
            m.provider,
            "match.awarded" if m.id == awarded else "match.closed",
            request_id,
            m.id,
        )
        for m in matches
        if m.status in (MatchStatus.ROUTED, MatchStatus.ACCEPTED, MatchStatus.AWARDED)
    ]


def _check_fit(failures: list[Failure] | None) -> None:
    """After the bucket locks, by the one definition of fit (hub.fit.rules): the offering
    still fits the request, above all every period still has the quantity free."""
    if failures is None:
        raise Conflict(
            "offering: the provider no longer offers this beneath the requested capability",
            "offering：服务方已不再提供该服务",
            field="offering",
        )
    if any(f.constraint is Constraint.CAPACITY for f in failures):
        raise Conflict(
            "capacity: the provider no longer has the quantity free in every period of the window",
            "capacity：服务方在时间窗口内已无足够空余产能",
            field="capacity",
        )
    if failures:
        first = failures[0]
        raise Conflict(
            f"{first.constraint.value}: {first.message_en}",
            f"{first.constraint.value}：{first.message_zh}",
            field=first.constraint.value,
        )


async def cancel(db: Database, principal: Principal, request_id: str) -> None:
    """Withdraw a request: matches close, any reservation is released."""

    async def work(tx: Tx) -> None:
        request, matches = await _locked_state(tx, principal, request_id)
        _request_may_become(request.status, RequestStatus.CANCELLED)
        await writes.release(tx, request_id)
        await writes.set_request_status(tx, request_id, RequestStatus.CANCELLED.value)
        after = {"status": RequestStatus.CANCELLED.value}
        change = _change(request_id, "cancel", {"status": request.status.value}, after)
        await audit(tx, Actor.serving(principal.handle), [change])
        await record(
            tx,
            [
                Event(request.requester, "request.cancelled", request_id),
                *_closing(request_id, matches),
            ],
        )

    await db.write(work)


async def complete(
    db: Database,
    principal: Principal,
    request_id: str,
    on_time: bool,
    rating: int,
    comment: str | None = None,
) -> None:
    """Record the outcome of an awarded request; it feeds the provider's track record."""
    if not 1 <= rating <= 5:
        raise InvalidInput("rating: must be 1 to 5", "rating：须为 1 到 5", field="rating")
    _check_text("comment", comment, MAX_COMMENT, required=False)

    async def work(tx: Tx) -> None:
        request, _ = await _locked_state(tx, principal, request_id)
        _request_may_become(request.status, RequestStatus.COMPLETED)
        outcome = {"on_time": on_time, "rating": rating, "comment": comment}
        await writes.complete(tx, request_id, outcome)
        after = {"status": RequestStatus.COMPLETED.value, **outcome}
        change = _change(request_id, "complete", {"status": request.status.value}, after)
        await audit(tx, Actor.serving(principal.handle), [change])
        await record(tx, _completed_events(request, on_time, rating))

    await db.write(work)


def _completed_events(request: RequestState, on_time: bool, rating: int) -> list[Event]:
    """Both sides hear how it went: the requester and the awarded provider."""
    assert request.provider is not None  # only an awarded request completes
    return [
        Event(uscc, "request.completed", request.id, data={"on_time": on_time, "rating": rating})
        for uscc in (request.requester, request.provider)
    ]


async def expire_overdue(
    db: Database,
    now: datetime,
    k: int = DEFAULT_K,
    limit: int = 100,
) -> int:
    """Expire matches past their deadline and cascade each request; returns how many."""
    requests = await db.read(writes.overdue_requests, now, limit)
    for request_id in requests:

        async def work(tx: Tx, request_id: str = request_id) -> None:
            request, _ = await _locked_state(tx, None, request_id)
            expired = await writes.expire(tx, request_id)
            sweeper = Actor(SWEEPER)
            before, after = {"status": MatchStatus.ROUTED.value}, {"status": "expired"}
            await audit(
                tx, sweeper, [Change("Match", m, "expire", before, after) for m, _ in expired]
            )
            await record(
                tx,
                [Event(uscc, "match.expired", request_id, match_id) for match_id, uscc in expired],
            )
            await _route_on(tx, sweeper, request, k)

        await db.write(work)
    return len(requests)
