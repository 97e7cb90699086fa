"""Invitations to a firm: mailed in the invitee's language, accepted once by the invited
person (an existing one, or one who signs up on the way), refused to anyone else, after
expiry or revocation, and only sent by the firm's administrators."""

from __future__ import annotations

from datetime import timedelta

import httpx

from hub.db.driver import Database
from hub.time import travel
from tests import factories
from tests.accounts.common import (
    Browser,
    mails,
    signed_in,
    signed_up,
)
from tests.members.common import (
    ACCEPT,
    INVITE,
    ME,
    MEMBERS,
    PREVIEW,
    REVOKE,
    Caller,
    caller,
    invitation_token,
)

HOOK = """mutation($i: WebhookSubscriptionInput!) { createWebhookSubscription(input: $i) {
  __typename ... on Problem { code field } } }"""


async def _firm_and_admin(db: Database, http: httpx.AsyncClient) -> tuple[str, Caller]:
    uscc = await factories.organization(db, 1, "示例药业（虚构）", "Example Pharma (fictional)")
    return uscc, await caller(http, db, "boss@firm.test", f"firm_admin:{uscc}")


async def _invite(boss: Caller, uscc: str, email: str, role: str = "PROVIDER", lang: str = "en"):
    return await boss.one(INVITE, u=uscc, e=email, r=role, l=lang)


async def test_an_existing_person_accepts_and_then_acts_for_the_firm(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    wang = await signed_in(app_client, clean, "wang@example.test")
    invited = await _invite(boss, uscc, " Wang@Example.TEST ", "PROVIDER", "en")
    assert invited["__typename"] == "Invited", invited
    assert invited["invitation"]["email"] == "wang@example.test"
    assert invited["invitation"]["state"] == "PENDING"

    [mail] = await mails(clean, "wang@example.test", "invitation")
    assert mail["language"] == "en"
    assert mail["values"]["role"]["en"] == "a provider member"
    assert mail["values"]["organization_name"]["en"] == "Example Pharma (fictional)"
    assert "#/invitation?token=" in mail["values"]["link"]
    token = await invitation_token(clean, "wang@example.test")
    preview = (await wang.gql(PREVIEW, t=token))["invitation"]
    assert preview == {
        "email": "wang@example.test",
        "uscc": uscc,
        "role": "PROVIDER",
        "state": "PENDING",
        "nameZh": "示例药业（虚构）",
    }

    accepted = (await wang.gql(ACCEPT, t=token))["acceptInvitation"]
    assert accepted["__typename"] == "InvitationAccepted", accepted
    assert accepted["invitation"]["state"] == "ACCEPTED"
    me = (await wang.gql(ME))["me"]
    assert {"kind": "PROVIDER", "scope": uscc} in me["roles"]
    hook = {"uscc": uscc, "url": "http://127.0.0.1:9/hooks"}
    made = (await wang.gql(HOOK, i=hook))["createWebhookSubscription"]
    assert made["__typename"] == "WebhookSecret", made
    listed = (await wang.gql(MEMBERS, u=uscc))["members"]
    assert {"email": "wang@example.test", "role": "PROVIDER"} in listed["members"]
    assert listed["invitations"] == []

    again = (await wang.gql(ACCEPT, t=token))["acceptInvitation"]
    assert again["code"] == "CONFLICT" and again["field"] == "token"
    assert "accepted already" in again["messageEn"]


async def test_a_newcomer_signs_up_confirms_and_accepts(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    assert (await _invite(boss, uscc, "new@example.test", "REQUESTER", "zh"))[
        "__typename"
    ] == "Invited"
    [mail] = await mails(clean, "new@example.test", "invitation")
    assert mail["language"] == "zh" and mail["values"]["role"]["zh"] == "需求方成员"
    token = await invitation_token(clean, "new@example.test")

    newcomer = Browser(app_client)
    await signed_up(newcomer, clean, "new@example.test")
    assert (await newcomer.sign_in("new@example.test"))["__typename"] == "SignedIn"
    accepted = (await newcomer.gql(ACCEPT, t=token))["acceptInvitation"]
    assert accepted["__typename"] == "InvitationAccepted", accepted
    me = (await newcomer.gql(ME))["me"]
    assert {"kind": "REQUESTER", "scope": uscc} in me["roles"]


async def test_an_unconfirmed_address_cannot_accept(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    """A principal made by the CLI has no confirmed address (a person who has not
    confirmed theirs cannot sign in at all)."""
    uscc, boss = await _firm_and_admin(clean, app_client)
    await _invite(boss, uscc, "cli@example.test")
    holder = await caller(app_client, clean, "cli@example.test")
    refused = await holder.one(ACCEPT, t=await invitation_token(clean, "cli@example.test"))
    assert refused["code"] == "CONFLICT" and "confirm your e-mail" in refused["messageEn"]


async def test_another_person_cannot_accept_and_the_invitee_still_can(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    await _invite(boss, uscc, "wang@example.test")
    token = await invitation_token(clean, "wang@example.test")
    intruder = await signed_in(app_client, clean, "li@example.test")
    refused = (await intruder.gql(ACCEPT, t=token))["acceptInvitation"]
    assert refused["code"] == "NOT_FOUND" and refused["field"] == "token"
    assert "sign in with the address the invitation was sent to" in refused["messageEn"]
    assert (await intruder.gql(MEMBERS, u=uscc))["members"] is None

    wang = await signed_in(app_client, clean, "wang@example.test")
    accepted = (await wang.gql(ACCEPT, t=token))["acceptInvitation"]
    assert accepted["__typename"] == "InvitationAccepted"


async def test_an_unknown_link_is_named_as_such(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    wang = await signed_in(app_client, clean, "wang@example.test")
    refused = (await wang.gql(ACCEPT, t="not-a-token"))["acceptInvitation"]
    assert refused["code"] == "INVALID_INPUT" and refused["field"] == "token"
    assert (await wang.gql(PREVIEW, t="not-a-token"))["invitation"] is None


async def test_an_invitation_expires_after_seven_days(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    wang = await signed_in(app_client, clean, "wang@example.test")
    await _invite(boss, uscc, "wang@example.test")
    token = await invitation_token(clean, "wang@example.test")
    with travel(timedelta(days=6, hours=23)):
        assert (await wang.gql(PREVIEW, t=token))["invitation"]["state"] == "PENDING"
    with travel(timedelta(days=7, seconds=1)):
        assert (await wang.sign_in("wang@example.test"))["__typename"] == "SignedIn"
        assert (await wang.gql(PREVIEW, t=token))["invitation"]["state"] == "EXPIRED"
        refused = (await wang.gql(ACCEPT, t=token))["acceptInvitation"]
        assert refused["code"] == "CONFLICT" and "expired" in refused["messageEn"]
        assert (await boss.one(MEMBERS, u=uscc))["invitations"] == []


async def test_a_revoked_invitation_cannot_be_accepted(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    wang = await signed_in(app_client, clean, "wang@example.test")
    invited = await _invite(boss, uscc, "wang@example.test")
    listed = await boss.one(MEMBERS, u=uscc)
    assert [i["email"] for i in listed["invitations"]] == ["wang@example.test"]

    revoked = await boss.one(REVOKE, id=invited["invitation"]["id"])
    assert revoked["invitation"]["state"] == "REVOKED", revoked
    refused = (await wang.gql(ACCEPT, t=await invitation_token(clean, "wang@example.test")))[
        "acceptInvitation"
    ]
    assert refused["code"] == "CONFLICT" and "revoked" in refused["messageEn"]
    twice = await boss.one(REVOKE, id=invited["invitation"]["id"])
    assert twice["code"] == "CONFLICT" and twice["field"] == "id"
    assert (await boss.one(MEMBERS, u=uscc))["invitations"] == []


async def test_a_new_invitation_replaces_the_pending_one(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    wang = await signed_in(app_client, clean, "wang@example.test")
    await _invite(boss, uscc, "wang@example.test")
    first = await invitation_token(clean, "wang@example.test")
    await _invite(boss, uscc, "wang@example.test", "FIRM_ADMIN")
    second = await invitation_token(clean, "wang@example.test")
    assert first != second
    listed = await boss.one(MEMBERS, u=uscc)
    assert [(i["email"], i["role"]) for i in listed["invitations"]] == [
        ("wang@example.test", "FIRM_ADMIN")
    ]
    refused = (await wang.gql(ACCEPT, t=first))["acceptInvitation"]
    assert refused["code"] == "CONFLICT"
    assert (await wang.gql(ACCEPT, t=second))["acceptInvitation"]["__typename"] == (
        "InvitationAccepted"
    )
    again = await _invite(boss, uscc, "wang@example.test")
    assert again["code"] == "CONFLICT" and again["field"] == "email"


async def test_only_the_firms_administrators_invite_and_see_members(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    member = await caller(app_client, clean, "sales@firm.test", f"provider:{uscc}")
    other = await factories.organization(clean, 2)
    outsider = await caller(app_client, clean, "sales@other.test", f"provider:{other}")
    for who in (member, outsider):
        refused = await _invite(who, uscc, "wang@example.test")
        assert refused["code"] == "NOT_FOUND" and refused["field"] == "uscc", refused
    invited = await _invite(boss, uscc, "wang@example.test")
    refused = await member.one(REVOKE, id=invited["invitation"]["id"])
    assert refused["code"] == "NOT_FOUND"
    assert (await member.one(MEMBERS, u=uscc))["invitations"]  # members see the roster
    assert (await outsider.gql(MEMBERS, u=uscc))["members"] is None
    hub_admin = await caller(app_client, clean, "root@hub.test", "admin")
    assert (await _invite(hub_admin, uscc, "li@example.test"))["__typename"] == "Invited"
    assert len(await mails(clean, "wang@example.test", "invitation")) == 1


async def test_bad_input_names_its_field(clean: Database, app_client: httpx.AsyncClient) -> None:
    uscc, boss = await _firm_and_admin(clean, app_client)
    for u, e, lang, field in (
        ("91110000MA0000001X", "a@example.test", "en", "uscc"),
        (uscc, "not-an-address", "en", "email"),
        (uscc, "a@example.test", "fr", "language"),
    ):
        refused = await boss.one(INVITE, u=u, e=e, r="PROVIDER", l=lang)
        assert refused["code"] == "INVALID_INPUT" and refused["field"] == field, refused
        assert refused["messageZh"].startswith(field)
    assert await mails(clean, "a@example.test") == []


async def test_anonymous_callers_cannot_accept(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    response = await app_client.post("/graphql", json={"query": ACCEPT, "variables": {"t": "x"}})
    assert response.status_code == 401
