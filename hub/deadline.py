"""A deadline on every HTTP request: past `HUB_GRAPHQL_TIMEOUT_S` the work is cancelled
(its Neo4j transaction with it) and the caller gets 504 `QUERY_TIMEOUT`, so no request
hangs on a database that stopped answering. It covers authentication too, which runs
before GraphQL does. Streams (WebSockets) are not HTTP requests and are not cut.

A path may have a deadline of its own (`/import`: `HUB_IMPORT_TIMEOUT_S`). The deadline
is in the request's state (`request.state.deadline`, event-loop time), so that a route
that streams its answer can end it with a last line of its own before it is cut."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _body(seconds: float, request_id: str | None) -> bytes:
    error = {
        "message": f"Request took longer than {seconds:g} s / 请求超过 {seconds:g} 秒",
        "extensions": {"code": "QUERY_TIMEOUT", "requestId": request_id},
    }
    return json.dumps({"errors": [error]}, ensure_ascii=False).encode()


class DeadlineMiddleware:
    def __init__(
        self, app: ASGIApp, seconds: float, paths: Mapping[str, float] | None = None
    ) -> None:
        self.app = app
        self.seconds = seconds
        self.paths = dict(paths or {})  # path -> its own deadline in seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        seconds = self.paths.get(scope["path"], self.seconds)
        deadline = asyncio.get_running_loop().time() + seconds
        scope.setdefault("state", {})["deadline"] = deadline
        try:
            async with asyncio.timeout_at(deadline):
                await self.app(scope, receive, watched)
        except TimeoutError:
            if started:
                raise
            request_id = scope.get("state", {}).get("request_id")
            body = _body(seconds, request_id)
            await send(
                {
                    "type": "http.response.start",
                    "status": 504,
                    "headers": [
                        (b"content-type", b"application/json; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
