"""Migration 0021: a firm's sole member (made before firm administrators existed) becomes
its administrator, and a personal token naming its old role names the new one; firms with
several members, or an administrator already, are left as they are."""

from __future__ import annotations

from hub.db.driver import Database, Tx
from hub.db.migrations import load
from tests import factories


async def _scoped_token(tx: Tx, handle: str, roles: list[str]) -> None:
    await tx.run(
        "MATCH (p:Principal {handle: $h}) "
        "CREATE (:ApiToken {id: 'scoped-' + $h, hash: 'h-' + $h, name: 'n', roles: $r})"
        "-[:AUTHENTICATES]->(p)",
        h=handle,
        r=roles,
    )


async def _run_0021(tx: Tx) -> None:
    [migration] = [m for m in load() if m.id == "0021"]
    for statement in migration.statements:
        if not statement.lstrip().upper().startswith("CREATE"):  # the data, not the schema
            await tx.run(statement)


async def _state(tx: Tx) -> dict[str, object]:
    rows = await tx.records(
        "MATCH (p:Principal)-[m:MEMBER_OF]->(o:Organization) "
        "RETURN p.handle AS h, collect(m.role) AS roles"
    )
    tokens = await tx.records("MATCH (t:ApiToken) WHERE t.roles IS NOT NULL RETURN t.roles AS r")
    return {
        "members": {r["h"]: sorted(r["roles"]) for r in rows},
        "tokens": sorted(sorted(t["r"]) for t in tokens),
    }


async def test_the_sole_member_of_a_firm_becomes_its_administrator(clean: Database) -> None:
    solo, pair, run = [await factories.organization(clean, n) for n in (1, 2, 3)]
    await factories.token(clean, "solo@a.test", f"provider:{solo}", f"requester:{solo}")
    await clean.write(_scoped_token, "solo@a.test", [f"provider:{solo}", "operator:BJ-ETOWN"])
    await factories.token(clean, "one@b.test", f"provider:{pair}")
    await factories.token(clean, "two@b.test", f"requester:{pair}")
    await factories.token(clean, "boss@c.test", f"firm_admin:{run}")
    await factories.token(clean, "staff@c.test", f"provider:{run}")
    await clean.write(_run_0021)
    state = await clean.read(_state)
    assert state["members"] == {
        "solo@a.test": ["firm_admin"],
        "one@b.test": ["provider"],
        "two@b.test": ["requester"],
        "boss@c.test": ["firm_admin"],
        "staff@c.test": ["provider"],
    }
    assert state["tokens"] == [["firm_admin:" + solo, "operator:BJ-ETOWN"]]
