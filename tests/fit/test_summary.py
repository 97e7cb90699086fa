"""Fit summaries are kept by every write that changes them, and the migration that
filled them for existing data is the same refresh."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.db.driver import Database, Tx
from hub.fit.summary import REFRESH_ALL, refresh_all
from hub.identity.model import Principal, Role, RoleKind
from hub.registry import service as registry
from hub.routing import service
from tests import factories
from tests.fit.common import OFFERING, REQUESTER, UNIT, pending, publish
from tests.registry import sample

MIGRATION = Path(__file__).parents[2] / "graph" / "migrations" / "0009_fit_summaries.cypher"
STARTUP = Principal(
    id="p-startup",
    handle="cmc@startup.test",
    roles=frozenset({Role(RoleKind.REQUESTER, REQUESTER)}),
)
PROVIDER = Principal(
    id="p-provider",
    handle="qa@provider.test",
    roles=frozenset({Role(RoleKind.PROVIDER, sample.USCC)}),
)
WEEK = date(2027, 1, 4)
SUMMARIES = "MATCH (x:Fit) RETURN x {.*, refreshed_at: null} AS fit ORDER BY x.offering_id"


def test_the_migration_backfills_with_the_same_refresh() -> None:
    assert REFRESH_ALL.strip() in MIGRATION.read_text()


async def _summaries(tx: Tx) -> list[dict[str, Any]]:
    return [dict(r["fit"]) for r in await tx.records(SUMMARIES)]


async def _recomputed(tx: Tx) -> list[dict[str, Any]]:
    await refresh_all(tx)
    return await _summaries(tx)


async def _kept(db: Database) -> dict[str, Any]:
    """The summary as the writes left it, after checking a full recompute agrees."""
    kept = await db.read(_summaries)
    assert kept == await db.write(_recomputed)
    [fit] = [f for f in kept if f["offering_id"] == OFFERING]
    return fit


@pytest.fixture
async def provider(clean: Database) -> Database:
    await sample.load(clean)
    await factories.organization(clean, 8)
    return clean


async def test_every_write_keeps_the_summary(provider: Database) -> None:
    fit = await _kept(provider)
    assert fit["bucket_ids"] == [] and fit["cert_authority"] == ["nmpa_licence"]

    await publish(
        provider, OFFERING, [("week", WEEK, 4000.0), ("week", WEEK + timedelta(weeks=1), 4000.0)]
    )
    fit = await _kept(provider)
    assert fit["bucket_free"] == [4000.0, 4000.0] and len(fit["cover_start"]) == 1

    bucket = fit["bucket_ids"][0]
    await registry.adjust_capacity(provider, PROVIDER, bucket, 3000.0)
    assert (await _kept(provider))["bucket_free"] == [3000.0, 4000.0]

    await pending(
        provider,
        "sum-r1",
        OFFERING,
        capability="BIO.USP",
        quantity=1000.0,
        unit=UNIT,
        start=WEEK,
        end=WEEK + timedelta(days=6),
        grade="gmp_clinical",
        authorities=[],
    )
    await service.award(provider, STARTUP, "sum-r1", "sum-r1-m")
    assert (await _kept(provider))["bucket_free"] == [2000.0, 4000.0]

    await service.cancel(provider, STARTUP, "sum-r1")
    assert (await _kept(provider))["bucket_free"] == [3000.0, 4000.0]

    number = "nmpa_licence/京2025" + sample.USCC[-6:]
    await registry.retire(provider, PROVIDER, "certificate", number)
    assert (await _kept(provider))["cert_authority"] == []

    saved = {**sample.rows()["offerings"][0], "capability": "BIO.USP.PRF", "equipment": ""}
    await registry.save(provider, PROVIDER, "offering", saved)
    assert (await _kept(provider))["bucket_free"] == [3000.0, 4000.0]
