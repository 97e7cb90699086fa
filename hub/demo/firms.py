"""The demo network: 84 fictional firms on the real parks of 京津冀, loaded by `hub seed demo`.

The firms follow PARK_MIX (hub/demo/archetypes.py): discovery, preclinical, CMC,
biologics R&D and clinical work in Beijing; API plants in Cangzhou, Shijiazhuang and
Tianjin; cell therapy in Tianjin Binhai Hi-Tech; vaccines in Daxing; a few requester
startups; and 24 completed past engagements between them (the track record routing
scores). Everything is fixed by SEED and dated_rows.ANCHOR, so a second load changes
nothing and writes no audit record.
"""

from __future__ import annotations

from datetime import date, timedelta

from hub.audit.log import Actor
from hub.db.driver import Database
from hub.demo import fictional, generate
from hub.demo.archetypes import ARCHETYPES, PARK_MIX
from hub.demo.history import PastEngagement, load_past_engagements

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


PAST_ENGAGEMENTS = 24


def past_engagements(rows: generate.Rows, ctx: generate.Context) -> list[PastEngagement]:
    """Completed engagements of 2025-2026 between demo requesters and providers."""
    rng = fictional.stream(f"demo/{SEED}/engagements")
    requesters = [r["uscc"] for r in rows["organizations"] if r["kind"] in ("requester", "both")]
    made = []
    for n in range(1, PAST_ENGAGEMENTS + 1):
        requester = rng.choice(requesters)
        offering = rng.choice([o for o in rows["offerings"] if o["uscc"] != requester])
        capability = str(offering["capability"])
        node = ctx.reference.taxonomy.nodes[capability]
        start = date(2025, 3, 3) + timedelta(weeks=rng.randrange(0, 70))
        made.append(
            PastEngagement(
                id=f"demo-engagement-{n:02d}",
                title=f"{node.name_zh} / {node.name_en}",
                requester=requester,
                provider=str(offering["uscc"]),
                offering_id=f"{offering['uscc']}/{offering['site']}/{offering['offering']}",
                capability=capability,
                unit=str(node.unit),
                quantity=float(offering["scale_min"]),
                start=start,
                end=start + timedelta(weeks=rng.choice([4, 8, 12])),
                gmp_grade=str(offering["gmp_grade"]),
                on_time=rng.random() < 0.8,
                rating=rng.choice([3, 4, 4, 5, 5]),
                price_cny=float(rng.randrange(20, 400) * 10_000),
            )
        )
    return made


async def load_demo(db: Database) -> dict[str, int]:
    """Load (or confirm) the demo network; returns how many entities of each kind it holds."""
    ctx = await db.read(generate.context)
    rows = demo_rows(ctx)
    network = generate.validate(rows, ctx.reference)
    await generate.write(db, network, ACTOR)
    engagements = await load_past_engagements(db, past_engagements(rows, ctx))
    return {**network.counts(), "past engagements": engagements}
