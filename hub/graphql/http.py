"""GraphQL over HTTP, as its specification asks, on top of Strawberry's FastAPI router.

- Responses are `application/graphql-response+json` when the client accepts it, else
  `application/json` (also for `*/*` or no Accept header); anything else is 406.
- With `application/graphql-response+json`, a request error (syntax, validation) is 400
  and carries no `data` entry; with `application/json` it stays 200, as the spec says.
- A mutation over GET is 405 with `Allow: POST`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from hub.errors import NotAuthenticated
from hub.graphql.context import Context
from hub.identity import service

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # pairs were joined by json.loads


def _media_ranges(accept: str) -> list[tuple[float, str]]:
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((-quality, position, media.lower()))
    return [(q, media) for q, _, media in sorted(ranges)]


def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header; None when we can offer none of it."""
    if not accept or not accept.strip():
        return JSON
    for _, media in _media_ranges(accept):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None


def _wants_ide(request: Request) -> bool:
    return (
        request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
        and "query" not in request.query_params
    )


class HubGraphQLRouter(GraphQLRouter[Context, None]):
    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket signs in with `{"Authorization": "Bearer <token>"}` in its
        connection_init payload (browsers cannot set headers on it); a bad token is 4403."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        if header is None:
            return UnsetType()
        scheme, _, secret = str(header).partition(" ")
        try:
            if scheme.lower() != "bearer" or not secret.strip():
                raise NotAuthenticated
            context.sign_in(await service.authenticate(context.db, secret.strip()))
        except NotAuthenticated as error:
            raise ConnectionRejectionError from error
        return UnsetType()

    def encode_json(self, data: object) -> str:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        # A client's lone surrogate (sent as the escape \\ud800, quoted back in a message)
        # cannot be written as UTF-8: it goes back escaped, as it came.
        return LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

    async def run(  # type: ignore[override]
        self,
        request: Request | WebSocket,
        context: Any = UNSET,
        root_value: Any = UNSET,
    ) -> Response | WebSocket:
        if isinstance(request, WebSocket) or _wants_ide(request):
            return await super().run(request, context, root_value)
        media = negotiate(request.headers.get("accept"))
        if media is None:
            return PlainTextResponse(
                f"Not acceptable: this endpoint answers {GRAPHQL_RESPONSE} or {JSON}",
                status_code=406,
            )
        request.state.graphql_media_type = media
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as error:
            headers = {"Allow": "POST"} if error.status_code == 405 else None
            return PlainTextResponse(error.reason, status_code=error.status_code, headers=headers)
        return self._finish(request, media, response)

    @staticmethod
    def _finish(request: Request, media: str, response: Response) -> Response:
        if response.media_type != JSON and "json" not in response.headers.get("content-type", ""):
            return response  # a stream or the IDE page
        response.headers["content-type"] = f"{media}; charset=utf-8"
        request_error = getattr(request.state, "graphql_request_error", False)
        if media == GRAPHQL_RESPONSE and request_error and response.status_code == 200:
            response.status_code = 400
        return response

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, error.reason) from error
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            request.state.graphql_request_error = True
            if getattr(request.state, "graphql_media_type", JSON) == GRAPHQL_RESPONSE:
                processed.pop("data", None)
        return processed
