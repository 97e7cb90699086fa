"""A deadline on every HTTP request: past `HUB_GRAPHQL_TIMEOUT_S` the work is cancelled
(its Neo4j transaction with it) and the caller gets 504 `QUERY_TIMEOUT`, so no request
hangs on a database that stopped answering. It covers authentication too, which runs
before GraphQL does. Streams (WebSockets) are not HTTP requests and are not cut."""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _body(seconds: float, request_id: str | None) -> bytes:
    error = {
        "message": f"Request took longer than {seconds:g} s / 请求超过 {seconds:g} 秒",
        "extensions": {"code": "QUERY_TIMEOUT", "requestId": request_id},
    }
    return json.dumps({"errors": [error]}, ensure_ascii=False).encode()


class DeadlineMiddleware:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, watched)
        except TimeoutError:
            if started:
                raise
            request_id = scope.get("state", {}).get("request_id")
            body = _body(self.seconds, request_id)
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
