"""The threads that read and check import files: their own small pool, so that imports
can never take the threads GraphQL and the rest of the hub run blocking work on.

An import's CPU work (reading a file, checking its rows) runs here with a `Stop` it looks
at every few hundred lines. When the coroutine awaiting it is cancelled (the caller went
away, the deadline passed, Ctrl-C), the Stop is set and the coroutine waits for the
thread to notice, so a stopped import leaves no thread behind still working for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from hub.imports.readers import Stop

WORKERS = 2  # imports reading or checking at once, in one hub process; others queue
T = TypeVar("T")

_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="hub-import")


async def in_worker(stop: Stop, work: Callable[[], T]) -> T:
    """`work()` on an import thread; cancelled, it is stopped and waited for."""
    job = _pool.submit(work)
    done = asyncio.wrap_future(job)
    try:
        return await asyncio.shield(done)
    except asyncio.CancelledError:
        stop.set()
        if not job.cancel():  # started: it stops at its next look at the Stop
            await asyncio.wait({done})
            if not done.cancelled():
                done.exception()  # Stopped, most likely: taken, so that it is not logged
        raise
