"""Which browsers may call the API: pages of the hub's own origin, and `HUB_CORS_ORIGINS`.

One list for both ways in: HTTP answers carry CORS headers for the allowed origins (and
preflights from others are refused), and a WebSocket whose handshake names another origin
is refused before it is accepted (Strawberry's check, given the same list by the app).
Clients that are not browsers send no `Origin` at all, and are not concerned.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

REQUEST_HEADERS = (
    "authorization",
    "content-type",
    "accept",
    "accept-language",
    "x-request-id",
    "x-hub-bookmark",
)
EXPOSED_HEADERS = ("x-request-id", "x-hub-bookmark", "retry-after")


def add_cors(app: FastAPI, origins: Sequence[str]) -> None:
    """Starlette's CORS middleware with the hub's methods and headers. Credentials stay
    off: other origins call the API with bearer tokens; the session cookie serves only the
    console, on the hub's own origin (hub/accounts/csrf.py)."""
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=["GET", "POST"],
        allow_headers=list(REQUEST_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        max_age=600,
    )
