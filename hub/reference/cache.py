"""The taxonomy and the parks, shared by every request of the process.

Reference data changes rarely (an admin adds a capability; parks come with the seed) and
is read by nearly every registry answer, so the process keeps one copy of each:
- single-flight: however many resolvers ask at once, one read runs and all await it;
- invalidated in the process that writes (`invalidate`, called after an admin's change);
- other hub processes see a change within `TTL_S` (a copy older than that is read
  again): a per-request version check would cost a round-trip on every answer, and the
  taxonomy only grows by admin action.
Copies are per `Database` (tests and tools may open several in one process).
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from hub.db.driver import Database
from hub.reference import store
from hub.reference.model import Park, Taxonomy

TTL_S = 30.0
T = TypeVar("T")


@dataclass
class _Slot(Generic[T]):
    """One value, the time it was read, and the read under way (if any)."""

    value: T | None = None
    read_at: float = 0.0
    pending: asyncio.Task[T] | None = None
    generation: int = 0


class SharedValue(Generic[T]):
    """A value read at most once at a time, kept `ttl_s` seconds or until invalidated."""

    def __init__(self, read: Callable[[], Awaitable[T]], ttl_s: float | None = None) -> None:
        self._read = read
        self._ttl_s = ttl_s  # None: the module's TTL_S, read when asked
        self._slot: _Slot[T] = _Slot()

    async def get(self) -> T:
        slot = self._slot
        ttl_s = TTL_S if self._ttl_s is None else self._ttl_s
        if slot.value is not None and time.monotonic() - slot.read_at < ttl_s:
            return slot.value
        pending = slot.pending
        if pending is None or pending.get_loop() is not asyncio.get_running_loop():
            pending = asyncio.ensure_future(self._refresh(slot.generation))
            slot.pending = pending
        # shield: a cancelled caller must not cancel the read the others await
        return await asyncio.shield(pending)

    async def _refresh(self, generation: int) -> T:
        slot = self._slot
        try:
            value = await self._read()
            if slot.generation == generation:  # not invalidated while reading
                slot.value, slot.read_at = value, time.monotonic()
            return value
        finally:
            if slot.pending is asyncio.current_task():
                slot.pending = None

    def invalidate(self) -> None:
        """Forget the copy; a read under way is not kept (it may predate the change)."""
        slot = self._slot
        slot.value, slot.generation, slot.pending = None, slot.generation + 1, None


class ReferenceCache:
    """The taxonomy and the parks of one database."""

    def __init__(self, db: Database) -> None:
        self.taxonomy: SharedValue[Taxonomy] = SharedValue(lambda: db.read(store.taxonomy))
        self.parks: SharedValue[dict[str, Park]] = SharedValue(lambda: _parks(db))

    def invalidate(self) -> None:
        self.taxonomy.invalidate()
        self.parks.invalidate()


async def _parks(db: Database) -> dict[str, Park]:
    return {p.code: p for p in await db.read(store.parks, None)}


_caches: weakref.WeakKeyDictionary[Database, ReferenceCache] = weakref.WeakKeyDictionary()


def of(db: Database) -> ReferenceCache:
    """The process's cache for `db`."""
    cache = _caches.get(db)
    if cache is None:
        cache = _caches[db] = ReferenceCache(db)
    return cache


def invalidate(db: Database) -> None:
    """After a change of reference data made through `db` (in this process)."""
    cache = _caches.get(db)
    if cache is not None:
        cache.invalidate()


def invalidate_all() -> None:
    """Forget every copy of the process (after reference data was loaded, e.g. a seed)."""
    for cache in list(_caches.values()):
        cache.invalidate()
