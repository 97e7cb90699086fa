"""Every illegal transition of the request and match state machines is refused with a
Conflict that names the current status; the tables in hub/routing/model.py are the rule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from hub.db.driver import Database, Tx
from hub.errors import Conflict
from hub.routing import service
from hub.routing.model import MATCH_NEXT, REQUEST_NEXT, MatchStatus, RequestStatus
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, STARTUP, member, raw

Act = Callable[[Database, str, str], Awaitable[object]]


async def _match_of(db: Database, request_id: str, uscc: str) -> str:
    async def read(tx: Tx) -> str:
        row = await tx.single(
            "MATCH (m:Match {request_id: $r, uscc: $u}) RETURN m.id AS id", r=request_id, u=uscc
        )
        assert row is not None, (request_id, uscc)
        return str(row["id"])

    return await db.read(read)


async def _routed(db: Database, k: int) -> tuple[str, str]:
    request_id = await service.submit(db, STARTUP, raw())
    await service.route(db, STARTUP, request_id, k=k)
    return request_id, await _match_of(db, request_id, sample.USCC)


async def _awarded(db: Database) -> tuple[str, str]:
    request_id, match_id = await _routed(db, k=2)
    await service.respond(db, member(sample.USCC), match_id, QUOTE)
    await service.award(db, STARTUP, request_id, match_id)
    return request_id, match_id


async def _request_in(db: Database, status: RequestStatus) -> tuple[str, str]:
    """A request in `status`, and one of its matches (or a made-up id if it has none)."""
    if status is RequestStatus.SUBMITTED:
        return await service.submit(db, STARTUP, raw()), "no-match"
    if status is RequestStatus.ROUTED:
        return await _routed(db, k=2)
    if status is RequestStatus.UNFILLED:
        request_id, match_id = await _routed(db, k=2)
        for uscc in (sample.USCC, OTHER_PROVIDER):
            mine = await _match_of(db, request_id, uscc)
            await service.respond(db, member(uscc), mine, None, "fully booked")
        return request_id, match_id
    if status is RequestStatus.CANCELLED:
        request_id = await service.submit(db, STARTUP, raw())
        await service.cancel(db, STARTUP, request_id)
        return request_id, "no-match"
    request_id, match_id = await _awarded(db)
    if status is RequestStatus.COMPLETED:
        await service.complete(db, STARTUP, request_id, on_time=True, rating=5)
    return request_id, match_id


REQUEST_ACTIONS: dict[RequestStatus, Act] = {
    RequestStatus.ROUTED: lambda db, r, m: service.route(db, STARTUP, r),
    RequestStatus.AWARDED: lambda db, r, m: service.award(db, STARTUP, r, m),
    RequestStatus.CANCELLED: lambda db, r, m: service.cancel(db, STARTUP, r),
    RequestStatus.COMPLETED: lambda db, r, m: service.complete(db, STARTUP, r, True, 4),
}


@pytest.mark.parametrize("current", list(RequestStatus))
async def test_a_request_refuses_every_status_its_table_does_not_allow(
    network: Database, current: RequestStatus
) -> None:
    request_id, match_id = await _request_in(network, current)
    illegal = [s for s in REQUEST_ACTIONS if s not in REQUEST_NEXT[current]]
    assert illegal or current is RequestStatus.ROUTED
    for wanted in illegal:
        with pytest.raises(Conflict) as refused:
            await REQUEST_ACTIONS[wanted](network, request_id, match_id)
        assert refused.value.field == "status"
        assert f"the request is {current}; it cannot become {wanted}" in refused.value.message_en
        assert f"需求当前为 {current}" in refused.value.message_zh


async def _overdue(tx: Tx, match_id: str) -> None:
    await tx.run(
        "MATCH (m:Match {id: $id}) SET m.deadline = datetime() - duration('PT1M')", id=match_id
    )


async def _match_in(db: Database, status: MatchStatus) -> tuple[str, str, str]:
    """A match in `status`: (request id, match id, its provider)."""
    if status is MatchStatus.ROUTED:
        return (*await _routed(db, k=1), sample.USCC)
    if status is MatchStatus.ACCEPTED:
        request_id, match_id = await _routed(db, k=1)
        await service.respond(db, member(sample.USCC), match_id, QUOTE)
        return request_id, match_id, sample.USCC
    if status is MatchStatus.DECLINED:
        request_id, match_id = await _routed(db, k=2)
        await service.respond(db, member(sample.USCC), match_id, None, "no slot")
        return request_id, match_id, sample.USCC
    if status is MatchStatus.EXPIRED:
        request_id, match_id = await _routed(db, k=1)
        await db.write(_overdue, match_id)
        await service.expire_overdue(db, datetime.now(UTC), k=1)
        return request_id, match_id, sample.USCC
    request_id, match_id = await _awarded(db)
    if status is MatchStatus.CLOSED:
        return request_id, await _match_of(db, request_id, OTHER_PROVIDER), OTHER_PROVIDER
    return request_id, match_id, sample.USCC


MATCH_ACTIONS: dict[MatchStatus, Callable[[Database, str, str, str], Awaitable[object]]] = {
    MatchStatus.ACCEPTED: lambda db, r, m, p: service.respond(db, member(p), m, QUOTE),
    MatchStatus.DECLINED: lambda db, r, m, p: service.respond(db, member(p), m, None, "no"),
    MatchStatus.AWARDED: lambda db, r, m, p: service.award(db, STARTUP, r, m),
}


@pytest.mark.parametrize("current", list(MatchStatus))
async def test_a_match_refuses_every_status_its_table_does_not_allow(
    network: Database, current: MatchStatus
) -> None:
    request_id, match_id, provider = await _match_in(network, current)
    illegal = [s for s in MATCH_ACTIONS if s not in MATCH_NEXT[current]]
    assert illegal
    for wanted in illegal:
        with pytest.raises(Conflict) as refused:
            await MATCH_ACTIONS[wanted](network, request_id, match_id, provider)
        # Awarding a match of a request that is already awarded is refused at the request.
        closed = current in (MatchStatus.AWARDED, MatchStatus.CLOSED)
        expected = (
            f"the request is awarded; it cannot become {wanted}"
            if closed and wanted is MatchStatus.AWARDED
            else f"the match is {current}; it cannot become {wanted}"
        )
        assert expected in refused.value.message_en
        assert refused.value.field == "status"
