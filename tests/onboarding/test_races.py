"""Fifty people registering or claiming one new USCC at once: exactly one registration
waits for verification (its registrant the only member); the other registrations are told
to claim it; each claim either finds no firm yet or waits in the queue, and no claim makes
a member. Each call in its own transaction, through the service, on the real database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from hub.db.driver import Database, Tx
from hub.errors import Conflict, NotFound
from hub.identity import service as identity
from hub.identity.model import Principal
from hub.onboarding import service as onboarding
from hub.registry import service as registry
from tests import factories
from tests.onboarding.common import evidence
from tests.registry.test_races import together

CALLERS = 50
ROUNDS = 2


async def _facts(tx: Tx, uscc: str) -> dict[str, Any]:
    row = await tx.single(
        """
        MATCH (o:Organization {uscc: $uscc})
        RETURN o.status AS status,
               COLLECT { MATCH (p:Principal)-[:MEMBER_OF]->(o) RETURN DISTINCT p.handle }
                 AS members,
               [(v:Verification)-[:OF]->(o) WHERE v.asked = 'registration' | v.state]
                 AS registrations,
               COUNT { (v:Verification {asked: 'claim', state: 'pending'})-[:OF]->(o) } AS claims,
               COUNT { MATCH (a:AuditRecord {entity: 'Verification', action: 'request'})
                       WHERE a.after CONTAINS $uscc } AS requested
        """,
        uscc=uscc,
    )
    assert row is not None
    return dict(row)


async def test_fifty_concurrent_registrations_and_claims_leave_one_pending_registration(
    clean: Database,
) -> None:
    callers: list[Principal] = []
    for n in range(CALLERS):
        handle = f"p{n}@races.example"
        callers.append(await identity.authenticate(clean, await factories.token(clean, handle)))
        await evidence(clean, handle, f"e{n}")
    for round_ in range(ROUNDS):
        uscc = factories.uscc(6000 + round_)

        def call(n: int, caller: Principal, uscc: str = uscc) -> Callable[[], Awaitable[Any]]:
            if n % 2:
                return lambda: onboarding.claim(clean, caller, uscc, f"e{n}")
            raw = {"uscc": uscc, "name_zh": f"竞争{n}", "name_en": f"Racer {n}", "kind": "both"}
            return lambda: registry.register_organization(clean, caller, raw, f"e{n}")

        results = await together([call(n, c) for n, c in enumerate(callers)])
        unexpected = [
            r
            for r in results
            if isinstance(r, BaseException) and not isinstance(r, Conflict | NotFound)
        ]
        assert unexpected == [], unexpected
        registered = [r for n, r in enumerate(results) if n % 2 == 0 and isinstance(r, tuple)]
        assert len(registered) == 1, round_
        refused = [r for n, r in enumerate(results) if n % 2 == 0 and isinstance(r, Conflict)]
        assert len(refused) == CALLERS // 2 - 1 and {r.field for r in refused} == {"uscc"}
        claimed = [r for n, r in enumerate(results) if n % 2 and not isinstance(r, BaseException)]
        too_early = [r for r in results if isinstance(r, NotFound)]
        assert len(claimed) + len(too_early) == CALLERS // 2
        [(organization, registrant)] = registered
        assert organization.status == "pending"
        facts = await clean.read(_facts, uscc)
        assert facts == {
            "status": "pending",
            "members": [registrant.handle],
            "registrations": ["pending"],
            "claims": len(claimed),
            "requested": 1 + len(claimed),
        }, round_
