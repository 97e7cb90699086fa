"""A firm registered by a person is pending: its members prepare it, nobody else sees it,
it is not routed and submits no request; a USCC already in the hub is claimed instead."""

from __future__ import annotations

import httpx

from hub.db.driver import Database, Tx
from hub.reference.store import reference
from hub.routing import matching
from hub.routing import rules as routing_rules
from hub.routing.model import Need
from tests import factories
from tests.onboarding.common import (
    ORGANIZATION,
    ORGANIZATIONS,
    REGISTER,
    SITE,
    UPDATE,
    USCC,
    audited,
    gql,
    members,
    person,
    site,
)
from tests.registry import sample
from tests.registry.test_mutations import NEW_ORG
from tests.routing.common import OTHER_PROVIDER, raw
from tests.routing.test_routing_api import _input

SUBMIT = (
    "mutation($i: RequestInput!) { submitRequest(input: $i) "
    "{ __typename ... on Problem { code field messageEn } } }"
)
OFFERINGS = """query($c: String!) { offerings(filter: {capability: $c}, first: 50) {
  edges { node { id } } } }"""


async def test_a_registered_firm_is_pending_and_seen_by_its_members_and_admins_only(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    founder = await person(clean, "founder@new.example")
    other = await person(clean, "someone@else.example")
    admin = await factories.token(clean, "root@hub", "admin")
    saved = await gql(app_client, founder, REGISTER, i=NEW_ORG)
    assert saved["organization"] == {"uscc": USCC, "status": "pending"}
    assert await members(clean, USCC) == ["founder@new.example"]
    seen = {
        who: await gql(app_client, token, ORGANIZATION, u=USCC)
        for who, token in (("founder", founder), ("other", other), ("admin", admin), ("-", None))
    }
    assert seen["founder"]["status"] == "pending"
    assert seen["admin"]["status"] == "pending"
    assert seen["other"] is None and seen["-"] is None
    listed = await gql(app_client, other, ORGANIZATIONS)
    assert USCC not in [e["node"]["uscc"] for e in listed["edges"]]
    assert [(r["action"], r["actor"]) for r in await audited(clean, "Verification")] == [
        ("request", "founder@new.example")
    ]


async def test_the_registrant_prepares_the_pending_firm(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    founder = await person(clean, "founder@new.example")
    await gql(app_client, founder, REGISTER, i=NEW_ORG)
    renamed = await gql(app_client, founder, UPDATE, i={**NEW_ORG, "nameEn": "Renamed"})
    assert renamed["organization"]["nameEn"] == "Renamed"
    assert (await gql(app_client, founder, SITE, i=site()))["__typename"] == "SiteSaved"
    # Its profile's writes keep it pending.
    shown = await gql(app_client, founder, ORGANIZATION, u=USCC)
    assert shown == {"uscc": USCC, "status": "pending", "nameEn": "Renamed"}


async def test_an_admin_registration_is_verified_at_once(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    admin = await factories.token(clean, "root@hub", "admin")
    saved = await gql(app_client, admin, REGISTER, i=NEW_ORG)
    assert saved["organization"]["status"] == "verified"
    assert await audited(clean, "Verification") == []


async def test_registering_a_firm_already_in_the_hub_says_to_claim_it(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    await sample.load(clean)
    founder = await person(clean, "founder@new.example")
    refused = await gql(app_client, founder, REGISTER, i={**NEW_ORG, "uscc": sample.USCC})
    assert (refused["code"], refused["field"]) == ("CONFLICT", "uscc")
    assert "claimOrganization" in refused["messageEn"] and "认领" in refused["messageZh"]
    assert await members(clean, sample.USCC) == []


async def _set_status(tx: Tx, uscc: str, status: str) -> None:
    await tx.run("MATCH (o:Organization {uscc: $u}) SET o.status = $s", u=uscc, s=status)


async def _candidates(tx: Tx) -> list[str]:
    need: Need = routing_rules.need(raw(), await reference(tx))
    return sorted(a.uscc for a in await matching.candidates(tx, need, set(), 10))


async def test_a_pending_or_rejected_firm_is_neither_routed_nor_searched(
    network: Database, app_client: httpx.AsyncClient
) -> None:
    other = await person(network, "someone@else.example")
    assert await network.read(_candidates) == sorted([sample.USCC, OTHER_PROVIDER])
    found = await gql(app_client, other, OFFERINGS, c="BIO.USP")
    assert len(found["edges"]) == 2
    for status in ("pending", "rejected"):
        await network.write(_set_status, OTHER_PROVIDER, status)
        assert await network.read(_candidates) == [sample.USCC], status
        found = await gql(app_client, other, OFFERINGS, c="BIO.USP")
        assert [e["node"]["id"].split("/")[0] for e in found["edges"]] == [sample.USCC]


async def test_a_pending_firm_cannot_submit_a_request(
    network: Database, app_client: httpx.AsyncClient
) -> None:
    requester = raw()["requester"]
    startup = await person(network, "cmc@startup.example", f"requester:{requester}")
    await network.write(_set_status, requester, "pending")
    refused = await gql(app_client, startup, SUBMIT, i=_input())
    assert (refused["code"], refused["field"]) == ("CONFLICT", "requester")
    await network.write(_set_status, requester, "verified")
    assert (await gql(app_client, startup, SUBMIT, i=_input()))["__typename"] != "ConflictProblem"
