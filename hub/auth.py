"""Authentication at the edge: a request becomes a Principal before any resolver runs.

- `Authorization: Bearer <token>` (machines, scripts): a bad, revoked or expired token is
  refused with 401. It wins over a cookie.
- Else the console's session cookie (hub/accounts): a good session is its person, with
  the roles of their memberships (the same Principal shape as a token's); a request it
  signs in must prove it comes from the console (hub/accounts/csrf.py), else 403. A
  missing, ended or unknown session is simply anonymous.
- Neither: the anonymous principal (public data only).

The sign-in read also tells the data's fingerprint as the request began
(`request.state.fingerprint`, hub/graphql/response_cache.py): a cached answer then costs
no other round-trip.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from hub.accounts import cookies, sessions
from hub.config import Settings
from hub.db.driver import Database, reading
from hub.errors import NotAuthenticated
from hub.identity import service
from hub.identity.model import ANONYMOUS, Principal
from hub.time import now


async def get_database(request: HTTPConnection) -> Database:
    """Async, as every dependency here: a plain function would run in a worker thread."""
    database: Database = request.app.state.database
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]


def bearer_secret(header: str) -> str:
    """The token of `Bearer <token>` (any case of the scheme); anything else is 401."""
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated
    return secret.strip()


async def get_principal(request: HTTPConnection, db: DatabaseDep) -> Principal:
    """The caller, signed in once per request (hub/graphql/cached_answers.py may have
    done it before the dependencies run: then its principal is on the request's state)."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    principal = await _signed_in(request, db)
    request.state.principal = principal
    return principal


async def _signed_in(request: HTTPConnection, db: Database) -> Principal:
    header = request.headers.get("authorization")
    settings: Settings = request.app.state.settings
    session = None if header is not None else cookies.session_secret(request, settings)
    if header is None and session is None:
        return ANONYMOUS
    with reading() as marks:
        if header is not None:
            principal: Principal | None = await service.authenticate(db, bearer_secret(header))
        else:
            assert session is not None
            principal = await sessions.authenticate(db, settings, request, session, now())
    request.state.fingerprint = frozenset(marks)
    return principal or ANONYMOUS


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def client_address(connection: HTTPConnection) -> str:
    """The client's address, as rate limits count it (behind a proxy: as uvicorn's
    `--forwarded-allow-ips` lets X-Forwarded-For tell it)."""
    return connection.client.host if connection.client else "unknown"
