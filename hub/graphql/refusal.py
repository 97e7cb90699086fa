"""The one shape of a refused HTTP request: a GraphQL error body with a stable code.

Used for what ends a request before or outside GraphQL's own execution (authentication,
database down, a body that is not JSON, a batch, a mutation over GET), so a client reads
every refusal the same way: `errors[0].extensions.code`, `messageZh`, `messageEn`.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse


def language(connection: HTTPConnection) -> str:
    """`en` when the caller's Accept-Language starts with English, else `zh`."""
    accept = connection.headers.get("accept-language", "").strip().lower()
    return "en" if accept.startswith("en") else "zh"


def refusal(
    connection: HTTPConnection,
    status: int,
    code: str,
    message_en: str,
    message_zh: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    error = {
        "message": message_en if language(connection) == "en" else message_zh,
        "extensions": {
            "code": code,
            "field": field,
            "requestId": getattr(connection.state, "request_id", None),
            "messageZh": message_zh,
            "messageEn": message_en,
        },
    }
    return JSONResponse({"errors": [error]}, status_code=status, headers=headers)
