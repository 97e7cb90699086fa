"""The hub's exceptions: expected failures carry a stable code and a zh/en message.

    HubError                    code, message_zh, message_en, field
     ├── InvalidInput           INVALID_INPUT: a value is wrong; `field` names it
     ├── NotFound               NOT_FOUND: missing, or not visible to the caller
     ├── Conflict               CONFLICT: the current state does not allow the change
     ├── NotAuthenticated       UNAUTHENTICATED: HTTP 401
     ├── Forbidden              FORBIDDEN: HTTP 403, signed in but without the role needed
     ├── RateLimited            RATE_LIMITED: too many attempts; Retry-After tells when
     ├── DatabaseUnavailable    DATABASE_UNAVAILABLE: HTTP 503 with Retry-After
     └── SetupError             the machine lacks something (CLI only, never over HTTP)

Expected failures of mutations are returned as GraphQL union members (see
`hub.graphql.problems`); those with an HTTP status end the whole request. GraphQL never
raises Forbidden (what a caller may not touch behaves as missing there); routes outside it
that only some roles may call (`POST /import`) do.
"""

from __future__ import annotations


class HubError(Exception):
    code = "HUB_ERROR"
    http_status: int | None = None

    def http_headers(self) -> dict[str, str]:
        """Headers that go with `http_status` when this error ends a request."""
        return {}

    # Characters: a message that quotes a 1 MB value stays short. None for reports that
    # bound themselves (an import's list of problems).
    max_message: int | None = 500

    def __init__(self, message_en: str, message_zh: str, field: str | None = None) -> None:
        super().__init__(message_en)
        self.message_en = self._bounded(message_en)
        self.message_zh = self._bounded(message_zh)
        self.field = field

    def _bounded(self, message: str) -> str:
        most = self.max_message
        return message if most is None or len(message) <= most else message[: most - 1] + "…"


class InvalidInput(HubError):
    code = "INVALID_INPUT"


def invalid(field: str, en: str, zh: str) -> InvalidInput:
    """InvalidInput naming `field`, which leads both messages ("quantity: must be > 0")."""
    return InvalidInput(f"{field}: {en}", f"{field}：{zh}", field=field)


class NotFound(HubError):
    code = "NOT_FOUND"


class Conflict(HubError):
    code = "CONFLICT"


class NotAuthenticated(HubError):
    code = "UNAUTHENTICATED"
    http_status = 401

    def http_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}

    def __init__(self) -> None:
        super().__init__(
            "Sign in: send a valid API token as 'Authorization: Bearer <token>'",
            "请登录：以 'Authorization: Bearer <令牌>' 发送有效的 API 令牌",
        )


class Forbidden(HubError):
    code = "FORBIDDEN"
    http_status = 403


class RateLimited(HubError):
    """Too many attempts of one kind (sign-ins, sign-ups...) in a window: retry after
    `retry_after_s` seconds. In GraphQL it is the union member `RateLimitedProblem`, and
    the HTTP answer carries `Retry-After`; outside GraphQL it is HTTP 429."""

    code = "RATE_LIMITED"
    http_status = 429

    def __init__(self, retry_after_s: int, field: str | None = None) -> None:
        self.retry_after_s = max(1, retry_after_s)
        minutes = -(-self.retry_after_s // 60)
        super().__init__(
            f"Too many attempts: try again in {minutes} min",
            f"尝试次数过多：请 {minutes} 分钟后再试",
            field=field,
        )

    def http_headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


class DatabaseUnavailable(HubError):
    code = "DATABASE_UNAVAILABLE"
    http_status = 503
    retry_after_s = 5

    def http_headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}

    def __init__(self) -> None:
        super().__init__(
            "The database is unavailable; retry shortly",
            "数据库暂时不可用，请稍后重试",
        )


class SetupError(HubError):
    """Something on this machine is missing or misconfigured (said by the CLI)."""

    code = "SETUP"

    def __init__(self, message: str) -> None:
        super().__init__(message, message)
