"""Every mutation in the schema, called once over GraphQL, leaves exactly one audit record
per change it made, written by the caller in that HTTP request (same transaction), and no
mutation can touch the audit log. A mutation added without a step here fails the test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from tests import factories
from tests.registry import sample
from tests.registry.test_mutations import NEW_ORG
from tests.routing.common import OTHER_PROVIDER, REQUESTER
from tests.routing.test_routing_api import _input
from tests.schema_sdl import operations, type_body

PROBLEM = "... on Problem { code field messageEn }"


async def _records(tx: Tx) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (a:AuditRecord) RETURN a {.id, .entity, .action, .key, .actor, .request_id} AS a"
    )
    return [dict(r["a"]) for r in rows]


@dataclass
class Story:
    db: Database
    client: httpx.AsyncClient
    seen: set[str] = field(default_factory=set)
    called: set[str] = field(default_factory=set)

    async def call(
        self,
        token: str,
        handle: str,
        document: str,
        expected: list[tuple[str, str]],
        **variables: Any,
    ) -> dict[str, Any]:
        """Run one mutation; check the audit records it added, return its result."""
        self.seen |= {r["id"] for r in await self.db.read(_records)}
        response = await self.client.post(
            "/graphql",
            json={"query": document, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
        )
        body = response.json()
        assert "errors" not in body, body
        [(name, result)] = body["data"].items()
        assert "code" not in result, result
        self.called.add(name)
        added = [r for r in await self.db.read(_records) if r["id"] not in self.seen]
        assert sorted((r["entity"], r["action"]) for r in added) == sorted(expected), name
        assert {r["actor"] for r in added} == {handle}, name
        assert {r["request_id"] for r in added} == {response.headers["x-request-id"]}, name
        return dict(result)


def doc(declared: str, call: str, success: str = "") -> str:
    return f"mutation({declared}) {{ {call} {{ __typename {PROBLEM} {success} }} }}"


async def _remove_added_capability(tx: Tx) -> None:
    await tx.run("MATCH (c:Capability {code: 'DP.STE.BFS'}) DETACH DELETE c")


@pytest.fixture
async def story_network(network: Database) -> AsyncIterator[Database]:
    """The routing network; the taxonomy node the story adds is removed afterwards (the
    taxonomy is reference data, which `clean` keeps)."""
    yield network
    await network.write(_remove_added_capability)


async def test_every_mutation_writes_one_audit_record_per_change(
    story_network: Database, app_client: httpx.AsyncClient
) -> None:
    network = story_network
    story = Story(network, app_client)
    admin = await factories.token(network, "root@hub", "admin")
    founder = await factories.token(network, "founder@new")
    startup = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    sales = await factories.token(network, "sales@cdmo", f"provider:{sample.USCC}")
    rival = await factories.token(network, "sales@other", f"provider:{OTHER_PROVIDER}")
    uscc = NEW_ORG["uscc"]

    await story.call(
        admin,
        "root@hub",
        doc("$i: CapabilityInput!", "addCapability(input: $i)"),
        [("Capability", "create")],
        i={"parent": "DP.STE", "segment": "BFS", "nameZh": "吹灌封", "nameEn": "Blow-fill-seal"},
    )
    org = "$i: OrganizationInput!"
    await story.call(
        founder,
        "founder@new",
        doc(org, "registerOrganization(input: $i)"),
        [("Organization", "create")],
        i=NEW_ORG,
    )
    await story.call(
        founder,
        "founder@new",
        doc(org, "updateOrganization(input: $i)"),
        [("Organization", "update")],
        i={**NEW_ORG, "nameEn": "Renamed (fictional)"},
    )
    for call, action in (("deactivate", "retire"), ("reactivate", "reactivate")):
        await story.call(
            admin,
            "root@hub",
            doc("$u: String!", f'{call}Organization(uscc: $u, reason: "checked")'),
            [("Organization", action)],
            u=uscc,
        )
    site = {
        "uscc": uscc,
        "site": "s1",
        "nameZh": "一厂",
        "nameEn": "Plant 1",
        "address": "天津经济技术开发区示例路1号",
        "city": "天津",
        "lat": 39.0,
        "lon": 117.7,
        "park": "TJ-TEDA",
    }
    await story.call(
        founder,
        "founder@new",
        doc("$i: SiteInput!", "saveSite(input: $i)"),
        [("Site", "create")],
        i=site,
    )
    equipment = {"uscc": uscc, "site": "s1", "tag": "LYO-1", "type": "freeze dryer"}
    saved = await story.call(
        founder,
        "founder@new",
        doc(
            "$i: EquipmentInput!",
            "saveEquipment(input: $i)",
            "... on EquipmentSaved { equipment { id } }",
        ),
        [("Equipment", "create")],
        i=equipment,
    )
    equipment_id = saved["equipment"]["id"]
    offering = {
        "uscc": uscc,
        "site": "s1",
        "offering": "lyo",
        "capability": "DP.STE.LYO",
        "gmpGrade": "GMP_COMMERCIAL",
        "scaleMin": 100,
        "scaleMax": 2000,
    }
    saved = await story.call(
        founder,
        "founder@new",
        doc(
            "$i: OfferingInput!",
            "saveOffering(input: $i)",
            "... on OfferingSaved { offering { id } }",
        ),
        [("Offering", "create")],
        i=offering,
    )
    offering_id = saved["offering"]["id"]
    certificate = {
        "uscc": uscc,
        "authority": "NMPA_GMP",
        "number": "TJ-0001",
        "validFrom": "2026-01-01",
        "validTo": "2029-12-31",
        "sites": ["s1"],
        "capabilities": ["DP.STE"],
    }
    saved = await story.call(
        founder,
        "founder@new",
        doc(
            "$i: CertificateInput!",
            "saveCertificate(input: $i)",
            "... on CertificateSaved { certificate { id } }",
        ),
        [("Certificate", "create")],
        i=certificate,
    )
    certificate_id = saved["certificate"]["id"]
    weeks = [
        {"start": "2027-01-04T00:00:00+08:00", "total": 500},
        {"start": "2027-01-11T00:00:00+08:00", "total": 500},
    ]
    await story.call(
        founder,
        "founder@new",
        doc("$i: CapacityInput!", "publishCapacity(input: $i)"),
        [("CapacityBucket", "create")] * 2,
        i={"owner": offering_id, "grain": "WEEK", "buckets": weeks},
    )

    async def bucket(tx: Tx) -> str:
        row = await tx.single(
            "MATCH (b:CapacityBucket {owner_id: $o}) RETURN b.id AS id ORDER BY id LIMIT 1",
            o=offering_id,
        )
        assert row is not None
        return str(row["id"])

    await story.call(
        founder,
        "founder@new",
        doc("$id: ID!, $t: Float!", "adjustCapacity(id: $id, total: $t)"),
        [("CapacityBucket", "update")],
        id=await network.read(bucket),
        t=400,
    )
    for what, key, entity in (
        ("Certificate", certificate_id, "Certificate"),
        ("Offering", offering_id, "Offering"),
        ("Equipment", equipment_id, "Equipment"),
        ("Site", f"{uscc}/s1", "Site"),
    ):
        await story.call(
            founder,
            "founder@new",
            doc("$id: ID!", f"retire{what}(id: $id)"),
            [(entity, "retire")],
            id=key,
        )

    submit = doc(
        "$i: RequestInput!", "submitRequest(input: $i)", "... on RequestChanged { request { id } }"
    )
    made = await story.call(startup, "cmc@startup", submit, [("Request", "submit")], i=_input())
    request_id = made["request"]["id"]
    await story.call(
        startup,
        "cmc@startup",
        doc("$id: ID!", "routeRequest(id: $id, k: 2)"),
        [("Request", "route")],
        id=request_id,
    )

    async def match(tx: Tx, provider: str) -> str:
        row = await tx.single(
            "MATCH (m:Match {request_id: $r, uscc: $u}) RETURN m.id AS id", r=request_id, u=provider
        )
        assert row is not None
        return str(row["id"])

    await story.call(
        rival,
        "sales@other",
        doc("$id: ID!", 'declineMatch(id: $id, reason: "booked")'),
        [("Match", "declined")],
        id=await network.read(match, OTHER_PROVIDER),
    )
    chosen = await network.read(match, sample.USCC)
    quote = '{price: 900000, leadTimeDays: 30, validUntil: "2030-12-31T00:00:00+08:00"}'
    await story.call(
        sales,
        "sales@cdmo",
        doc("$id: ID!", f"acceptMatch(id: $id, quote: {quote})"),
        [("Match", "accepted")],
        id=chosen,
    )
    await story.call(
        startup,
        "cmc@startup",
        doc("$r: ID!, $m: ID!", "awardMatch(requestId: $r, matchId: $m)"),
        [("Request", "award")],
        r=request_id,
        m=chosen,
    )
    await story.call(
        startup,
        "cmc@startup",
        doc("$id: ID!", "completeRequest(id: $id, onTime: true, rating: 5)"),
        [("Request", "complete")],
        id=request_id,
    )
    other = await story.call(startup, "cmc@startup", submit, [("Request", "submit")], i=_input())
    await story.call(
        startup,
        "cmc@startup",
        doc("$id: ID!", "cancelRequest(id: $id)"),
        [("Request", "cancel")],
        id=other["request"]["id"],
    )

    hook = {"uscc": REQUESTER, "url": "http://127.0.0.1:9/hooks"}
    created = await story.call(
        startup,
        "cmc@startup",
        doc(
            "$i: WebhookSubscriptionInput!",
            "createWebhookSubscription(input: $i)",
            "... on WebhookSecret { subscription { id } }",
        ),
        [("WebhookSubscription", "create")],
        i=hook,
    )
    hook_id = created["subscription"]["id"]
    await story.call(
        startup,
        "cmc@startup",
        doc("$id: ID!", "updateWebhookSubscription(id: $id, input: {active: false})"),
        [("WebhookSubscription", "update")],
        id=hook_id,
    )
    for call, action in (
        ("rotateWebhookSecret", "rotate-secret"),
        ("deleteWebhookSubscription", "delete"),
    ):
        await story.call(
            startup,
            "cmc@startup",
            doc("$id: ID!", f"{call}(id: $id)"),
            [("WebhookSubscription", action)],
            id=hook_id,
        )

    await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")  # to revoke

    async def token_id(tx: Tx) -> str:
        row = await tx.single(
            "MATCH (t:ApiToken)-[:AUTHENTICATES]->(:Principal {handle: 'cmc@startup'}) "
            "WHERE t.revoked_at IS NULL RETURN t.id AS id ORDER BY t.created_at DESC LIMIT 1"
        )
        assert row is not None
        return str(row["id"])

    await story.call(
        startup,
        "cmc@startup",
        doc("$id: ID!", "revokeApiToken(id: $id)"),
        [("ApiToken", "revoke")],
        id=await network.read(token_id),
    )
    assert story.called == operations("Mutation"), operations("Mutation") ^ story.called


def test_no_mutation_takes_or_returns_audit_records() -> None:
    assert "Audit" not in type_body("Mutation")
