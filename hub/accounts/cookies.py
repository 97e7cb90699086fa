"""The console's two cookies: the session (HTTP-only) and its CSRF token (readable).

Both are `SameSite=Lax`, `Path=/`, and outside dev `Secure` with the `__Host-` prefix
(the browser then refuses them unless set over HTTPS by this very host, so a sibling
subdomain cannot plant or overwrite them). Both live as long as the session may
(`session_max_s`); the server ends a session earlier when idle.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response

from hub.accounts.model import SessionGrant
from hub.config import Mode, Settings

SESSION = "hub_session"
CSRF = "hub_csrf"
MAX_SECRET = 100


def secure(settings: Settings) -> bool:
    return settings.mode is not Mode.DEV


def name(settings: Settings, base: str) -> str:
    return f"__Host-{base}" if secure(settings) else base


def session_secret(connection: HTTPConnection, settings: Settings) -> str | None:
    """The session cookie's value, if the request carries a plausible one."""
    value = connection.cookies.get(name(settings, SESSION))
    return value if value and len(value) <= MAX_SECRET else None


def set_session(response: Response, settings: Settings, grant: SessionGrant) -> None:
    for base, value, http_only in ((SESSION, grant.secret, True), (CSRF, grant.csrf_token, False)):
        response.set_cookie(
            name(settings, base),
            value,
            max_age=settings.session_max_s,
            path="/",
            secure=secure(settings),
            httponly=http_only,
            samesite="lax",
        )


def clear_session(response: Response, settings: Settings) -> None:
    for base in (SESSION, CSRF):
        response.delete_cookie(
            name(settings, base),
            path="/",
            secure=secure(settings),
            httponly=base == SESSION,
            samesite="lax",
        )
