"""Authentication at the edge: `Authorization: Bearer <token>` becomes a Principal.

No header means the anonymous principal (public data only); a header with a bad,
revoked or expired token is refused with 401 before any resolver runs. The sign-in read
also tells the data's fingerprint as the request began (`request.state.fingerprint`,
hub/graphql/response_cache.py): a cached answer then costs no other round-trip.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import HTTPConnection

from hub.db.driver import Database, reading
from hub.errors import NotAuthenticated
from hub.identity import service
from hub.identity.model import ANONYMOUS, Principal


def get_database(request: HTTPConnection) -> Database:
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
    header = request.headers.get("authorization")
    if header is None:
        return ANONYMOUS
    with reading() as marks:
        principal = await service.authenticate(db, bearer_secret(header))
    request.state.fingerprint = frozenset(marks)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
