"""Matching: each hard constraint alone turns a candidate into a near-miss naming it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from hub.db.driver import Database, Tx, counting_round_trips
from hub.fit.summary import refresh_all
from hub.registry.model import Authority, GmpGrade
from hub.routing.matching import assess
from hub.routing.model import Assessment, Constraint, Need
from tests import factories
from tests.registry import sample

OFFERING = f"{sample.USCC}/yz-1/mab-usp"
NEED = Need(
    requester=factories.uscc(8),
    capability="BIO",
    quantity=2000,
    unit="bioreactor_l_batch",
    earliest_start=date(2027, 1, 4),
    need_by=date(2027, 1, 31),
    gmp_grade=GmpGrade.GMP_CLINICAL,
    authorities=(Authority.NMPA_LICENCE,),
)


@pytest.fixture
async def provider(clean: Database) -> Database:
    await sample.load(clean, capacity_weeks=8)
    return clean


async def only(db: Database, need: Need) -> Assessment:
    [found] = await db.read(assess, need)
    assert found.offering_id == OFFERING
    return found


async def test_a_provider_that_fits_is_a_candidate_with_its_evidence(provider: Database) -> None:
    with counting_round_trips() as queries:
        found = await only(provider, NEED)
    assert len(queries) == 1
    assert found.failures == ()
    assert found.evidence.capability == "BIO.USP.FB"
    assert found.evidence.site_id == f"{sample.USCC}/yz-1"
    assert found.evidence.park == "BJ-ETOWN"
    assert found.evidence.certificate_ids == (f"nmpa_licence/京2025{sample.USCC[-6:]}",)
    assert len(found.evidence.bucket_ids) == 4
    assert found.min_free == 4000


async def _near_miss(db: Database, need: Need) -> tuple[Constraint, str, str]:
    [failure] = (await only(db, need)).failures
    return failure.constraint, failure.message_en, failure.message_zh


async def test_scale(provider: Database) -> None:
    constraint, en, zh = await _near_miss(provider, dataclasses.replace(NEED, quantity=150))
    assert constraint is Constraint.SCALE
    assert "200–4000" in en and "150" in en and "不能承接 150" in zh


async def test_gmp_grade(provider: Database) -> None:
    need = dataclasses.replace(NEED, gmp_grade=GmpGrade.GMP_COMMERCIAL)
    constraint, en, _ = await _near_miss(provider, need)
    assert constraint is Constraint.GMP_GRADE
    assert "gmp_clinical" in en


async def test_a_missing_certificate(provider: Database) -> None:
    need = dataclasses.replace(NEED, authorities=(Authority.NMPA_LICENCE, Authority.EU_GMP))
    constraint, en, zh = await _near_miss(provider, need)
    assert constraint is Constraint.CERTIFICATE
    assert en == "no EU GMP certificate covers this site and capability"
    assert "欧盟 GMP 证书" in zh


async def _ends(tx: Tx, day: date) -> None:
    await tx.run("MATCH (c:Certificate) SET c.valid_to = $day", day=day)
    await refresh_all(tx)


async def test_a_certificate_ending_before_the_need_by_date(provider: Database) -> None:
    await provider.write(_ends, date(2027, 1, 15))
    constraint, en, zh = await _near_miss(provider, NEED)
    assert constraint is Constraint.CERTIFICATE
    assert "ends 2027-01-15, before the need-by date 2027-01-31" in en
    assert "于 2027-01-15 到期" in zh


async def _reserve_second_week(tx: Tx) -> None:
    await tx.run("MATCH (b:CapacityBucket) WHERE b.start.week = 2 SET b.reserved = 2500.0")
    await refresh_all(tx)


async def test_a_period_without_enough_free_capacity(provider: Database) -> None:
    await provider.write(_reserve_second_week)
    constraint, en, _ = await _near_miss(provider, NEED)
    assert constraint is Constraint.CAPACITY
    assert en == "the period from 2027-01-11 has 1500 bioreactor_l_batch free, 2000 needed"


async def test_a_window_past_the_published_capacity(provider: Database) -> None:
    need = dataclasses.replace(NEED, need_by=date(2027, 3, 31))
    constraint, en, _ = await _near_miss(provider, need)
    assert constraint is Constraint.CAPACITY
    assert "only part of 2027-01-04 – 2027-03-31" in en


async def test_distance(provider: Database) -> None:
    need = dataclasses.replace(NEED, origin=(39.03, 117.71), max_distance_km=50)  # from TEDA
    constraint, en, _ = await _near_miss(provider, need)
    assert constraint is Constraint.DISTANCE
    assert "more than the 50 km allowed" in en


async def test_two_failures_are_no_near_miss(provider: Database) -> None:
    need = dataclasses.replace(NEED, quantity=150, gmp_grade=GmpGrade.GMP_COMMERCIAL)
    assert await provider.read(assess, need) == []


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("BIO", True),
        ("BIO.USP", True),
        ("BIO.USP.FB", True),
        ("BIO.USP.PRF", False),
        ("API", False),
    ],
)
async def test_capability_subsumption(provider: Database, code: str, found: bool) -> None:
    assessed = await provider.read(assess, dataclasses.replace(NEED, capability=code))
    assert bool(assessed) is found


async def test_the_requester_is_never_matched_to_itself(provider: Database) -> None:
    assert await provider.read(assess, dataclasses.replace(NEED, requester=sample.USCC)) == []


async def test_a_retired_offering_is_not_matched(provider: Database) -> None:
    async def retire(tx: Tx) -> None:
        await tx.run("MATCH (f:Offering) SET f.active = false")

    await provider.write(retire)
    assert await provider.read(assess, NEED) == []
