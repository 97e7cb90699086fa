"""The typed context every resolver receives: who calls, the database, request-scoped caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from hub.config import Settings
from hub.db.driver import Database
from hub.errors import NotAuthenticated
from hub.identity.model import Principal
from hub.reference import store as reference_store
from hub.reference.model import Taxonomy


@dataclass
class Context(BaseContext):
    principal: Principal
    db: Database
    http: httpx.AsyncClient
    settings: Settings
    request_id: str
    language: str = "zh"
    _taxonomy: Taxonomy | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        super().__init__()

    def require_principal(self) -> Principal:
        """The signed-in principal; anonymous callers get 401."""
        if self.principal.is_anonymous:
            raise NotAuthenticated
        return self.principal

    async def taxonomy(self) -> Taxonomy:
        """The taxonomy, read at most once per request."""
        if self._taxonomy is None:
            self._taxonomy = await self.db.read(reference_store.taxonomy)
        return self._taxonomy


Info = StrawberryInfo[Context, Any]
