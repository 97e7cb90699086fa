"""Verifying firms: the queue, approval and rejection by an admin or an operator of a park
where the firm has a site; claims on firms already in the hub; audit records and mail."""

from __future__ import annotations

import json
from typing import Any

import httpx

from hub.db.driver import Database, Tx
from tests import factories
from tests.onboarding.common import (
    APPROVE,
    CLAIM,
    ORGANIZATION,
    QUEUE,
    REGISTER,
    REJECT,
    SITE,
    UPDATE,
    USCC,
    audited,
    evidence,
    gql,
    members,
    person,
    site,
)
from tests.registry import sample
from tests.registry.test_mutations import NEW_ORG

FOUNDER = "founder@new.example"


async def _mails(tx: Tx, template: str) -> list[tuple[str, dict[str, Any]]]:
    rows = await tx.records(
        "MATCH (m:MailMessage {template: $t}) RETURN m.to AS to, m.values AS v ORDER BY to",
        t=template,
    )
    return [(r["to"], json.loads(r["v"])) for r in rows]


async def _registered(db: Database, client: httpx.AsyncClient, park: str = "TJ-TEDA") -> str:
    """A pending firm with a site in `park`; returns its founder's token."""
    founder = await person(db, FOUNDER)
    await evidence(db, FOUNDER, "e1")
    assert (await gql(client, founder, REGISTER, i=NEW_ORG, e="e1"))["__typename"] == (
        "OrganizationSaved"
    )
    assert (await gql(client, founder, SITE, i=site(park=park)))["__typename"] == "SiteSaved"
    return founder


async def test_an_admin_approves_a_registration_and_the_firm_becomes_public(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    await _registered(clean, app_client)
    admin = await person(clean, "root@hub.example", "admin")
    other = await person(clean, "someone@else.example")
    [entry] = await gql(app_client, admin, QUEUE)
    assert entry["uscc"] == USCC and entry["asked"] == "REGISTRATION"
    assert entry["asker"] == FOUNDER
    assert entry["evidence"] == {
        "id": "e1",
        "mediaType": "application/pdf",
        "size": 9,
        "url": "/evidence/e1",
    }
    done = await gql(app_client, admin, APPROVE, id=entry["id"], en="Licence checked")
    assert done["verification"]["state"] == "APPROVED"
    assert done["verification"]["organizationStatus"] == "verified"
    assert (await gql(app_client, other, ORGANIZATION, u=USCC))["status"] == "verified"
    assert await gql(app_client, admin, QUEUE) == []
    again = await gql(app_client, admin, APPROVE, id=entry["id"])
    assert (again["code"], again["field"]) == ("CONFLICT", "id")
    records = await audited(clean, "Verification")
    assert [(r["action"], r["actor"], r["reason"]) for r in records] == [
        ("request", FOUNDER, None),
        ("approve", "root@hub.example", "Licence checked"),
    ]
    [(to, values)] = await clean.read(_mails, "verification_decided")
    assert to == FOUNDER and values["approved"] is True and values["uscc"] == USCC


async def test_verifiers_are_told_of_a_new_registration(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    await person(clean, "root@hub.example", "admin")
    await _registered(clean, app_client)
    told = await clean.read(_mails, "verification_pending")
    assert [to for to, _ in told] == ["root@hub.example"]
    assert told[0][1]["uscc"] == USCC


async def test_the_operators_of_a_park_are_told_when_a_waiting_firm_gets_a_site_there(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    await person(clean, "ops@teda.example", "operator:TJ-TEDA")
    await person(clean, "ops@etown.example", "operator:BJ-ETOWN")
    founder = await _registered(clean, app_client, park="TJ-TEDA")
    await gql(app_client, founder, SITE, i=site(park="TJ-TEDA"))  # saved again: told once
    told = await clean.read(_mails, "verification_pending")
    assert [to for to, _ in told] == ["ops@teda.example"]


async def test_an_operator_of_the_firms_park_verifies_it_and_of_another_park_cannot(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    await _registered(clean, app_client, park="TJ-TEDA")
    ours = await person(clean, "ops@teda.example", "operator:TJ-TEDA")
    theirs = await person(clean, "ops@etown.example", "operator:BJ-ETOWN")
    assert await gql(app_client, theirs, QUEUE) == []
    [entry] = await gql(app_client, ours, QUEUE)
    refused = await gql(app_client, theirs, REJECT, id=entry["id"], zh="无")
    assert (refused["code"], refused["field"]) == ("NOT_FOUND", "id")
    # Rejecting needs a reason; the refusal names the field and writes nothing.
    bare = await gql(app_client, ours, REJECT, id=entry["id"])
    assert (bare["code"], bare["field"]) == ("INVALID_INPUT", "reasonZh")
    done = await gql(app_client, ours, REJECT, id=entry["id"], zh="营业执照模糊", en="Unreadable")
    assert done["verification"]["state"] == "REJECTED"
    assert done["verification"]["organizationStatus"] == "rejected"
    assert (done["verification"]["reasonZh"], done["verification"]["decidedBy"]) == (
        "营业执照模糊",
        "ops@teda.example",
    )
    [(to, values)] = await clean.read(_mails, "verification_decided")
    assert to == FOUNDER and values["approved"] is False
    assert values["reason"] == {"zh": "营业执照模糊", "en": "Unreadable"}


async def test_a_plain_member_or_anonymous_caller_has_no_queue(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    founder = await _registered(clean, app_client)
    assert await gql(app_client, founder, QUEUE) == []
    response = await app_client.post("/graphql", json={"query": QUEUE})
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_two_claims_wait_apart_and_only_the_approved_one_makes_a_member(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    await sample.load(clean)  # a firm loaded by a park (verified, no members)
    admin = await person(clean, "root@hub.example", "admin")
    ana = await person(clean, "ana@claims.example")
    bo = await person(clean, "bo@claims.example")
    for handle, token, eid in (("ana@claims.example", ana, "ea"), ("bo@claims.example", bo, "eb")):
        await evidence(clean, handle, eid)
        claimed = await gql(app_client, token, CLAIM, u=sample.USCC, e=eid)
        assert claimed["verification"]["state"] == "PENDING", claimed
        assert claimed["verification"]["asked"] == "CLAIM"
    twice = await gql(app_client, ana, CLAIM, u=sample.USCC, e="ea")
    assert (twice["code"], twice["field"]) == ("CONFLICT", "uscc")
    # Nothing granted before approval: no member, no change of the firm.
    assert await members(clean, sample.USCC) == []
    rename = {**NEW_ORG, "uscc": sample.USCC, "nameEn": "Taken over"}
    assert (await gql(app_client, ana, UPDATE, i=rename))["code"] == "NOT_FOUND"
    queue = await gql(app_client, admin, QUEUE)
    assert sorted((e["asker"], e["evidence"]["id"]) for e in queue) == [
        ("ana@claims.example", "ea"),
        ("bo@claims.example", "eb"),
    ]
    by_asker = {e["asker"]: e["id"] for e in queue}
    await gql(app_client, admin, APPROVE, id=by_asker["ana@claims.example"])
    await gql(app_client, admin, REJECT, id=by_asker["bo@claims.example"], en="Not the firm")
    assert await members(clean, sample.USCC) == ["ana@claims.example"]
    shown = await gql(app_client, ana, ORGANIZATION, u=sample.USCC)
    assert shown["status"] == "verified"  # the firm's data and standing are kept
    actions = [(r["action"], r["actor"]) for r in await audited(clean, "Verification")]
    assert sorted(actions) == [
        ("approve", "root@hub.example"),
        ("reject", "root@hub.example"),
        ("request", "ana@claims.example"),
        ("request", "bo@claims.example"),
    ]


async def test_a_claim_needs_a_firm_in_the_hub_and_the_claimants_own_evidence(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    await sample.load(clean)
    ana = await person(clean, "ana@claims.example")
    await person(clean, "bo@claims.example")
    await evidence(clean, "bo@claims.example", "eb")
    missing = await gql(app_client, ana, CLAIM, u=factories.uscc(77), e="eb")
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "uscc")
    borrowed = await gql(app_client, ana, CLAIM, u=sample.USCC, e="eb")
    assert (borrowed["code"], borrowed["field"]) == ("INVALID_INPUT", "evidence")
    bad = await gql(app_client, ana, CLAIM, u="91110000MA0000000X", e="eb")
    assert (bad["code"], bad["field"]) == ("INVALID_INPUT", "uscc")
    assert await audited(clean, "Verification") == []
