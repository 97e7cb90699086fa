"""A synthetic network of any size up to 50,000 fictional firms, for tests and benchmarks.

The same `orgs` and `seed` give the same network: each firm draws from its own random
stream (seed and index), so a firm does not depend on the batch it is written in. Firms
are generated, validated and written a batch at a time (sites, equipment, offerings,
certificates and capacity with them, one transaction per batch), which bounds both the
process's memory and the transaction's size.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from random import Random

from hub.audit.log import Actor
from hub.db.driver import Database
from hub.demo import fictional, generate
from hub.demo.archetypes import ARCHETYPES, PARK_MIX

ACTOR = Actor("seed:synthetic")
BATCH = 500  # firms per transaction: about 34,000 entities, as many audit records
PARK_WEIGHTS = {park: sum(mix.values()) for park, mix in PARK_MIX.items()}

Progress = Callable[[int], None]  # told how many firms are written so far


def firm(index: int, serial: int, seed: int, ctx: generate.Context) -> tuple[generate.Firm, Random]:
    """The index-th firm of the network drawn by `seed`, and its random stream."""
    rng = fictional.stream(f"synthetic/{seed}/{index}")
    [park_code] = rng.choices(list(PARK_WEIGHTS), weights=list(PARK_WEIGHTS.values()))
    mix = PARK_MIX[park_code]
    [key] = rng.choices(list(mix), weights=list(mix.values()))
    park = ctx.parks[park_code]
    fei = f"998{serial:07d}"
    who = fictional.identity(
        park, fictional.synthetic_serial(seed, serial), fei, fictional.brand(rng)
    )
    return generate.Firm(who, ARCHETYPES[key], park), rng


def batch_rows(
    seed: int, serials: list[int], start: int, stop: int, ctx: generate.Context
) -> generate.Rows:
    rows = generate.empty_rows()
    for index in range(start, stop):
        generate.add_firm(rows, *firm(index, serials[index], seed, ctx), ctx)
    return rows


def _network(
    seed: int, serials: list[int], start: int, stop: int, ctx: generate.Context
) -> generate.Network:
    return generate.validate(batch_rows(seed, serials, start, stop, ctx), ctx.reference)


async def load_synthetic(
    db: Database,
    orgs: int,
    seed: int,
    *,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the network of `orgs` firms drawn by `seed`; returns the entities per kind.

    The next batch is generated in a thread while the database writes the current one.
    """
    ctx = await db.read(generate.context)
    serials = fictional.synthetic_serials(seed, orgs)
    spans = [(start, min(orgs, start + batch)) for start in range(0, orgs, batch)]

    def drawn(n: int) -> asyncio.Task[generate.Network]:
        start, stop = spans[n]
        return asyncio.create_task(asyncio.to_thread(_network, seed, serials, start, stop, ctx))

    counts: dict[str, int] = {}
    upcoming = drawn(0) if spans else None
    try:
        for n, (_, stop) in enumerate(spans):
            assert upcoming is not None
            network = await upcoming
            upcoming = drawn(n + 1) if n + 1 < len(spans) else None
            await generate.write(db, network, ACTOR)
            for kind, found in network.counts().items():
                counts[kind] = counts.get(kind, 0) + found
            if progress is not None:
                progress(stop)
    finally:
        if upcoming is not None:
            upcoming.cancel()
            await asyncio.wait({upcoming})
    return counts
