"""Two callers deciding on one natural key at once: one registration of a new USCC wins
and the others are told CONFLICT naming `uscc`; one organization holds a certificate
number and the others are told CONFLICT naming `number`. Checked over many rounds of
concurrent calls, each in its own transaction, released together."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from hub.db.driver import Database, Tx
from hub.errors import Conflict
from hub.identity import service as identity
from hub.identity.model import Principal, Role, RoleKind
from hub.registry import service
from tests import factories

ROUNDS = 20
CALLERS = 10
ADMIN = Principal(id="admin-races", handle="root@races", roles=frozenset({Role(RoleKind.ADMIN)}))
T = TypeVar("T")


async def together(calls: list[Callable[[], Awaitable[T]]]) -> list[T | BaseException]:
    """Run the calls concurrently, all released by one event once every one is waiting."""
    go = asyncio.Event()
    ready = 0

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        nonlocal ready
        ready += 1
        if ready == len(calls):
            go.set()
        await go.wait()
        return await call()

    return await asyncio.gather(*(one(c) for c in calls), return_exceptions=True)


def _conflicts(results: list[Any], field: str) -> int:
    unexpected = [
        r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)
    ]
    assert unexpected == [], unexpected
    return sum(1 for r in results if isinstance(r, Conflict) and r.field == field)


async def _organization_facts(tx: Tx, uscc: str) -> dict[str, Any]:
    row = await tx.single(
        """
        MATCH (o:Organization {uscc: $uscc})
        RETURN o.name_en AS name,
               COUNT { MATCH (p:Principal)-[:MEMBER_OF]->(o) RETURN DISTINCT p } AS members,
               COUNT { MATCH (a:AuditRecord {entity: 'Organization', key: $uscc}) } AS audited
        """,
        uscc=uscc,
    )
    assert row is not None
    return dict(row)


async def test_one_of_many_concurrent_registrations_of_a_new_uscc_wins(clean: Database) -> None:
    callers: list[Principal] = []
    for n in range(CALLERS):
        secret = await factories.token(clean, f"founder{n}@races.example")
        callers.append(await identity.authenticate(clean, secret))
    for round_ in range(ROUNDS):
        uscc = factories.uscc(5000 + round_)

        def registering(
            n: int, caller: Principal, uscc: str = uscc
        ) -> Callable[[], Awaitable[Any]]:
            raw = {"uscc": uscc, "name_zh": f"竞争{n}", "name_en": f"Racer {n}", "kind": "both"}
            return lambda: service.register_organization(clean, caller, raw)

        results = await together([registering(n, c) for n, c in enumerate(callers)])
        won = [r for r in results if not isinstance(r, BaseException)]
        assert len(won) == 1, f"round {round_}: {len(won)} registrations succeeded"
        assert _conflicts(results, "uscc") == CALLERS - 1
        facts = await clean.read(_organization_facts, uscc)
        organization, _ = won[0]
        assert facts == {"name": organization.name_en, "members": 1, "audited": 1}, round_


async def _site(n: int) -> dict[str, Any]:
    return {
        "uscc": factories.uscc(n),
        "site": "s1",
        "name_zh": f"厂区{n}",
        "name_en": f"Plant {n}",
        "address": "示例路1号",
        "city": "北京",
        "lat": 39.8,
        "lon": 116.5,
    }


async def _holders(tx: Tx, certificate_id: str) -> dict[str, Any]:
    row = await tx.single(
        """
        MATCH (c:Certificate {id: $id})
        RETURN c.uscc AS uscc,
               [(o:Organization)-[:HOLDS]->(c) | o.uscc] AS holders,
               [(c)-[:COVERS_SITE]->(s:Site) | s.uscc] AS covered,
               COUNT { MATCH (a:AuditRecord {entity: 'Certificate', key: $id}) } AS audited
        """,
        id=certificate_id,
    )
    assert row is not None
    return dict(row)


async def test_one_of_many_organizations_saving_one_certificate_at_once_holds_it(
    clean: Database,
) -> None:
    firms = [await factories.organization(clean, 6000 + n) for n in range(CALLERS)]
    for n in range(CALLERS):
        await service.save(clean, ADMIN, "site", await _site(6000 + n))
    for round_ in range(ROUNDS):
        number = f"RACE-{round_}"

        def saving(uscc: str, number: str = number) -> Callable[[], Awaitable[Any]]:
            raw = {
                "uscc": uscc,
                "authority": "nmpa_gmp",
                "number": number,
                "valid_from": "2026-01-01",
                "sites": ["s1"],
                "capabilities": ["BIO.USP"],
            }
            return lambda: service.save(clean, ADMIN, "certificate", raw)

        results = await together([saving(uscc) for uscc in firms])
        won = [r for r in results if not isinstance(r, BaseException)]
        assert len(won) == 1, f"round {round_}: {len(won)} saves succeeded"
        assert _conflicts(results, "number") == CALLERS - 1
        facts = await clean.read(_holders, f"nmpa_gmp/{number}")
        winner = won[0].uscc
        assert facts == {"uscc": winner, "holders": [winner], "covered": [winner], "audited": 1}
