"""Cross-site request forgery: what a request signed in by the session cookie must show.

The design (OWASP's synchronizer token, sent as a header, plus origin checks):
- each session has its own random CSRF token, given at sign-in (in the answer and in a
  readable cookie, so the console finds it after a reload) and stored only as a hash on
  the session. A state-changing request (any method but GET, HEAD and OPTIONS) signed in
  by cookie must send it in `X-Hub-CSRF`. Another site can make a browser send the cookie,
  but can neither read the token nor set a custom header without CORS letting it (and the
  hub's CORS never allows credentials). Comparing with the session's own token, not just
  with the cookie, also defeats a cookie planted by a sibling subdomain;
- if such a request names an `Origin`, it must be the hub's own or an allowed one;
- a WebSocket signed in by cookie must come from the hub's own origin or an allowed one
  (browsers always send `Origin` on a WebSocket, and no CSRF header can be set on one);
- GraphQL over GET never mutates (405), and requests with a Bearer token need none of
  this: a browser never adds an Authorization header by itself.
"""

from __future__ import annotations

import hmac
from collections.abc import Collection

from starlette.requests import HTTPConnection
from strawberry.http.websocket_origin import is_same_origin, normalize_origin

from hub.accounts.failures import CsrfRefused
from hub.identity.service import hash_token

HEADER = "x-hub-csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def trusted_origin(connection: HTTPConnection, allowed: Collection[str]) -> bool:
    """Whether the request's Origin (when it has one) is the hub's own or an allowed one."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    if connection.headers.get("sec-fetch-site") == "same-origin":
        return True
    if is_same_origin(origin, connection.headers.get("host")):
        return True
    return normalize_origin(origin) in {normalize_origin(a) for a in allowed}


def check(connection: HTTPConnection, csrf_hash: str, allowed: Collection[str]) -> None:
    """Refuse a request signed in by cookie that cannot prove it comes from the console."""
    if not trusted_origin(connection, allowed):
        raise CsrfRefused("it comes from another site", "它来自其他网站")
    if connection.scope["type"] == "websocket" or connection.scope["method"] in SAFE_METHODS:
        return
    token = connection.headers.get(HEADER, "")
    if not token or len(token) > 200:
        raise CsrfRefused(f"the {HEADER} header is missing", f"缺少 {HEADER} 请求头")
    if not hmac.compare_digest(hash_token(token), csrf_hash):
        raise CsrfRefused(f"the {HEADER} header is wrong", f"{HEADER} 请求头不正确")
