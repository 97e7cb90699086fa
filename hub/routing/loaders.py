"""Per-request DataLoader for the matches of many requests at once (no N+1)."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from hub.db.driver import Database
from hub.identity.model import Principal
from hub.routing.model import Match
from hub.routing.store import reads


class RoutingLoaders:
    def __init__(self, db: Database, principal: Principal) -> None:
        async def load(keys: Sequence[tuple[str, bool]]) -> list[list[Match]]:
            found = await db.read(reads.matches, principal, list(keys))
            return [found.get(request_id, []) for request_id, _ in keys]

        self.matches: DataLoader[tuple[str, bool], list[Match]] = DataLoader(load)
