"""What the toolkit needs of a request's context: the database, the HTTP client, the
settings, the request's id and language, the data's fingerprint as it began; and two
questions about the caller only the hub can answer (who sees what, signing in).

The hub's context (hub/api/context.py) adds the caller and the areas' loaders: the
toolkit imports no area, so it asks the caller's questions through these methods."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import httpx
from strawberry.fastapi import BaseContext

from hub.config import Settings
from hub.db.driver import Database


@dataclass(kw_only=True)
class RequestContext(BaseContext, ABC):
    db: Database
    http: httpx.AsyncClient
    settings: Settings
    request_id: str
    language: str = "zh"
    # The data's fingerprint as the request began, when the sign-in read told it.
    fingerprint: frozenset[str] | None = None

    def __post_init__(self) -> None:
        BaseContext.__init__(self)  # the dataclass's __init__ replaces, not extends, it

    @abstractmethod
    def visibility(self) -> tuple[str, ...]:
        """What the visibility rules read of the caller: answers are shared (the response
        cache) only between callers with the same."""

    @abstractmethod
    async def sign_in(self, authorization: str) -> None:
        """Become the caller an `Authorization` value stands for (a WebSocket signs in
        after connecting, in connection_init); NotAuthenticated when it stands for none."""
