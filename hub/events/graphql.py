"""The GraphQL subscription a requester watches its request with (graphql-transport-ws).

It first replays what already happened to the request, then streams each change as it
is committed, and ends once the request is completed or cancelled. Every poll re-checks
the watcher's token: once it is revoked or expired, the socket closes with 4403.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import NoReturn

import strawberry
from starlette.websockets import WebSocket
from strawberry.scalars import JSON

from hub.api.context import Context, Info
from hub.db.driver import python_value
from hub.errors import DatabaseUnavailable, NotAuthenticated, NotFound
from hub.events import stream
from hub.routing.model import RequestStatus
from hub.routing.store import reads

ENDS = frozenset({RequestStatus.COMPLETED.value, RequestStatus.CANCELLED.value})
REVOKED = 4403  # WebSocket close code when the watcher's token stops being good


@strawberry.type(description="One change to a request, as its requester hears it.")
class RequestEvent:
    sequence: int = strawberry.field(description="Position in the requester's event stream.")
    type: str = strawberry.field(description="e.g. request.routed, match.accepted.")
    request_id: strawberry.ID
    match_id: strawberry.ID | None
    status: RequestStatus = strawberry.field(
        description="The request's status when this reached you."
    )
    at: datetime
    data: JSON


def _event(request_id: str, status: str, row: dict[str, object]) -> RequestEvent:
    match_id = row.get("match_id")
    return RequestEvent(
        sequence=int(str(row["seq"])),
        type=str(row["type"]),
        request_id=strawberry.ID(request_id),
        match_id=None if match_id is None else strawberry.ID(str(match_id)),
        status=RequestStatus(status),
        at=python_value(row["at"]),
        data=json.loads(str(row.get("data") or "{}")),
    )


@strawberry.type(name="Subscription")
class EventSubscription:
    @strawberry.subscription(
        description="Your request's events: what already happened, then each change live; "
        "ends when the request is completed or cancelled."
    )
    async def request_events(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[RequestEvent, None]:
        ctx = info.context
        principal = ctx.require_principal()
        seen = (await ctx.db.read(reads.requests, principal, [str(id)])).get(str(id))
        if seen is None or not seen.own:
            raise NotFound(f"id: no request {id} of yours", f"id：不存在您的需求 {id}", field="id")
        after = 0
        while True:
            try:
                now = await ctx.db.read(
                    stream.since, str(id), after, principal.token_id, principal.session_id
                )
            except DatabaseUnavailable:
                await asyncio.sleep(ctx.settings.events_poll_interval_s)
                continue
            if not now.signed_in:
                await _sign_out(ctx)
            for row in now.events:
                after = int(row["seq"])
                yield _event(str(id), now.status, row)
            if now.status in ENDS:
                return
            await asyncio.sleep(ctx.settings.events_poll_interval_s)


async def _sign_out(ctx: Context) -> NoReturn:
    """The token the watcher signed in with was revoked or has expired: the whole socket
    closes (4403, as for a bad token at connection_init), so nothing more reaches it and no
    new operation can start on it. This operation then waits to be cancelled: the server
    ends every operation of a closed socket."""
    if isinstance(ctx.request, WebSocket):
        await ctx.request.close(code=REVOKED, reason="token revoked or expired")
        await asyncio.Event().wait()
    raise NotAuthenticated
