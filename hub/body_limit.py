"""A cap on request bodies: larger ones are refused with 413 before anything parses them.

`Content-Length` is checked first; a body sent without one (chunked) is counted as it
arrives, so a lying or missing header cannot get more through. A path may have a limit of
its own (uploads of registry files to `/import` are bigger than GraphQL requests).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    pass


def _refusal(limit: int) -> bytes:
    en, zh = f"Request body larger than {limit} bytes", f"请求体超过 {limit} 字节"
    error = {
        "message": f"{en} / {zh}",
        "extensions": {"code": "PAYLOAD_TOO_LARGE", "messageEn": en, "messageZh": zh},
    }
    return json.dumps({"errors": [error]}, ensure_ascii=False).encode()


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, max_bytes: int, paths: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = dict(paths or {})  # path -> its own limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.paths.get(scope["path"], self.max_bytes)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        body = _refusal(limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
