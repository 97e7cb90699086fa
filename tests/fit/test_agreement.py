"""Search, matching and the award check agree, with each other and with a brute-force
oracle, on every offering of a generated network and many windows and quantities.

The network (seeded, so the same every run): three providers, each with several offerings
beneath BIO.USP at various grades and scales; certificates of two authorities with various
windows, capabilities and states; week buckets with day buckets published inside some of
them (overlapping) and weeks left out; part of the capacity reserved by real awards, one
award cancelled, one certificate retired, one bucket adjusted. Everything is written
through the hub's own write paths, so the fit summaries are the ones they keep.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from hub.audit.log import Actor
from hub.db.driver import Database, Tx, python_value
from hub.errors import Conflict
from hub.identity.model import Principal, Role, RoleKind
from hub.reference.store import reference
from hub.registry import rules
from hub.registry import service as registry
from hub.registry.model import GRADES_SERVING, Authority, GmpGrade
from hub.registry.store.search import OfferingFilter, search
from hub.registry.store.writes import apply
from hub.routing import service
from hub.routing.matching import assess, candidates, check
from hub.routing.model import Need
from hub.time import day_window
from tests import factories
from tests.fit.common import REQUESTER, UNIT, pending, publish
from tests.registry import sample

SEED = 20261204
PROVIDERS = [factories.uscc(1001), factories.uscc(1002), factories.uscc(1003)]
START = date(2027, 1, 4)  # a Monday
WEEKS = 8
LEAVES = ["BIO.USP.FB", "BIO.USP.PRF"]
COVERED = ["BIO", "BIO.USP", "BIO.USP.FB", "BIO.USP.PRF"]
AUTHORITIES = [Authority.NMPA_LICENCE, Authority.EU_GMP]
GRADES = [GmpGrade.NON_GMP, GmpGrade.GMP_CLINICAL, GmpGrade.GMP_COMMERCIAL]
CASES = 120
STARTUP = Principal(
    id="p-startup",
    handle="cmc@startup.test",
    roles=frozenset({Role(RoleKind.REQUESTER, REQUESTER)}),
)


def _provider(uscc: str) -> Principal:
    return Principal(
        id="p-" + uscc, handle=f"qa@{uscc}", roles=frozenset({Role(RoleKind.PROVIDER, uscc)})
    )


def _offerings(rng: random.Random, uscc: str) -> list[dict[str, Any]]:
    return [
        {
            "uscc": uscc,
            "site": "yz-1",
            "offering": f"line-{i}",
            "capability": rng.choice(LEAVES),
            "gmp_grade": rng.choice(GRADES).value,
            "scale_min": rng.choice([100, 500, 1000]),
            "scale_max": rng.choice([2000, 3000, 4000]),
            "equipment": "",
        }
        for i in range(3)
    ]


def _certificates(rng: random.Random, uscc: str) -> list[dict[str, Any]]:
    found = []
    for i in range(4):
        first = START + timedelta(days=rng.randint(-30, 30))
        last = first + timedelta(days=rng.randint(10, 90))
        found.append(
            {
                "uscc": uscc,
                "authority": rng.choice(AUTHORITIES).value,
                "number": f"G{i}-{uscc[-6:]}",
                "valid_from": first.isoformat(),
                "valid_to": "" if rng.random() < 0.2 else last.isoformat(),
                "sites": "yz-1",
                "capabilities": rng.choice(COVERED),
                "active": "false" if rng.random() < 0.15 else "true",
            }
        )
    return found


def _periods(rng: random.Random) -> list[tuple[str, date, float]]:
    periods: list[tuple[str, date, float]] = []
    for week in range(WEEKS):
        monday = START + timedelta(weeks=week)
        shape = rng.random()
        if shape < 0.6:
            periods.append(("week", monday, rng.choice([1000.0, 2000.0, 4000.0])))
        if shape < 0.3 or 0.6 <= shape < 0.85:  # days inside a week bucket, or days alone
            days = sorted(rng.sample(range(7), rng.randint(2, 7)))
            periods += [
                ("day", monday + timedelta(days=d), rng.choice([1000.0, 3000.0])) for d in days
            ]
    return periods


async def _write_providers(db: Database, rng: random.Random) -> list[str]:
    offering_ids = []
    for uscc in PROVIDERS:
        await sample.load(db, uscc)
        offered = _offerings(rng, uscc)
        certified = _certificates(rng, uscc)

        async def work(
            tx: Tx,
            offered: list[dict[str, Any]] = offered,
            certified: list[dict[str, Any]] = certified,
        ) -> None:
            ref = await reference(tx)
            await apply(tx, [rules.offering(r, ref) for r in offered], Actor("test:fit"))
            await apply(tx, [rules.certificate(r, ref) for r in certified], Actor("test:fit"))

        await db.write(work)
        for row in offered:
            owner = f"{uscc}/yz-1/{row['offering']}"
            await publish(db, owner, _periods(rng))
            offering_ids.append(owner)
        await publish(db, f"{uscc}/yz-1/mab-usp", _periods(rng))
        offering_ids.append(f"{uscc}/yz-1/mab-usp")
    return offering_ids


async def _reserve_some(db: Database, rng: random.Random, offering_ids: list[str]) -> None:
    awarded = []
    for n in range(14):
        first = START + timedelta(days=rng.randint(0, 40))
        request_id, offering = f"fit-r{n}", rng.choice(offering_ids)
        await pending(
            db,
            request_id,
            offering,
            capability="BIO.USP",
            quantity=float(rng.choice([200, 500, 1000])),
            unit=UNIT,
            start=first,
            end=first + timedelta(days=rng.randint(0, 13)),
            grade="non_gmp",
            authorities=[],
        )
        # the pending match names the sample provider; point it at the offering's own
        await db.write(_match_provider, request_id, offering.split("/")[0])
        try:
            await service.award(db, STARTUP, request_id, request_id + "-m")
            awarded.append(request_id)
        except Conflict:
            pass
    assert awarded, "no award went through: the network reserves nothing"
    await service.cancel(db, STARTUP, awarded[0])


async def _match_provider(tx: Tx, request_id: str, uscc: str) -> None:
    await tx.run(
        "MATCH (m:Match {id: $id})-[old:ROUTED_TO]->() DELETE old "
        "WITH m MATCH (p:Organization {uscc: $uscc}) CREATE (m)-[:ROUTED_TO]->(p) "
        "SET m.uscc = $uscc",
        id=request_id + "-m",
        uscc=uscc,
    )


async def _first_bucket(tx: Tx, owner: str) -> str:
    row = await tx.single(
        "MATCH (b:CapacityBucket {owner_id: $o}) RETURN b.id AS id ORDER BY b.start, b.id LIMIT 1",
        o=owner,
    )
    assert row is not None
    return str(row["id"])


@pytest.fixture
async def generated(clean: Database) -> tuple[Database, list[str]]:
    rng = random.Random(SEED)
    await factories.organization(clean, 8)
    offering_ids = await _write_providers(clean, rng)
    await _reserve_some(clean, rng, offering_ids)
    uscc = PROVIDERS[1]
    await registry.retire(clean, _provider(uscc), "certificate", f"eu_gmp/G0-{uscc[-6:]}")
    bucket = await clean.read(_first_bucket, offering_ids[0])
    await registry.adjust_capacity(clean, _provider(PROVIDERS[0]), bucket, 5000.0)
    return clean, offering_ids


# The oracle: the rules of hub.fit.rules, brute force over the nodes themselves.


@dataclass(frozen=True)
class World:
    offerings: dict[str, dict[str, Any]]
    buckets: dict[str, list[dict[str, Any]]]
    certificates: list[dict[str, Any]]
    broader: dict[str, set[str]]  # capability -> itself and every broader code


WORLD = """
CALL () {
  MATCH (o:Organization)-[:HAS_SITE]->(s:Site)-[:OFFERS]->(f:Offering)
  RETURN collect(f {.id, .capability, .gmp_grade, .scale_min, .scale_max, .unit,
                    uscc: o.uscc, site: s.id}) AS offerings
}
CALL () {
  MATCH (f:Offering)-[:HAS_CAPACITY]->(b:CapacityBucket)
  RETURN collect(b {.owner_id, .start, .end, .total, .reserved}) AS buckets
}
CALL () {
  MATCH (o:Organization)-[:HOLDS]->(c:Certificate)
  RETURN collect(c {.authority, .valid_from, .valid_to, .active, uscc: o.uscc,
                    sites: [(c)-[:COVERS_SITE]->(s) | s.id],
                    capabilities: [(c)-[:COVERS]->(x) | x.code]}) AS certificates
}
CALL () {
  MATCH (x:Capability)-[:BROADER*0..5]->(up:Capability)
  RETURN collect([x.code, up.code]) AS broader
}
RETURN offerings, buckets, certificates, broader
"""


async def _world(tx: Tx) -> World:
    row = await tx.single(WORLD)
    assert row is not None
    buckets: dict[str, list[dict[str, Any]]] = {}
    for b in row["buckets"]:
        buckets.setdefault(b["owner_id"], []).append(
            {**b, "start": python_value(b["start"]), "end": python_value(b["end"])}
        )
    broader: dict[str, set[str]] = {}
    for code, up in row["broader"]:
        broader.setdefault(code, set()).add(up)
    certificates = [
        {**c, "valid_from": python_value(c["valid_from"]), "valid_to": python_value(c["valid_to"])}
        for c in row["certificates"]
    ]
    return World({f["id"]: dict(f) for f in row["offerings"]}, buckets, certificates, broader)


def _held(world: World, offering: dict[str, Any], authority: Authority, need: Need) -> bool:
    return any(
        c["active"]
        and c["authority"] == authority.value
        and c["uscc"] == offering["uscc"]
        and offering["site"] in c["sites"]
        and any(cap in world.broader[offering["capability"]] for cap in c["capabilities"])
        and c["valid_from"] <= need.earliest_start
        and (c["valid_to"] is None or c["valid_to"] >= need.need_by)
        for c in world.certificates
    )


def _capacity(buckets: list[dict[str, Any]], need: Need) -> bool:
    """Every day of the window inside some bucket (all bounds are China midnights), and
    every bucket overlapping the window with the quantity free."""
    start, end = day_window(need.earliest_start, need.need_by)
    overlapping = [b for b in buckets if b["start"] < end and b["end"] > start]
    if any(b["total"] - b["reserved"] < need.quantity for b in overlapping):
        return False
    days = (end - start).days
    return all(
        any(
            b["start"] <= start + timedelta(days=d) and b["end"] >= start + timedelta(days=d + 1)
            for b in overlapping
        )
        for d in range(days)
    )


def _summed_overlap_covers(buckets: list[dict[str, Any]], need: Need) -> bool:
    """What the old rule said: the overlap time, added up, reaches the window's length."""
    start, end = day_window(need.earliest_start, need.need_by)
    covered = sum(
        max(0.0, (min(b["end"], end) - max(b["start"], start)).total_seconds()) for b in buckets
    )
    return covered >= (end - start).total_seconds()


def fits(world: World, offering_id: str, need: Need) -> bool:
    f = world.offerings[offering_id]
    return (
        f["unit"] == need.unit
        and f["scale_min"] <= need.quantity <= f["scale_max"]
        and f["gmp_grade"] in GRADES_SERVING[need.gmp_grade]
        and all(_held(world, f, a, need) for a in need.authorities)
        and _capacity(world.buckets.get(offering_id, []), need)
    )


def _needs(rng: random.Random) -> list[Need]:
    found = []
    for _ in range(CASES):
        first = START + timedelta(days=rng.randint(-7, 60))
        found.append(
            Need(
                requester=REQUESTER,
                capability="BIO.USP",
                quantity=float(rng.choice([100, 500, 1000, 1500, 2500, 3500])),
                unit=UNIT,
                earliest_start=first,
                need_by=first + timedelta(days=rng.choice([0, 1, 3, 6, 9, 13, 20, 27])),
                gmp_grade=rng.choice(GRADES),
                authorities=tuple(a for a in AUTHORITIES if rng.random() < 0.35),
            )
        )
    return found


@dataclass(frozen=True)
class Answers:
    searched: set[str]
    matched: set[str]
    ranked: dict[str, str]  # provider -> its best offering
    awardable: set[str]


async def _answers(tx: Tx, need: Need, offering_ids: list[str]) -> Answers:
    where = OfferingFilter(
        capability=need.capability,
        quantity=need.quantity,
        gmp_grade=need.gmp_grade,
        authorities=list(need.authorities),
        start=need.earliest_start,
        end=need.need_by,
        spare=need.quantity,
    )
    searched = {f.offering.id for f in await search(tx, where, 100, None)}
    matched = {a.offering_id for a in await assess(tx, need) if not a.failures}
    ranked = {a.uscc: a.offering_id for a in await candidates(tx, need, set(), 20)}
    awardable = {o for o in offering_ids if await check(tx, need, o) == []}
    return Answers(searched, matched, ranked, awardable)


async def test_search_matching_and_award_agree_with_the_oracle(
    generated: tuple[Database, list[str]],
) -> None:
    db, offering_ids = generated
    world = await db.read(_world)
    seen_fit = seen_unfit = hidden_gaps = 0
    for need in _needs(random.Random(SEED + 1)):
        expected = {o for o in offering_ids if fits(world, o, need)}
        answers = await db.read(_answers, need, offering_ids)
        case = f"{need.earliest_start}–{need.need_by} ×{need.quantity:g} {need.gmp_grade}"
        assert answers.searched == expected, f"search, {case}"
        assert answers.matched == expected, f"matching, {case}"
        assert answers.awardable == expected, f"award, {case}"
        assert set(answers.ranked) == {world.offerings[o]["uscc"] for o in expected}, case
        assert all(o in expected for o in answers.ranked.values()), case
        seen_fit += len(expected)
        seen_unfit += len(offering_ids) - len(expected)
        hidden_gaps += sum(
            1
            for o in offering_ids
            if _summed_overlap_covers(world.buckets.get(o, []), need)
            and not _capacity(world.buckets.get(o, []), dataclasses.replace(need, quantity=0.0))
        )
    assert seen_fit > 20 and seen_unfit > 20, (seen_fit, seen_unfit)
    assert hidden_gaps > 0, "no case where overlapping buckets would have hidden a gap"
