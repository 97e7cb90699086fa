"""Every request gets an id: taken from `X-Request-ID` when sane, else new; echoed back,
bound to every log line of the request, and shown in every error."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = structlog.get_logger("hub.access")
# A WebSocket's handshake is answered by accepting (101) or by closing first (403).
WEBSOCKET_STATUS = {"websocket.accept": 101, "websocket.close": 403}


def _incoming(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == HEADER.encode():
            text = value.decode("latin-1")
            return text if SANE.match(text) else None
    return None


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _incoming(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        began = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (HEADER.encode(), request_id.encode()),
                ]
            elif message["type"] in WEBSOCKET_STATUS and status == 500:
                status = WEBSOCKET_STATUS[message["type"]]  # the handshake's answer
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                log.info(
                    "request",
                    method=scope.get("method", "WEBSOCKET"),
                    path=scope.get("path"),
                    status=status,
                    ms=round((time.perf_counter() - began) * 1000, 1),
                )
