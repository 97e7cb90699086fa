"""GraphQL over HTTP, as its specification asks, on top of Strawberry's FastAPI router.

- Responses are `application/graphql-response+json` when the client accepts it, else
  `application/json` (also for `*/*` or no Accept header); anything else is 406.
- With `application/graphql-response+json`, a request error (syntax, validation) is 400
  and carries no `data` entry; with `application/json` it stays 200, as the spec says.
- A mutation over GET is 405 with `Allow: POST`.
- Every refusal is a GraphQL error body with `extensions.code` (never plain text).
- A lone surrogate anywhere in the request (as the JSON escape `\\ud800`) is refused at
  the door as INVALID_INPUT naming where it was: no value that cannot be UTF-8 goes on.
- A WebSocket from another origin than the hub's own or `allowed_origins` is refused
  (Strawberry's own check, given `HUB_CORS_ORIGINS` by the app).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from hub.errors import InvalidInput, NotAuthenticated
from hub.graphql import response_cache, wire
from hub.graphql.context import RequestContext
from hub.graphql.refusal import refusal

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
HTTP_CODES = {400: "BAD_REQUEST", 405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE"}
REASONS_ZH = {
    "Batching is not enabled": "不支持批量请求：每次发送一个操作",
    "Unable to parse request body as JSON": "请求体不是有效的 JSON",
    "Unsupported content type": "不支持的内容类型：请使用 application/json",
    "No GraphQL query found in the request": "请求中没有 GraphQL 查询",
}


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


def _lone_surrogate_at(value: object) -> str | None:
    """Where the first lone surrogate is in a decoded JSON value (`input.name`, `ids[2]`),
    or None. Iterative and linear in the value's size."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if wire.LONE_SURROGATE.search(item):
                return path
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                if wire.LONE_SURROGATE.search(key):
                    return f"{path}.{key!a}".lstrip(".")
                stack.append((f"{path}.{key}".lstrip("."), child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return None


def _no_lone_surrogates(body: object) -> None:
    """Refuse a body with a lone surrogate, naming the variable's path (`input.nameZh`),
    or the part of the body (`query`, `operationName`) where it is."""
    parts = body.items() if isinstance(body, dict) else [("body", body)]
    for part, value in parts:
        where = _lone_surrogate_at(value)
        if where is None:
            continue
        named = (where,) if part == "variables" and where else (str(part), where)
        field = ".".join(n for n in named if n)
        raise InvalidInput(
            f"{field}: contains a lone surrogate (\\ud800-\\udfff), which is not text",
            f"{field}：含有孤立的代理码位（\\ud800-\\udfff），不是有效文本",
            field=field,
        )


def _wants_ide(request: Request) -> bool:
    return (
        request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
        and "query" not in request.query_params
    )


class HubGraphQLRouter(GraphQLRouter[RequestContext, None]):
    async def on_ws_connect(self, context: RequestContext) -> UnsetType | dict[str, object] | None:
        """A WebSocket signs in with `{"Authorization": "Bearer <token>"}` in its
        connection_init payload (browsers cannot set headers on it); a bad token is 4403."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        if header is None:
            return UnsetType()
        try:
            await context.sign_in(str(header))
        except NotAuthenticated as error:
            raise ConnectionRejectionError from error
        return UnsetType()

    def decode_json(self, data: str | bytes) -> object:
        decoded = json.loads(data)
        if isinstance(decoded, list):
            for item in decoded:
                _no_lone_surrogates(item)
        else:
            _no_lone_surrogates(decoded)
        return decoded

    def encode_json(self, data: object) -> str:
        """Text: Strawberry sends it as a WebSocket's text frame too, and graphql-transport-ws
        clients drop binary frames (bytes would go out as one)."""
        return wire.encode(data).decode()

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
            return refusal(
                request,
                406,
                "NOT_ACCEPTABLE",
                f"Not acceptable: this endpoint answers {GRAPHQL_RESPONSE} or {JSON}",
                f"无法满足 Accept：本端点只返回 {GRAPHQL_RESPONSE} 或 {JSON}",
            )
        request.state.graphql_media_type = media
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as error:
            return self._refused(request, error)
        return self._finish(request, media, response)

    @staticmethod
    def _refused(request: Request, error: HTTPException) -> Response:
        status = error.status_code
        zh = REASONS_ZH.get(error.reason, f"请求无效：{error.reason}")
        headers = {"Allow": "POST"} if status == 405 else None
        if status == 405:
            zh = "GET 只能用于查询：变更请用 POST"
        code = HTTP_CODES.get(status, "BAD_REQUEST")
        return refusal(request, status, code, error.reason, zh, headers=headers)

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
            compute = functools.partial(super().execute_single, *args, **kwargs)
            return await response_cache.answer(  # answers that repeat (response_cache.py)
                kwargs.get("request_data"), kwargs.get("context"), compute
            )
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
