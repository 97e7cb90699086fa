"""The demo network: 84 fictional firms on the real parks of 京津冀, loaded by `hub seed demo`.

The firms follow PARK_MIX (hub/registry/archetypes.py): discovery, preclinical, CMC,
biologics R&D and clinical work in Beijing; API plants in Cangzhou, Shijiazhuang and
Tianjin; cell therapy in Tianjin Binhai Hi-Tech; vaccines in Daxing; a few requester
startups. Everything is fixed by SEED and anchored.ANCHOR, so a second load changes
nothing and writes no audit record.
"""

from __future__ import annotations

from hub.db.driver import Database
from hub.registry import fictional, generate
from hub.registry.archetypes import ARCHETYPES, PARK_MIX
from hub.registry.changes import Actor

SEED = 20261201
ACTOR = Actor("seed:demo")


def roster() -> list[tuple[str, str]]:
    """(park, archetype) of every demo firm, in a fixed order."""
    return [
        (park, archetype)
        for park, mix in PARK_MIX.items()
        for archetype, count in mix.items()
        for _ in range(count)
    ]


def demo_rows(ctx: generate.Context) -> generate.Rows:
    """The demo network as raw rows; each firm draws from its own random stream."""
    brands = fictional.brands()
    # Shuffled, so that neighbours in a park do not share the first character of their names.
    fictional.stream(str(SEED)).shuffle(brands)
    rows = generate.empty_rows()
    for n, (park_code, key) in enumerate(roster(), start=1):
        park = ctx.parks[park_code]
        who = fictional.identity(park, fictional.demo_serial(n), f"999{n:07d}", brands[n - 1])
        firm = generate.Firm(who, ARCHETYPES[key], park)
        generate.add_firm(rows, firm, fictional.stream(f"demo/{SEED}/{n}"), ctx)
    return rows


async def load_demo(db: Database) -> dict[str, int]:
    """Load (or confirm) the demo network; returns how many entities of each kind it holds."""
    ctx = await db.read(generate.context)
    network = generate.validate(demo_rows(ctx), ctx.reference)
    await generate.write(db, network, ACTOR)
    return network.counts()
