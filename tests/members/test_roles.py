"""Changing members' roles and removing them: the firm's administrators may, ordinary
members may not (but may leave), and a firm always keeps one administrator, even when
two administrators act at the same moment."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from hub.db.driver import Database, Tx
from hub.errors import Conflict, HubError
from hub.members import service
from tests import factories
from tests.members.common import CHANGE_ROLE, INVITE, MEMBERS, REMOVE, Caller, caller, principal


async def _firm(db: Database) -> str:
    return await factories.organization(db, 1)


async def _admins(tx: Tx, uscc: str) -> list[str]:
    rows = await tx.records(
        "MATCH (p:Principal)-[:MEMBER_OF {role: 'firm_admin'}]->(:Organization {uscc: $u}) "
        "RETURN p.handle AS handle ORDER BY handle",
        u=uscc,
    )
    return [str(r["handle"]) for r in rows]


async def _roles(tx: Tx, uscc: str, handle: str) -> list[str]:
    rows = await tx.records(
        "MATCH (:Principal {handle: $h})-[m:MEMBER_OF]->(:Organization {uscc: $u}) "
        "RETURN m.role AS role ORDER BY role",
        u=uscc,
        h=handle,
    )
    return [str(r["role"]) for r in rows]


async def test_an_administrator_changes_a_role_and_the_member_may_then_invite(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await _firm(clean)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    sales = await caller(app_client, clean, "sales@firm.test", f"provider:{uscc}")
    changed = await boss.one(CHANGE_ROLE, u=uscc, e="sales@firm.test", r="FIRM_ADMIN")
    assert changed["member"] == {"email": "sales@firm.test", "role": "FIRM_ADMIN"}, changed
    assert await clean.read(_roles, uscc, "sales@firm.test") == ["firm_admin"]
    invited = await sales.one(INVITE, u=uscc, e="li@example.test", r="REQUESTER", l="zh")
    assert invited["__typename"] == "Invited", invited
    listed = await sales.one(MEMBERS, u=uscc)
    assert listed["members"] == [
        {"email": "boss@firm.test", "role": "FIRM_ADMIN"},
        {"email": "sales@firm.test", "role": "FIRM_ADMIN"},
    ]
    # Two administrators: one may step down, the last one may not.
    down = await boss.one(CHANGE_ROLE, u=uscc, e="boss@firm.test", r="PROVIDER")
    assert down["member"]["role"] == "PROVIDER"
    refused = await sales.one(CHANGE_ROLE, u=uscc, e="sales@firm.test", r="REQUESTER")
    assert refused["code"] == "CONFLICT" and refused["field"] == "role", refused
    assert "at least one administrator" in refused["messageEn"]
    assert await clean.read(_admins, uscc) == ["sales@firm.test"]


async def test_ordinary_members_cannot_manage_their_colleagues(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await _firm(clean)
    await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    sales = await caller(app_client, clean, "sales@firm.test", f"provider:{uscc}")
    await caller(app_client, clean, "buyer@firm.test", f"requester:{uscc}")
    for call, extra in ((CHANGE_ROLE, {"r": "FIRM_ADMIN"}), (REMOVE, {})):
        refused = await sales.one(call, u=uscc, e="buyer@firm.test", **extra)
        assert refused["code"] == "NOT_FOUND" and refused["field"] == "uscc", refused
    unknown = await sales.one(CHANGE_ROLE, u=uscc, e="sales@firm.test", r="FIRM_ADMIN")
    assert unknown["code"] == "NOT_FOUND"  # promoting oneself is managing too
    assert await clean.read(_roles, uscc, "buyer@firm.test") == ["requester"]


async def test_an_administrator_removes_a_member_who_then_sees_nothing(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await _firm(clean)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    sales = await caller(app_client, clean, "sales@firm.test", f"provider:{uscc}")
    removed = await boss.one(REMOVE, u=uscc, e="Sales@Firm.test")
    assert removed == {"__typename": "MemberRemoved", "email": "sales@firm.test"}
    assert (await sales.gql(MEMBERS, u=uscc))["members"] is None
    again = await boss.one(REMOVE, u=uscc, e="sales@firm.test")
    assert again["code"] == "NOT_FOUND" and again["field"] == "email"
    alone = await boss.one(REMOVE, u=uscc, e="boss@firm.test")
    assert alone["code"] == "CONFLICT" and alone["field"] == "email"
    assert await clean.read(_admins, uscc) == ["boss@firm.test"]


async def test_a_member_may_leave(clean: Database, app_client: httpx.AsyncClient) -> None:
    uscc = await _firm(clean)
    await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    sales = await caller(app_client, clean, "sales@firm.test", f"provider:{uscc}")
    assert (await sales.one(REMOVE, u=uscc, e="sales@firm.test"))["__typename"] == ("MemberRemoved")
    assert await clean.read(_roles, uscc, "sales@firm.test") == []


async def test_a_hub_admin_may_name_a_firms_first_administrator(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    """A firm with members but no administrator (made before they existed)."""
    uscc = await _firm(clean)
    await caller(app_client, clean, "sales@firm.test", f"provider:{uscc}")
    root: Caller = await caller(app_client, clean, "root@hub.test", "admin")
    named = await root.one(CHANGE_ROLE, u=uscc, e="sales@firm.test", r="FIRM_ADMIN")
    assert named["__typename"] == "MemberRoleChanged", named
    assert await clean.read(_admins, uscc) == ["sales@firm.test"]


# Two administrators at the same moment -----------------------------------------------------


async def _blocked(tx: Tx) -> int:
    rows = await tx.records("SHOW TRANSACTIONS YIELD status RETURN status")
    return sum(1 for r in rows if str(r["status"]).startswith("Blocked"))


@asynccontextmanager
async def _firm_held(db: Database, uscc: str) -> AsyncIterator[None]:
    """The firm's node locked by a transaction of the test's, until the block ends."""
    async with db.driver.session(database=db.name) as session:
        held = await session.begin_transaction()
        await held.run("MATCH (o:Organization {uscc: $u}) SET o._lock = true", u=uscc)
        try:
            yield
        finally:
            await held.rollback()


async def _both_waiting(db: Database) -> None:
    """Until both changes wait on the lock (each check is a round-trip: no timer)."""
    for _ in range(5000):
        if await db.read(_blocked) >= 2:
            return
        await asyncio.sleep(0)
    raise AssertionError("the two changes never waited on the firm's lock")


async def _at_once(db: Database, uscc: str, one: str, two: str, leave: bool) -> list[object]:
    """Two administrators removing each other (or each leaving), both waiting on the firm's
    lock before either may read its members."""
    first, second = await principal(db, one), await principal(db, two)
    async with _firm_held(db, uscc):
        tasks = [
            asyncio.create_task(service.remove_member(db, first, uscc, one if leave else two)),
            asyncio.create_task(service.remove_member(db, second, uscc, two if leave else one)),
        ]
        await _both_waiting(db)
    return list(await asyncio.gather(*tasks, return_exceptions=True))


@pytest.mark.parametrize("leave", [False, True], ids=["remove-each-other", "both-leave"])
async def test_two_administrators_at_once_leave_one(clean: Database, leave: bool) -> None:
    uscc = await _firm(clean)
    await factories.token(clean, "alice@firm.test", f"firm_admin:{uscc}")
    await factories.token(clean, "bob@firm.test", f"firm_admin:{uscc}")
    results = await _at_once(clean, uscc, "alice@firm.test", "bob@firm.test", leave)
    done = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, HubError)]
    assert len(done) == 1 and len(refused) == 1, results
    if leave:  # the second saw one administrator left: the guard refused
        assert isinstance(refused[0], Conflict) and refused[0].field == "email"
    assert len(await clean.read(_admins, uscc)) == 1


HOOK = """mutation($i: WebhookSubscriptionInput!) { createWebhookSubscription(input: $i) {
  __typename } }"""


async def test_a_firm_administrator_acts_for_the_firm_as_a_member_does(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await _firm(clean)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    made = await boss.one(HOOK, i={"uscc": uscc, "url": "http://127.0.0.1:9/hooks"})
    assert made["__typename"] == "WebhookSecret", made
    other = await factories.organization(clean, 2)
    refused = await boss.one(HOOK, i={"uscc": other, "url": "http://127.0.0.1:9/hooks"})
    assert refused["__typename"] == "NotFoundProblem"
