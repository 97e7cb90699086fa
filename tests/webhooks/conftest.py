"""Webhook tests: the routing network, a live local receiver, and dispatchers started on
purpose (the shared hubs of the test session deliver none)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from hub.config import Settings
from hub.db.driver import Database
from hub.webhooks.dispatcher import Dispatcher
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.stop()


@contextlib.asynccontextmanager
async def dispatching(db: Database, settings: Settings, count: int = 1) -> AsyncIterator[None]:
    """`count` dispatchers (as in `count` hub processes) running in the background."""
    async with contextlib.AsyncExitStack() as stack:
        tasks = []
        for _ in range(count):
            http = await stack.enter_async_context(httpx.AsyncClient(follow_redirects=False))
            tasks.append(asyncio.create_task(Dispatcher(db, http, settings).run_forever()))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
