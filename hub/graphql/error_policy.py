"""What callers see of errors: expected ones explained, unexpected ones masked.

- A `HubError` raised in a resolver keeps its bilingual message and gets `code`, `field`
  (named as GraphQL spells it, like a Problem's) and the request id in `extensions`; 401
  and 503 also set the HTTP status (503 with Retry-After) so that clients and load
  balancers can react.
- GraphQL's own errors (syntax, validation) pass through with the request id.
- Anything else is an unexpected error: logged with its traceback under the request id,
  and shown only as "internal error" with that id (no traceback, Cypher, URI or path).
"""

from __future__ import annotations

import structlog
from graphql.error import GraphQLError
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from strawberry.extensions import MaskErrors

from hub.errors import DatabaseUnavailable, HubError
from hub.graphql.context import RequestContext
from hub.graphql.problems import graphql_path, graphql_text

log = structlog.get_logger("hub.graphql")


# The limits' own messages (strawberry and graphql-core, pinned), as stable codes.
LIMITS = (
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found. Allowed", "TOO_MANY_ALIASES"),
    ("tokens. Parsing aborted", "TOO_MANY_TOKENS"),
    ("GraphQL introspection has been disabled", "INTROSPECTION_DISABLED"),
)


def _code_of(message: str) -> str:
    return next((code for part, code in LIMITS if part in message), "GRAPHQL_VALIDATION_FAILED")


class ErrorPolicy(MaskErrors):
    def __init__(self) -> None:
        super().__init__()

    @property
    def _context(self) -> RequestContext | None:
        context = self.execution_context.context
        return context if isinstance(context, RequestContext) else None

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._explain(error) for error in errors]

    def _explain(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, ServiceUnavailable | SessionExpired):
            original = DatabaseUnavailable()
        if original is None or isinstance(original, GraphQLError):
            return self._with(error, error.message, {"code": _code_of(error.message)})
        if isinstance(original, HubError):
            self._set_http_status(original)
            message_zh = graphql_text(original.message_zh, original.field)
            message_en = graphql_text(original.message_en, original.field)
            return self._with(
                error,
                message_en if self._language() == "en" else message_zh,
                {
                    "code": original.code,
                    "field": graphql_path(original.field),
                    "messageZh": message_zh,
                    "messageEn": message_en,
                },
            )
        log.error("unexpected error", path=error.path, exc_info=original)
        return self._with(error, "Internal error / 内部错误", {"code": "INTERNAL"})

    def _language(self) -> str:
        context = self._context
        return context.language if context else "zh"

    def _with(
        self, error: GraphQLError, message: str, extensions: dict[str, object]
    ) -> GraphQLError:
        context = self._context
        request_id = context.request_id if context else None
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={**(error.extensions or {}), **extensions, "requestId": request_id},
        )

    def _set_http_status(self, error: HubError) -> None:
        context = self._context
        response = context.response if context else None
        if error.http_status is None or response is None:
            return
        response.status_code = error.http_status
        response.headers.update(error.http_headers())
