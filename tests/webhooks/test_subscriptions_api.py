"""Managing subscriptions over GraphQL: only the owning organization's members, audited,
the secret shown once and never again; bad input names its field."""

from __future__ import annotations

from typing import Any

import httpx

from hub.db.driver import Database, Tx
from tests import factories
from tests.routing.common import REQUESTER
from tests.routing.test_routing_api import gql

FIELDS = "id uscc url eventTypes active backlog failures"
CREATE = f"""mutation($i: WebhookSubscriptionInput!) {{ createWebhookSubscription(input: $i) {{
  __typename ... on WebhookSecret {{ secret subscription {{ {FIELDS} }} }}
  ... on Problem {{ code field messageEn messageZh }} }} }}"""
UPDATE = f"""mutation($id: ID!, $c: WebhookSubscriptionChange!) {{
  updateWebhookSubscription(id: $id, input: $c) {{ __typename
  ... on WebhookSubscriptionSaved {{ subscription {{ {FIELDS} }} }}
  ... on Problem {{ code field }} }} }}"""
ROTATE = """mutation($id: ID!) { rotateWebhookSecret(id: $id) { __typename
  ... on WebhookSecret { secret } ... on Problem { code field } } }"""
DELETE = """mutation($id: ID!) { deleteWebhookSubscription(id: $id) { __typename
  ... on Problem { code field } } }"""
LIST = f"query($u: String!) {{ webhookSubscriptions(uscc: $u) {{ {FIELDS} }} }}"
URL = "http://127.0.0.1:9/hooks"  # tests allow private receivers


async def _audit(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (a:AuditRecord {entity: 'WebhookSubscription'}) "
        "RETURN a {.action, .actor, .before, .after} AS a ORDER BY a.at"
    )
    return [dict(r["a"]) for r in rows]


async def test_the_owner_manages_its_subscriptions(
    network: Database, app_client: httpx.AsyncClient
) -> None:
    owner = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    made = (await gql(app_client, owner, CREATE, i={"uscc": REQUESTER, "url": URL}))[
        "createWebhookSubscription"
    ]
    assert made["__typename"] == "WebhookSecret" and made["secret"].startswith("whsec_")
    sub_id = made["subscription"]["id"]
    listed = (await gql(app_client, owner, LIST, u=REQUESTER))["webhookSubscriptions"]
    assert [s["id"] for s in listed] == [sub_id] and "secret" not in listed[0]

    paused = await gql(
        app_client, owner, UPDATE, id=sub_id, c={"active": False, "eventTypes": ["match.accepted"]}
    )
    saved = paused["updateWebhookSubscription"]["subscription"]
    assert (saved["active"], saved["eventTypes"]) == (False, ["match.accepted"])
    rotated = (await gql(app_client, owner, ROTATE, id=sub_id))["rotateWebhookSecret"]
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != made["secret"]
    deleted = await gql(app_client, owner, DELETE, id=sub_id)
    assert deleted["deleteWebhookSubscription"]["__typename"] == "WebhookSubscriptionDeleted"
    assert (await gql(app_client, owner, LIST, u=REQUESTER))["webhookSubscriptions"] == []

    audit = await network.read(_audit)
    assert [a["action"] for a in audit] == ["create", "update", "rotate-secret", "delete"]
    assert {a["actor"] for a in audit} == {"cmc@startup"}
    assert not any(made["secret"] in str(a) or rotated["secret"] in str(a) for a in audit)


async def test_another_organization_sees_nothing_and_changes_nothing(
    network: Database, app_client: httpx.AsyncClient
) -> None:
    owner = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    stranger_org = await factories.organization(network, 77)
    stranger = await factories.token(network, "x@stranger", f"provider:{stranger_org}")
    made = await gql(app_client, owner, CREATE, i={"uscc": REQUESTER, "url": URL})
    sub_id = made["createWebhookSubscription"]["subscription"]["id"]

    spying = await app_client.post(
        "/graphql",
        json={"query": LIST, "variables": {"u": REQUESTER}},
        headers={"authorization": f"Bearer {stranger}"},
    )
    assert spying.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    for query, variables in ((UPDATE, {"c": {"active": False}}), (ROTATE, {}), (DELETE, {})):
        answer = await gql(app_client, stranger, query, id=sub_id, **variables)
        [result] = answer.values()
        assert (result["code"], result["field"]) == ("NOT_FOUND", "id")
    hijack = await gql(app_client, stranger, CREATE, i={"uscc": REQUESTER, "url": URL})
    assert hijack["createWebhookSubscription"]["field"] == "uscc"
    anonymous = await app_client.post("/graphql", json={"query": LIST, "variables": {"u": "x"}})
    assert anonymous.status_code == 401
    [still] = (await gql(app_client, owner, LIST, u=REQUESTER))["webhookSubscriptions"]
    assert still["active"] is True


async def test_bad_input_names_the_field(network: Database, app_client: httpx.AsyncClient) -> None:
    owner = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    cases = [
        ({"url": "not a url"}, "url"),
        ({"url": URL, "eventTypes": ["request.exploded"]}, "eventTypes"),
        ({"url": URL, "description": "x" * 201}, "description"),
    ]
    for change, field in cases:
        answer = await gql(app_client, owner, CREATE, i={"uscc": REQUESTER, **change})
        problem = answer["createWebhookSubscription"]
        assert (problem["code"], problem["field"]) == ("INVALID_INPUT", field), problem
        assert problem["messageZh"].startswith(field)
    assert (await gql(app_client, owner, LIST, u=REQUESTER))["webhookSubscriptions"] == []
