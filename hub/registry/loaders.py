"""Per-request DataLoaders: one query per level of a nested registry query (no N+1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

from strawberry.dataloader import DataLoader

from hub.db.driver import Database
from hub.registry import model
from hub.registry.store import reads

K = TypeVar("K")
V = TypeVar("V")
Window = tuple[str, datetime, datetime]  # owner id, from, to


def _loader(load: Callable[[list[K]], Awaitable[dict[K, V]]], missing: V) -> DataLoader[K, V]:
    async def batch(keys: Sequence[K]) -> list[V]:
        found = await load(list(dict.fromkeys(keys)))
        return [found.get(key, missing) for key in keys]

    return DataLoader(load_fn=batch)


class RegistryLoaders:
    """Fresh for every request: caching across requests would leak and go stale."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.organization: DataLoader[str, model.Organization | None] = _loader(
            lambda keys: db.read(reads.organizations, keys), None
        )
        self.site: DataLoader[str, model.Site | None] = _loader(
            lambda keys: db.read(reads.sites, keys), None
        )
        self.sites: DataLoader[str, list[model.Site]] = _loader(
            lambda keys: db.read(reads.sites_of, keys, False), []
        )
        self.offerings: DataLoader[str, list[model.Offering]] = _loader(
            lambda keys: db.read(reads.offerings_of, keys, False), []
        )
        self.equipment: DataLoader[str, list[model.Equipment]] = _loader(
            lambda keys: db.read(reads.equipment_of, keys, False), []
        )
        self.certificates: DataLoader[str, list[model.Certificate]] = _loader(
            lambda keys: db.read(reads.certificates_of, keys, False), []
        )
        self.capacity: DataLoader[Window, list[model.CapacityBucket]] = _loader(self._capacity, [])

    async def _capacity(self, keys: list[Window]) -> dict[Window, list[model.CapacityBucket]]:
        """Buckets per owner; keys asking for different windows are grouped by window."""
        found: dict[Window, list[model.CapacityBucket]] = {}
        windows: dict[tuple[datetime, datetime], list[str]] = {}
        for owner, start, end in keys:
            windows.setdefault((start, end), []).append(owner)
        for (start, end), owners in windows.items():
            rows = await self.db.read(reads.capacity_of, owners, start, end)
            found.update({(owner, start, end): rows.get(owner, []) for owner in owners})
        return found
