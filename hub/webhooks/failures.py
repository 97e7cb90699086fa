"""Why a delivery failed, as the subscription's owner reads it (`lastError`): one of a few
fixed categories. Never an address, a port or the system's error text: with those, a
receiver URL becomes a probe of the hub's network (which ports answer, what resolves)."""

from __future__ import annotations

import ssl

import httpx

from hub.webhooks.egress import Refused

REFUSED = "refused by the egress guard: not an https URL of a public address"
TIMEOUT = "timeout"
TLS = "TLS error"
CONNECTION_REFUSED = "connection refused"
CONNECTION_FAILED = "connection failed"
PROTOCOL = "protocol error"


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def category(error: httpx.HTTPError) -> str:
    """The category of a failed request."""
    causes = _causes(error)
    if any(isinstance(c, Refused) for c in causes):
        return REFUSED
    if isinstance(error, httpx.TimeoutException):
        return TIMEOUT
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return TLS
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return CONNECTION_REFUSED
    if isinstance(error, httpx.ConnectError | httpx.NetworkError):
        return CONNECTION_FAILED
    return PROTOCOL
