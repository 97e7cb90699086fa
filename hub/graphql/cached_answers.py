"""Answers the response cache holds, sent before routing, dependencies and Strawberry.

A hit of the response cache (hub/graphql/response_cache.py) needs only the caller's
visibility, the data's fingerprint and the stored bytes; the rest of the path (FastAPI's
routing and dependency solving, Strawberry's request parsing, the answer's encoding) was
most of its cost. This middleware, the innermost, takes a `POST /graphql` with a JSON body
whose operation is cacheable, signs the caller in (`caller`: the same sign-in the
dependencies use, which leaves the principal and the fingerprint on the request's state
for them), and sends the entry when it holds for the fingerprint. Anything else (no entry,
another body, a media type not offered, a sign-in refused) goes on unchanged, the body
replayed, and is answered exactly as without this middleware.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.db.driver import Database
from hub.errors import HubError
from hub.graphql import response_cache
from hub.graphql.http import negotiate
from hub.graphql.refusal import language

Caller = Callable[[Request], Awaitable[tuple[str, ...]]]  # the caller's visibility
PATH = "/graphql"


class CachedAnswersMiddleware:
    def __init__(self, app: ASGIApp, caller: Caller, enabled: bool = True) -> None:
        self.app = app
        self.caller = caller
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            self.enabled
            and scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == PATH
            and _json_body(scope)
        ):
            await self.app(scope, receive, send)
            return
        body = await _body(receive)
        request = Request(scope, _replaying(body, receive))
        found = await self._hit(request, body)
        if found is None:
            await self.app(scope, _replaying(body, receive), send)
            return
        await _send(send, *found)

    async def _hit(self, request: Request, body: bytes) -> tuple[bytes, str] | None:
        """The stored answer and its media type, or None (the usual path answers)."""
        asked = _operation(body)
        media = negotiate(request.headers.get("accept"))
        if asked is None or media is None or response_cache.bypassed_now():
            return None
        query, variables, operation_name = asked
        if not response_cache.cacheable(query, operation_name):
            return None
        try:
            visibility = await self.caller(request)
        except HubError:
            return None  # the dependencies refuse it again, with the usual answer
        key = response_cache.key_for(
            query, variables, operation_name, visibility, language(request)
        )
        if key not in response_cache.CACHE:
            return None
        fingerprint: frozenset[str] | None = getattr(request.state, "fingerprint", None)
        if fingerprint is None:  # anonymous: no sign-in read told it
            database: Database = request.app.state.database
            fingerprint = request.state.fingerprint = await database.fingerprint()
        entry = response_cache.CACHE.entry(key, fingerprint)
        if entry is None:
            return None
        response_cache.CACHE.hits += 1
        return entry.body, media


def _json_body(scope: Scope) -> bool:
    value: bytes
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.split(b";")[0].strip().lower() == b"application/json"
    return False


async def _body(receive: Receive) -> bytes:
    """The whole body (the body-limit middleware outside counts it as it comes)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` that gives the body already read first, then the client's messages."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _operation(body: bytes) -> tuple[str, Any, str | None] | None:
    try:
        decoded = json.loads(body)
    except ValueError:
        return None
    if not isinstance(decoded, dict):
        return None
    query, operation_name = decoded.get("query"), decoded.get("operationName")
    if not isinstance(query, str) or not isinstance(operation_name, str | None):
        return None
    return query, decoded.get("variables"), operation_name


async def _send(send: Send, body: bytes, media: str) -> None:
    headers = [
        (b"content-length", str(len(body)).encode()),
        (b"content-type", f"{media}; charset=utf-8".encode()),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
