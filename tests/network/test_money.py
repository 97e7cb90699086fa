"""No money figure a park operator sees can be differenced into one engagement's price.

Every scope the API lets an operator of parks A and B ask for is enumerated: the parks
(A, B, both; a region or no parks name both again), every capability branch (one code
per class of codes selecting the same engagements), every set of organization kinds,
and every start and end day (one day per class of days selecting the same engagement
windows; pairs the API refuses are left out). For each money figure shown (the total
value, each edge's value), the engagements it sums are worked out; two figures whose
engagements differ by exactly one (or one figure over a single engagement, since an
empty sum is 0) would give that engagement's price.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx

from hub.db.driver import Database
from hub.errors import InvalidInput
from hub.identity.model import Principal, Role, RoleKind
from hub.network import access, graph, store
from hub.network.coverage import ancestors
from hub.network.graph import pair
from hub.network.model import Engagement, Member, Scope
from hub.reference import store as reference_store
from hub.reference.model import Park, Taxonomy
from hub.registry.model import OrgKind
from tests.network import sample
from tests.network.conftest import Callers, park_network

OPERATOR = Principal(
    id="ops-ab",
    handle="ops-ab@park.test",
    roles=frozenset({Role(RoleKind.OPERATOR, sample.A), Role(RoleKind.OPERATOR, sample.B)}),
)
WINDOW = timedelta(days=27)  # sample requests: need_by = earliest_start + 27 days
DAY = timedelta(days=1)


def _engaged_capabilities() -> set[str]:
    return {cap for _, _, cap, status, *_ in sample.REQUESTS if status in ("awarded", "completed")}


def _branches(taxonomy: Taxonomy) -> list[str | None]:
    """No branch, and one code for each set of engaged capabilities a branch selects."""
    engaged = _engaged_capabilities()
    classes: dict[frozenset[str], str] = {}
    for code in sorted(taxonomy.nodes):
        under = frozenset(c for c in engaged if code in ancestors(c, taxonomy))
        classes.setdefault(under, code)
    return [None, *classes.values()]


def _days() -> tuple[list[date | None], list[date | None]]:
    """One start and one end per class of days selecting the same engagement windows:
    none (every window), and the day after each window's end / before each one's start."""
    firsts = sorted({date.fromisoformat(r[7]) for r in sample.REQUESTS})
    starts: list[date | None] = [None, *(d + WINDOW + DAY for d in firsts)]
    ends: list[date | None] = [None, *(d - DAY for d in firsts)]
    return starts, ends


def _kinds() -> Iterator[tuple[OrgKind, ...]]:
    kinds = list(OrgKind)
    for n in range(len(kinds) + 1):
        yield from itertools.combinations(kinds, n)


def _summed(engagements: list[Engagement]) -> dict[str, frozenset[str]]:
    """Each money figure of the network and the engagements it sums."""
    by_pair: dict[str, set[str]] = {}
    for e in engagements:
        if e.requester.uscc != e.provider.uscc:
            a, b = pair(e.requester.uscc, e.provider.uscc)
            by_pair.setdefault(f"collaborated_with:{a}:{b}", set()).add(e.request_id)
    figures = {edge: frozenset(ids) for edge, ids in by_pair.items()}
    figures["total"] = frozenset(i for ids in by_pair.values() for i in ids)
    return figures


class Asker:
    """The money figures the operator is shown for a scope, read as `parkNetwork` reads
    them (the scope authorized and validated, members and engagements from Neo4j, the
    network built), members read once per parks and kinds."""

    def __init__(self, db: Database, every_park: dict[str, Park], taxonomy: Taxonomy) -> None:
        self.db, self.every_park, self.taxonomy = db, every_park, taxonomy
        self._members: dict[str, list[Member]] = {}

    def scope(self, filters: dict[str, Any]) -> Scope | None:
        codes = access.parks_in_scope(OPERATOR, self.every_park, filters["parks"], None)
        try:
            return access.scope(
                OPERATOR, codes, self.taxonomy, filters["branch"], filters["kinds"],
                filters["start"], filters["end"],
            )  # fmt: skip
        except InvalidInput:
            return None  # refused by the API

    async def shown_sums(self, scope: Scope) -> set[frozenset[str]]:
        """The engagement sets of the money figures shown."""
        key = f"{scope.parks}/{scope.kinds}"
        if key not in self._members:
            self._members[key] = await self.db.read(store.members, scope)
        members = self._members[key]
        ids = [m.uscc for m in members]
        engagements = await self.db.read(store.engagements, scope, ids)
        network = graph.build(scope, members, [], engagements, self.every_park, self.taxonomy)
        sums = _summed(engagements)
        shown = {sums["total"]} if network.total_value is not None else set()
        shown |= {sums[e.id] for e in network.edges if e.value is not None}
        return shown


def _batches(scopes: list[Scope], size: int) -> Iterator[list[Scope]]:
    for i in range(0, len(scopes), size):
        yield scopes[i : i + size]


def _scopes(taxonomy: Taxonomy) -> Iterator[dict[str, Any]]:
    starts, ends = _days()
    for parks, branch, kinds, start, end in itertools.product(
        ([sample.A], [sample.B], [sample.A, sample.B]),
        _branches(taxonomy),
        _kinds(),
        starts,
        ends,
    ):
        yield {"parks": parks, "branch": branch, "kinds": kinds, "start": start, "end": end}


async def test_no_two_filters_difference_into_one_engagements_price(network: Database) -> None:
    taxonomy = await network.read(reference_store.taxonomy)
    every_park = {p.code: p for p in await network.read(reference_store.parks, None)}
    asker = Asker(network, every_park, taxonomy)
    scopes = [s for s in map(asker.scope, _scopes(taxonomy)) if s is not None]
    assert len(scopes) > 1000  # every class of every filter, combined
    shown: set[frozenset[str]] = {frozenset()}  # an empty sum is known: 0
    for batch in _batches(scopes, 8):
        for found in await asyncio.gather(*map(asker.shown_sums, batch)):
            shown |= found
    isolating = [
        (sorted(small), sorted(large - small))
        for small, large in itertools.permutations(shown, 2)
        if small < large and len(large - small) == 1
    ]
    assert isolating == []


async def test_operators_get_counts_and_admins_the_values(
    app_client: httpx.AsyncClient, callers: Callers
) -> None:
    fields = "engagements totalValue edges { value } json csv(table: EDGES)"
    early = {"start": "2019-01-01"}  # the difference of issue 13: E7 alone
    late = {"start": "2025-07-01"}
    operator = [
        await park_network(app_client, callers.operator, fields, filter=f) for f in (early, late)
    ]
    assert [d["engagements"] for d in operator] == [7, 6]
    for data in operator:
        assert data["totalValue"] is None
        assert all(e["value"] is None for e in data["edges"])
        assert data["json"]["data"]["total_value"] is None
        assert all(e["data"].get("value") is None for e in data["json"]["elements"]["edges"])
    scope = {"parks": [sample.A]}
    admin = [
        await park_network(app_client, callers.admin, fields, scope=scope, filter=f)
        for f in (early, late)
    ]
    assert [d["totalValue"] for d in admin] == [1020, 520]  # E7 (500) is in the first only
