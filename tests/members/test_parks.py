"""Park operators: invited by a hub administrator, or by an operator of the same park
(never of another); the invitee accepts and operates the park."""

from __future__ import annotations

import httpx

from hub.db.driver import Database
from tests import factories
from tests.accounts.common import signed_in
from tests.members.common import (
    ACCEPT,
    INVITE,
    INVITE_OPERATOR,
    ME,
    OPERATORS,
    REMOVE_OPERATOR,
    REVOKE,
    caller,
    invitation_token,
)


async def test_an_operator_invited_by_an_admin_invites_a_colleague_for_the_same_park_only(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    root = await caller(app_client, clean, "root@hub.test", "admin")
    invited = await root.one(INVITE_OPERATOR, p="BJ-ETOWN", e="staff@etown.test", l="zh")
    assert invited["__typename"] == "Invited", invited
    assert invited["invitation"]["park"] == "BJ-ETOWN" and invited["invitation"]["role"] is None

    staff = await signed_in(app_client, clean, "staff@etown.test")
    token = await invitation_token(clean, "staff@etown.test")
    accepted = (await staff.gql(ACCEPT, t=token))["acceptInvitation"]
    assert accepted["__typename"] == "InvitationAccepted", accepted
    assert {"kind": "OPERATOR", "scope": "BJ-ETOWN"} in (await staff.gql(ME))["me"]["roles"]

    colleague = (await staff.gql(INVITE_OPERATOR, p="BJ-ETOWN", e="colleague@etown.test", l="en"))[
        "inviteParkOperator"
    ]
    assert colleague["__typename"] == "Invited", colleague
    elsewhere = (await staff.gql(INVITE_OPERATOR, p="TJ-TEDA", e="x@teda.test", l="en"))[
        "inviteParkOperator"
    ]
    assert elsewhere["code"] == "NOT_FOUND" and elsewhere["field"] == "park", elsewhere
    again = (await staff.gql(INVITE_OPERATOR, p="BJ-ETOWN", e="staff@etown.test", l="en"))[
        "inviteParkOperator"
    ]
    assert again["code"] == "CONFLICT" and again["field"] == "email"
    listed = (await staff.gql(OPERATORS, p="BJ-ETOWN"))["parkOperators"]
    assert listed == {
        "operators": [{"email": "staff@etown.test"}],
        "invitations": [{"email": "colleague@etown.test", "state": "PENDING"}],
    }
    assert (await staff.gql(OPERATORS, p="TJ-TEDA"))["parkOperators"] is None
    revoked = (await staff.gql(REVOKE, id=colleague["invitation"]["id"]))["revokeInvitation"]
    assert revoked["invitation"]["state"] == "REVOKED", revoked


async def test_an_operator_is_removed_by_an_admin_or_a_colleague_of_the_park(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    one = await caller(app_client, clean, "one@etown.test", "operator:BJ-ETOWN")
    await caller(app_client, clean, "two@etown.test", "operator:BJ-ETOWN")
    teda = await caller(app_client, clean, "staff@teda.test", "operator:TJ-TEDA")
    refused = await teda.one(REMOVE_OPERATOR, p="BJ-ETOWN", e="two@etown.test")
    assert refused["code"] == "NOT_FOUND" and refused["field"] == "park", refused
    removed = await one.one(REMOVE_OPERATOR, p="BJ-ETOWN", e="Two@Etown.test")
    assert removed == {"__typename": "ParkOperatorRemoved", "email": "two@etown.test"}
    again = await one.one(REMOVE_OPERATOR, p="BJ-ETOWN", e="two@etown.test")
    assert again["code"] == "NOT_FOUND" and again["field"] == "email"
    listed = await one.one(OPERATORS, p="BJ-ETOWN")
    assert listed["operators"] == [{"email": "one@etown.test"}]


async def test_firm_members_and_other_operators_cannot_invite_operators(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc = await factories.organization(clean, 1)
    boss = await caller(app_client, clean, "boss@firm.test", f"firm_admin:{uscc}")
    teda = await caller(app_client, clean, "staff@teda.test", "operator:TJ-TEDA")
    for who in (boss, teda):
        refused = await who.one(INVITE_OPERATOR, p="BJ-ETOWN", e="a@example.test", l="zh")
        assert refused["code"] == "NOT_FOUND" and refused["field"] == "park", refused
    # An operator is no firm administrator either.
    refused = await teda.one(INVITE, u=uscc, e="a@example.test", r="PROVIDER", l="zh")
    assert refused["code"] == "NOT_FOUND" and refused["field"] == "uscc"
    unknown = await caller(app_client, clean, "root@hub.test", "admin")
    missing = await unknown.one(INVITE_OPERATOR, p="NO-SUCH-PARK", e="a@example.test", l="zh")
    assert missing["code"] == "NOT_FOUND" and missing["field"] == "park"
