"""A gap in published capacity is never hidden by overlapping buckets.

A week bucket with day buckets published inside it, then a week with nothing: a window
over both weeks is not covered, though the overlap time added up exceeds the window.
Search, matching and the award all say no.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from hub.db.driver import Database, Tx
from hub.errors import Conflict
from hub.identity.model import Principal, Role, RoleKind
from hub.registry.model import GmpGrade
from hub.registry.store.search import OfferingFilter, search
from hub.routing import service
from hub.routing.matching import assess
from hub.routing.model import Constraint, Need
from tests import factories
from tests.fit.common import OFFERING, REQUESTER, UNIT, pending, publish
from tests.registry import sample

WEEK_1 = date(2027, 1, 4)
WEEK_2 = WEEK_1 + timedelta(weeks=1)  # nothing published
LAST_DAY = WEEK_2 + timedelta(days=6)
NEED = Need(
    requester=REQUESTER,
    capability="BIO.USP",
    quantity=1000,
    unit=UNIT,
    earliest_start=WEEK_1,
    need_by=LAST_DAY,
    gmp_grade=GmpGrade.GMP_CLINICAL,
)
STARTUP = Principal(
    id="p-startup",
    handle="cmc@startup.test",
    roles=frozenset({Role(RoleKind.REQUESTER, REQUESTER)}),
)


@pytest.fixture
async def gap(clean: Database) -> Database:
    """Week 1 as a week bucket and as seven day buckets (14 days of overlap time in a
    14-day window); week 2 unpublished."""
    await sample.load(clean)
    await factories.organization(clean, 8)
    days = [("day", WEEK_1 + timedelta(days=i), 4000.0) for i in range(7)]
    await publish(clean, OFFERING, [("week", WEEK_1, 4000.0), *days])
    return clean


async def _searched(tx: Tx, last_day: date) -> list[str]:
    where = OfferingFilter(capability="BIO.USP", start=WEEK_1, end=last_day, spare=1000)
    return [found.offering.id for found in await search(tx, where, 10, None)]


async def test_search_does_not_find_an_offering_with_a_gap(gap: Database) -> None:
    assert await gap.read(_searched, LAST_DAY) == []


async def test_matching_names_the_gap(gap: Database) -> None:
    [assessed] = await gap.read(assess, NEED)
    [failure] = assessed.failures
    assert failure.constraint is Constraint.CAPACITY
    assert "only part of" in failure.message_en


async def test_the_award_is_refused(gap: Database) -> None:
    await pending(
        gap,
        "gap-r1",
        OFFERING,
        capability="BIO.USP",
        quantity=1000.0,
        unit=UNIT,
        start=WEEK_1,
        end=LAST_DAY,
        grade="gmp_clinical",
        authorities=[],
    )
    with pytest.raises(Conflict) as refused:
        await service.award(gap, STARTUP, "gap-r1", "gap-r1-m")
    assert refused.value.field == "capacity"


async def test_the_same_buckets_cover_a_window_inside_week_one(gap: Database) -> None:
    """The control: without the gap, all three say yes."""
    week_1_end = WEEK_1 + timedelta(days=6)
    assert await gap.read(_searched, week_1_end) == [OFFERING]
    [assessed] = await gap.read(assess, dataclasses.replace(NEED, need_by=week_1_end))
    assert assessed.failures == ()
    await pending(
        gap,
        "gap-r2",
        OFFERING,
        capability="BIO.USP",
        quantity=1000.0,
        unit=UNIT,
        start=WEEK_1,
        end=WEEK_1 + timedelta(days=6),
        grade="gmp_clinical",
        authorities=[],
    )
    await service.award(gap, STARTUP, "gap-r2", "gap-r2-m")
