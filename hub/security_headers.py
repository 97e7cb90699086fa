"""Headers every HTTP answer carries, so a browser treats the hub's pages and files safely.

- `X-Content-Type-Options: nosniff`: a JSON or CSV answer is never run as a script;
- `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`: no page of the hub in a frame
  of another site (clickjacking);
- `Referrer-Policy: no-referrer`: links out of the console do not carry its addresses;
- `Content-Security-Policy`: a page sets its own (the console: only the hub's own scripts,
  styles and connections, no inline script; inline styles are allowed, since the network
  graph (Cytoscape) and GraphiQL's editors set them as they draw); every other answer
  gets `API_POLICY`, which allows nothing at all, since no document should ever be made of it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "content-security-policy"
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
CONSOLE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


def page_policy(nonce: str | None = None) -> str:
    """The console's policy. With a nonce (the GraphQL IDE's page): also the page's one
    inline script."""
    if nonce is None:
        return CONSOLE_POLICY
    return CONSOLE_POLICY.replace("script-src 'self'", f"script-src 'self' 'nonce-{nonce}'")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in ALWAYS if n not in present]
                if CSP.encode() not in present:
                    headers.append((CSP.encode(), API_POLICY.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
