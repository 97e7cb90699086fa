"""A person's notification settings through the API: every switchable kind listed (on
until switched off), one switched off and on again by its owner (audited), account
messages refused naming `kind`, and nothing for a principal that is not a person."""

from __future__ import annotations

import httpx

from hub.db.driver import Database, Tx
from hub.mail.kinds import NOTIFICATIONS
from tests import factories
from tests.accounts.common import signed_in

SETTINGS = "{ notificationSettings { kind on } }"
SWITCH = """mutation($k: NotificationKind!, $on: Boolean!) {
  switchNotification(kind: $k, on: $on) { __typename
  ... on NotificationsChanged { settings { kind on } }
  ... on Problem { code field messageEn messageZh } } }"""


async def _audited(tx: Tx) -> list[str]:
    rows = await tx.records(
        "MATCH (a:AuditRecord {entity: 'Person', action: 'notifications'}) "
        "RETURN a.after AS after ORDER BY a.at, a.id"
    )
    return [str(r["after"]) for r in rows]


async def test_a_person_lists_and_switches_their_notifications(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    person = await signed_in(app_client, clean, "li.na@example.test")
    listed = (await person.gql(SETTINGS))["notificationSettings"]
    assert listed == [{"kind": k.name, "on": True} for k in NOTIFICATIONS]

    off = (await person.gql(SWITCH, k="REQUEST_ROUTED", on=False))["switchNotification"]
    assert off["__typename"] == "NotificationsChanged", off
    assert {s["kind"]: s["on"] for s in off["settings"]}["REQUEST_ROUTED"] is False
    again = {s["kind"]: s["on"] for s in (await person.gql(SETTINGS))["notificationSettings"]}
    assert [k for k, on in again.items() if not on] == ["REQUEST_ROUTED"]
    await person.gql(SWITCH, k="REQUEST_ROUTED", on=True)
    assert all(s["on"] for s in (await person.gql(SETTINGS))["notificationSettings"])
    assert await clean.read(_audited) == ['{"muted": ["request_routed"]}', '{"muted": []}']


async def test_account_messages_cannot_be_switched_off(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    person = await signed_in(app_client, clean, "li.na@example.test")
    refused = (await person.gql(SWITCH, k="RESET_PASSWORD", on=False))["switchNotification"]
    assert (refused["__typename"], refused["field"]) == ("InvalidInputProblem", "kind")
    assert "账户" in refused["messageZh"]
    assert await clean.read(_audited) == []


async def test_a_machine_has_no_settings(clean: Database, app_client: httpx.AsyncClient) -> None:
    secret = await factories.token(clean, "robot@firm.test")
    headers = {"authorization": f"Bearer {secret}"}
    listed = await app_client.post("/graphql", json={"query": SETTINGS}, headers=headers)
    assert listed.json() == {"data": {"notificationSettings": None}}
    switched = await app_client.post(
        "/graphql",
        json={"query": SWITCH, "variables": {"k": "AWARDED", "on": False}},
        headers=headers,
    )
    result = switched.json()["data"]["switchNotification"]
    assert (result["__typename"], result["field"]) == ("NotFoundProblem", "person"), result
