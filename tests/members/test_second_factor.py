"""A firm that requires a second factor of its members: its roles go only to people who
have one turned on (checked where every sign-in reads its roles, so tokens and sessions
alike), machines keep theirs, the rule is set by the firm's administrators (who must have
a second factor themselves) and audited, and turning it off gives the roles back."""

from __future__ import annotations

import json

import httpx

from hub.db.driver import Database, Tx
from tests import factories
from tests.members.common import ME, MEMBERS, PROBLEM, caller

REQUIRE = f"""mutation($u: String!, $r: Boolean!) {{
  requireSecondFactor(uscc: $u, required: $r) {{
  __typename ... on SecondFactorRule {{ uscc required }} {PROBLEM} }} }}"""
ROSTER = """query($u: String!) { members(uscc: $u) {
  secondFactorRequired members { email secondFactor } } }"""


async def _person(tx: Tx, handle: str, second_factor: bool) -> None:
    """Make the principal a person, with or without a second factor turned on."""
    await tx.run(
        "MATCH (p:Principal {handle: $h}) SET p:Person "
        "SET p.totp_secret = CASE WHEN $on THEN 'JBSWY3DPEHPK3PXP' ELSE null END",
        h=handle,
        on=second_factor,
    )


async def _audited(tx: Tx, uscc: str) -> list[tuple[object, object]]:
    """The rule's changes in the audit log: (before, after), oldest first."""
    rows = await tx.records(
        "MATCH (a:AuditRecord) WHERE a.entity = 'Organization' AND a.key = $u "
        "AND a.action = 'second_factor_required' RETURN a.before AS before, a.after AS after "
        "ORDER BY a.at, a.id",
        u=uscc,
    )
    rule = "second_factor_required"
    return [(json.loads(r["before"])[rule], json.loads(r["after"])[rule]) for r in rows]


def _firms(me: dict[str, object]) -> set[str]:
    roles = me["me"]["roles"]  # type: ignore[index]
    return {r["scope"] for r in roles if r["kind"] in ("PROVIDER", "FIRM_ADMIN")}  # type: ignore[union-attr]


async def test_only_members_with_a_second_factor_act_for_a_firm_that_requires_one(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await factories.organization(clean, 1)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    careful = await caller(app_client, clean, "careful@firm.test", f"provider:{uscc}")
    casual = await caller(app_client, clean, "casual@firm.test", f"provider:{uscc}")
    robot = await caller(app_client, clean, "robot@firm.test", f"provider:{uscc}")
    for handle, second_factor in (("boss", True), ("careful", True), ("casual", False)):
        await clean.write(_person, f"{handle}@firm.test", second_factor)

    set_on = await boss.one(REQUIRE, u=uscc.lower(), r=True)
    assert set_on == {"__typename": "SecondFactorRule", "uscc": uscc, "required": True}

    assert uscc in _firms(await careful.gql(ME))
    assert uscc in _firms(await robot.gql(ME))  # a machine cannot have one
    assert uscc not in _firms(await casual.gql(ME))
    withheld = "{ me { secondFactorNeededFor } }"
    assert await casual.gql(withheld) == {"me": {"secondFactorNeededFor": [uscc]}}
    assert await careful.gql(withheld) == {"me": {"secondFactorNeededFor": []}}
    assert await casual.gql(MEMBERS, u=uscc) == {"members": None}
    roster = await boss.one(ROSTER, u=uscc)
    assert roster["secondFactorRequired"] is True
    assert {m["email"]: m["secondFactor"] for m in roster["members"]} == {
        "boss@firm.test": True,
        "careful@firm.test": True,
        "casual@firm.test": False,
        "robot@firm.test": False,
    }

    await clean.write(_person, "casual@firm.test", True)  # turns one on
    assert uscc in _firms(await casual.gql(ME))
    assert await casual.gql(withheld) == {"me": {"secondFactorNeededFor": []}}
    await clean.write(_person, "casual@firm.test", False)
    assert (await boss.one(REQUIRE, u=uscc, r=False))["required"] is False
    assert uscc in _firms(await casual.gql(ME))
    assert await clean.read(_audited, uscc) == [(False, True), (True, False)]


async def test_an_administrator_without_a_second_factor_cannot_require_one(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await factories.organization(clean, 1)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    await clean.write(_person, "boss@firm.test", False)
    refused = await boss.one(REQUIRE, u=uscc, r=True)
    assert (refused["__typename"], refused["field"]) == ("ConflictProblem", "required"), refused
    assert "second factor" in refused["messageEn"] and "双重验证" in refused["messageZh"]
    assert await clean.read(_audited, uscc) == []
    # the hub's administrators may, without one
    admin = await caller(app_client, clean, "admin@hub.test", "admin")
    assert (await admin.one(REQUIRE, u=uscc, r=True))["required"] is True


async def test_only_the_firms_administrators_set_the_rule(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await factories.organization(clean, 1)
    member = await caller(app_client, clean, "member@firm.test", f"provider:{uscc}")
    stranger = await caller(app_client, clean, "stranger@other.test")
    for who in (member, stranger):
        refused = await who.one(REQUIRE, u=uscc, r=True)
        assert refused["__typename"] == "NotFoundProblem", refused
    bad = await member.one(REQUIRE, u="not-a-uscc", r=True)
    assert (bad["__typename"], bad["field"]) == ("InvalidInputProblem", "uscc"), bad
    assert await clean.read(_audited, uscc) == []
