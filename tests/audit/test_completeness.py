"""Every mutation in the schema, called once over GraphQL, leaves exactly one audit record
per change it made, written by the caller in that HTTP request (same transaction), and no
mutation can touch the audit log.

The calls are told in chapters, one per area, each a test on a fresh network; a chapter
calls exactly the mutations it declares, and together the chapters declare every mutation
of the schema: a mutation added without a step here fails the test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest

from hub.accounts import totp
from hub.db.driver import Database, Tx
from hub.time import now
from tests import factories
from tests.accounts.common import mails, signed_in, token_of
from tests.registry import sample
from tests.registry.test_mutations import NEW_ORG
from tests.routing.common import OTHER_PROVIDER, REQUESTER
from tests.routing.test_routing_api import _input
from tests.schema_sdl import operations, type_body

PROBLEM = "... on Problem { code field messageEn }"


@dataclass(frozen=True)
class Person:
    """Someone who calls mutations in the story, with the roles of their token."""

    handle: str
    roles: tuple[str, ...] = ()


ADMIN = Person("root@hub", ("admin",))
FOUNDER = Person("founder@new")
STARTUP = Person("cmc@startup", (f"requester:{REQUESTER}",))
SALES = Person("sales@cdmo", (f"provider:{sample.USCC}",))
RIVAL = Person("sales@other", (f"provider:{OTHER_PROVIDER}",))


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
    tokens: dict[Person, str] = field(default_factory=dict)
    last: httpx.Response | None = None  # the answer of the last call (its cookies)

    async def token(self, person: Person) -> str:
        """The person's API token, issued on first use."""
        if person not in self.tokens:
            self.tokens[person] = await factories.token(self.db, person.handle, *person.roles)
        return self.tokens[person]

    async def call(
        self,
        person: Person,
        document: str,
        expected: list[tuple[str, str]],
        headers: dict[str, str] | None = None,
        **variables: Any,
    ) -> dict[str, Any]:
        """Run one mutation (with the person's API token, or these headers: a session's);
        check the audit records it added, return its result."""
        if headers is None:  # before the records are seen: issuing is audited
            headers = {"authorization": f"Bearer {await self.token(person)}"}
        self.seen |= {r["id"] for r in await self.db.read(_records)}
        response = await self.client.post(
            "/graphql", json={"query": document, "variables": variables}, headers=headers
        )
        self.last = response
        body = response.json()
        assert "errors" not in body, body
        [(name, result)] = body["data"].items()
        assert "code" not in result, result
        self.called.add(name)
        added = [r for r in await self.db.read(_records) if r["id"] not in self.seen]
        assert sorted((r["entity"], r["action"]) for r in added) == sorted(expected), name
        assert {r["actor"] for r in added} == {person.handle}, name
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


# The taxonomy


async def _taxonomy(story: Story) -> None:
    await story.call(
        ADMIN,
        doc("$i: CapabilityInput!", "addCapability(input: $i)"),
        [("Capability", "create")],
        i={"parent": "DP.STE", "segment": "BFS", "nameZh": "吹灌封", "nameEn": "Blow-fill-seal"},
    )


# The registry: an organization's life, its site and what it holds there, its capacity

ORG = "$i: OrganizationInput!"
USCC = NEW_ORG["uscc"]


async def _organization(story: Story) -> None:
    """Registered and renamed by its founder, deactivated and reactivated by an admin."""
    await story.call(
        FOUNDER,
        doc(ORG, "registerOrganization(input: $i)"),
        [("Organization", "create"), ("Verification", "request")],
        i=NEW_ORG,
    )
    await story.call(
        FOUNDER,
        doc(ORG, "updateOrganization(input: $i)"),
        [("Organization", "update")],
        i={**NEW_ORG, "nameEn": "Renamed (fictional)"},
    )
    for call, action in (("deactivate", "retire"), ("reactivate", "reactivate")):
        await story.call(
            ADMIN,
            doc("$u: String!", f'{call}Organization(uscc: $u, reason: "checked")'),
            [("Organization", action)],
            u=USCC,
        )


async def _site(story: Story) -> None:
    site = {
        "uscc": USCC,
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
        FOUNDER, doc("$i: SiteInput!", "saveSite(input: $i)"), [("Site", "create")], i=site
    )


async def _equipment(story: Story) -> str:
    equipment = {"uscc": USCC, "site": "s1", "tag": "LYO-1", "type": "freeze dryer"}
    saved = await story.call(
        FOUNDER,
        doc(
            "$i: EquipmentInput!",
            "saveEquipment(input: $i)",
            "... on EquipmentSaved { equipment { id } }",
        ),
        [("Equipment", "create")],
        i=equipment,
    )
    return str(saved["equipment"]["id"])


async def _offering(story: Story) -> str:
    offering = {
        "uscc": USCC,
        "site": "s1",
        "offering": "lyo",
        "capability": "DP.STE.LYO",
        "gmpGrade": "GMP_COMMERCIAL",
        "scaleMin": 100,
        "scaleMax": 2000,
    }
    saved = await story.call(
        FOUNDER,
        doc(
            "$i: OfferingInput!",
            "saveOffering(input: $i)",
            "... on OfferingSaved { offering { id } }",
        ),
        [("Offering", "create")],
        i=offering,
    )
    return str(saved["offering"]["id"])


async def _certificate(story: Story) -> str:
    certificate = {
        "uscc": USCC,
        "authority": "NMPA_GMP",
        "number": "TJ-0001",
        "validFrom": "2026-01-01",
        "validTo": "2029-12-31",
        "sites": ["s1"],
        "capabilities": ["DP.STE"],
    }
    saved = await story.call(
        FOUNDER,
        doc(
            "$i: CertificateInput!",
            "saveCertificate(input: $i)",
            "... on CertificateSaved { certificate { id } }",
        ),
        [("Certificate", "create")],
        i=certificate,
    )
    return str(saved["certificate"]["id"])


async def _first_bucket(tx: Tx, offering_id: str) -> str:
    row = await tx.single(
        "MATCH (b:CapacityBucket {owner_id: $o}) RETURN b.id AS id ORDER BY id LIMIT 1",
        o=offering_id,
    )
    assert row is not None
    return str(row["id"])


async def _capacity(story: Story, offering_id: str) -> None:
    """Two weeks published for the offering, then the first one adjusted."""
    weeks = [
        {"start": "2027-01-04T00:00:00+08:00", "total": 500},
        {"start": "2027-01-11T00:00:00+08:00", "total": 500},
    ]
    await story.call(
        FOUNDER,
        doc("$i: CapacityInput!", "publishCapacity(input: $i)"),
        [("CapacityBucket", "create")] * 2,
        i={"owner": offering_id, "grain": "WEEK", "buckets": weeks},
    )
    await story.call(
        FOUNDER,
        doc("$id: ID!, $t: Float!", "adjustCapacity(id: $id, total: $t)"),
        [("CapacityBucket", "update")],
        id=await story.db.read(_first_bucket, offering_id),
        t=400,
    )


async def _retire(story: Story, what: str, key: str) -> None:
    await story.call(FOUNDER, doc("$id: ID!", f"retire{what}(id: $id)"), [(what, "retire")], id=key)


async def _registry(story: Story) -> None:
    await _organization(story)
    await _site(story)
    equipment_id = await _equipment(story)
    offering_id = await _offering(story)
    certificate_id = await _certificate(story)
    await _capacity(story, offering_id)
    await _retire(story, "Certificate", certificate_id)
    await _retire(story, "Offering", offering_id)
    await _retire(story, "Equipment", equipment_id)
    await _retire(story, "Site", f"{USCC}/s1")


# Routing: a request submitted, routed, quoted, awarded and completed; another cancelled

SUBMIT = doc(
    "$i: RequestInput!", "submitRequest(input: $i)", "... on RequestChanged { request { id } }"
)


async def _submitted(story: Story) -> str:
    made = await story.call(STARTUP, SUBMIT, [("Request", "submit")], i=_input())
    return str(made["request"]["id"])


async def _match(tx: Tx, request_id: str, provider: str) -> str:
    row = await tx.single(
        "MATCH (m:Match {request_id: $r, uscc: $u}) RETURN m.id AS id", r=request_id, u=provider
    )
    assert row is not None
    return str(row["id"])


async def _quoted(story: Story, request_id: str) -> str:
    """One provider declines its match, the other accepts with a quote; its match's id."""
    await story.call(
        RIVAL,
        doc("$id: ID!", 'declineMatch(id: $id, reason: "booked")'),
        [("Match", "declined")],
        id=await story.db.read(_match, request_id, OTHER_PROVIDER),
    )
    chosen = await story.db.read(_match, request_id, sample.USCC)
    quote = '{price: 900000, leadTimeDays: 30, validUntil: "2030-12-31T00:00:00+08:00"}'
    await story.call(
        SALES,
        doc("$id: ID!", f"acceptMatch(id: $id, quote: {quote})"),
        [("Match", "accepted")],
        id=chosen,
    )
    return chosen


async def _awarded_and_completed(story: Story, request_id: str, chosen: str) -> None:
    await story.call(
        STARTUP,
        doc("$r: ID!, $m: ID!", "awardMatch(requestId: $r, matchId: $m)"),
        [("Request", "award")],
        r=request_id,
        m=chosen,
    )
    await story.call(
        STARTUP,
        doc("$id: ID!", "completeRequest(id: $id, onTime: true, rating: 5)"),
        [("Request", "complete")],
        id=request_id,
    )


async def _routing(story: Story) -> None:
    request_id = await _submitted(story)
    await story.call(
        STARTUP,
        doc("$id: ID!", "routeRequest(id: $id, k: 2)"),
        [("Request", "route")],
        id=request_id,
    )
    chosen = await _quoted(story, request_id)
    await _awarded_and_completed(story, request_id, chosen)
    other = await _submitted(story)
    await story.call(
        STARTUP, doc("$id: ID!", "cancelRequest(id: $id)"), [("Request", "cancel")], id=other
    )


# Webhooks: a subscription created, switched off, its secret rotated, deleted


async def _subscribed(story: Story) -> str:
    hook = {"uscc": REQUESTER, "url": "http://127.0.0.1:9/hooks"}
    created = await story.call(
        STARTUP,
        doc(
            "$i: WebhookSubscriptionInput!",
            "createWebhookSubscription(input: $i)",
            "... on WebhookSecret { subscription { id } }",
        ),
        [("WebhookSubscription", "create")],
        i=hook,
    )
    return str(created["subscription"]["id"])


async def _webhooks(story: Story) -> None:
    hook_id = await _subscribed(story)
    await story.call(
        STARTUP,
        doc("$id: ID!", "updateWebhookSubscription(id: $id, input: {active: false})"),
        [("WebhookSubscription", "update")],
        id=hook_id,
    )
    for call, action in (
        ("rotateWebhookSecret", "rotate-secret"),
        ("deleteWebhookSubscription", "delete"),
    ):
        await story.call(
            STARTUP,
            doc("$id: ID!", f"{call}(id: $id)"),
            [("WebhookSubscription", action)],
            id=hook_id,
        )


# Identity: a second token of the startup's, revoked


async def _newest_token(tx: Tx) -> str:
    row = await tx.single(
        "MATCH (t:ApiToken)-[:AUTHENTICATES]->(:Principal {handle: 'cmc@startup'}) "
        "WHERE t.revoked_at IS NULL RETURN t.id AS id ORDER BY t.created_at DESC LIMIT 1"
    )
    assert row is not None
    return str(row["id"])


async def _tokens(story: Story) -> None:
    await story.token(STARTUP)  # the token that calls, issued before the one to revoke
    await factories.token(story.db, STARTUP.handle, *STARTUP.roles)  # to revoke
    await story.call(
        STARTUP,
        doc("$id: ID!", "revokeApiToken(id: $id)"),
        [("ApiToken", "revoke")],
        id=await story.db.read(_newest_token),
    )


# Onboarding: two claims on a firm already in the hub, one approved, one rejected

CLAIMANTS = (Person("ana@claims"), Person("bo@claims"))
CLAIMED = "... on VerificationSaved { verification { id } }"


async def _evidence_of(tx: Tx, handle: str) -> str:
    row = await tx.single(
        "MATCH (p:Principal {handle: $h}) CREATE (e:Evidence {id: 'e' + right(p.id, 8), "
        "owner: p.id, media_type: 'application/pdf', size: 9, sha256: 'x'}) RETURN e.id AS id",
        h=handle,
    )
    assert row is not None
    return str(row["id"])


async def _onboarding(story: Story) -> None:
    claims = []
    for claimant in CLAIMANTS:
        await story.token(claimant)
        evidence = await story.db.write(_evidence_of, claimant.handle)
        claimed = await story.call(
            claimant,
            doc("$u: String!, $e: ID!", "claimOrganization(uscc: $u, evidence: $e)", CLAIMED),
            [("Verification", "request")],
            u=sample.USCC,
            e=evidence,
        )
        claims.append(claimed["verification"]["id"])
    await story.call(
        ADMIN,
        doc("$id: ID!", "approveVerification(id: $id)"),
        [("Verification", "approve")],
        id=claims[0],
    )
    await story.call(
        ADMIN,
        doc("$id: ID!", 'rejectVerification(id: $id, reasonZh: "非本机构")'),
        [("Verification", "reject")],
        id=claims[1],
    )


# Accounts: a person's whole life, signed in by session cookie where the console is needed

PERSON = Person("li.na@example.test")
PASSWORD, NEW_PASSWORD = "lyophilised-vials-2027", "fed-batch-at-2000-litres"


def _session(story: Story) -> dict[str, str]:
    """The cookies of the last sign-in, and the CSRF token the console sends with them."""
    assert story.last is not None
    cookies = dict(story.last.cookies.items())
    return {
        "cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "x-hub-csrf": cookies["__Host-hub_csrf"],
    }


async def _link(story: Story, template: str) -> str:
    [mail] = await mails(story.db, PERSON.handle, template)
    return token_of(mail)


async def _accounts(story: Story) -> None:
    anyone: dict[str, str] = {}
    email, sign_in = PERSON.handle, {"email": PERSON.handle, "password": PASSWORD}
    await story.call(
        PERSON,
        doc("$i: SignUpInput!", "signUp(input: $i)"),
        [("Person", "sign_up")],
        anyone,
        i=sign_in,
    )
    token = await _link(story, "confirm_email")
    await story.call(
        PERSON,
        doc("$t: String!", "confirmEmail(token: $t)"),
        [("Person", "confirm_email")],
        anyone,
        t=token,
    )
    signing_in = doc("$i: SignInInput!", "signIn(input: $i)")
    await story.call(PERSON, signing_in, [("Session", "sign_in")], anyone, i=sign_in)
    session = _session(story)
    await story.call(
        PERSON,
        doc("$c: String!, $n: String!", "changePassword(currentPassword: $c, newPassword: $n)"),
        [("Person", "change_password")],
        session,
        c=PASSWORD,
        n=NEW_PASSWORD,
    )
    created = await story.call(
        PERSON,
        doc(
            "$i: PersonalTokenInput!",
            "createPersonalToken(input: $i)",
            "... on PersonalTokenCreated { token { id } }",
        ),
        [("ApiToken", "issue")],
        session,
        i={"name": "nightly", "roles": [], "expiresAt": (now() + timedelta(days=30)).isoformat()},
    )
    await story.call(
        PERSON,
        doc("$id: ID!", "revokePersonalToken(id: $id)"),
        [("ApiToken", "revoke")],
        session,
        id=created["token"]["id"],
    )
    await story.call(
        PERSON,
        doc("$k: NotificationKind!", "switchNotification(kind: $k, on: false)"),
        [("Person", "notifications")],
        session,
        k="QUOTE_RECEIVED",
    )
    enrolled = await story.call(
        PERSON,
        "mutation { enrolTotp { ... on TotpEnrolment { secret } } }",
        [("Person", "enrol_totp")],
        session,
    )
    step = int(now().timestamp()) // totp.STEP_S
    code = totp.code_at(enrolled["secret"], step)
    await story.call(
        PERSON,
        doc("$c: String!", "confirmTotp(code: $c)"),
        [("Person", "enable_totp")],
        session,
        c=code,
    )
    await story.call(
        PERSON,
        doc("$p: String!, $c: String!", "disableTotp(password: $p, code: $c)"),
        [("Person", "disable_totp")],
        session,
        p=NEW_PASSWORD,
        c=totp.code_at(enrolled["secret"], step + 1),
    )
    await story.call(
        PERSON,
        "mutation { signOutEverywhere { sessions } }",
        [("Person", "sign_out_everywhere")],
        session,
    )
    await story.call(
        PERSON,
        signing_in,
        [("Session", "sign_in")],
        anyone,
        i={**sign_in, "password": NEW_PASSWORD},
    )
    await story.call(
        PERSON, "mutation { signOut { signedOut } }", [("Session", "sign_out")], _session(story)
    )
    await story.call(
        PERSON,
        doc("$e: String!", "requestPasswordReset(email: $e)"),
        [("Person", "request_password_reset")],
        anyone,
        e=email,
    )
    await story.call(
        PERSON,
        doc("$t: String!, $p: String!", "resetPassword(token: $t, newPassword: $p)"),
        [("Person", "reset_password")],
        anyone,
        t=await _link(story, "reset_password"),
        p=PASSWORD,
    )


# Members: a colleague invited (once revoked), accepting, re-roled and removed; an operator
# invited to a park

BOSS = Person("boss@cdmo", (f"firm_admin:{sample.USCC}",))
COLLEAGUE = Person("zhang.wei@example.test")
INVITE = doc(
    "$u: String!, $e: String!",
    "inviteMember(uscc: $u, email: $e, role: PROVIDER)",
    "... on Invited { invitation { id } }",
)


async def _members(story: Story) -> None:
    colleague = await signed_in(story.client, story.db, COLLEAGUE.handle)
    first = await story.call(
        BOSS, INVITE, [("Invitation", "create")], u=sample.USCC, e=COLLEAGUE.handle
    )
    await story.call(
        BOSS,
        doc("$id: ID!", "revokeInvitation(id: $id)"),
        [("Invitation", "revoke")],
        id=first["invitation"]["id"],
    )
    await story.call(BOSS, INVITE, [("Invitation", "create")], u=sample.USCC, e=COLLEAGUE.handle)
    [*_, mail] = await mails(story.db, COLLEAGUE.handle, "invitation")
    await story.call(
        COLLEAGUE,
        doc("$t: String!", "acceptInvitation(token: $t)"),
        [("Invitation", "accept"), ("Member", "create")],
        colleague._headers(),
        t=token_of(mail),
    )
    member = {"u": sample.USCC, "e": COLLEAGUE.handle}
    await story.call(
        BOSS,
        doc("$u: String!, $e: String!", "changeMemberRole(uscc: $u, email: $e, role: REQUESTER)"),
        [("Member", "change_role")],
        **member,
    )
    await story.call(
        BOSS,
        doc("$u: String!, $e: String!", "removeMember(uscc: $u, email: $e)"),
        [("Member", "remove")],
        **member,
    )
    await story.call(
        ADMIN,
        doc("$e: String!", 'inviteParkOperator(park: "BJ-ETOWN", email: $e)'),
        [("Invitation", "create")],
        e="staff@etown.example.test",
    )
    await factories.token(story.db, "old@etown.example.test", "operator:BJ-ETOWN")
    await story.call(
        ADMIN,
        doc("$e: String!", 'removeParkOperator(park: "BJ-ETOWN", email: $e)'),
        [("ParkOperator", "remove")],
        e="old@etown.example.test",
    )
    await story.call(
        ADMIN,
        doc("$u: String!", "requireSecondFactor(uscc: $u, required: true)"),
        [("Organization", "second_factor_required")],
        u=sample.USCC,
    )


Chapter = Callable[[Story], Awaitable[None]]

# Each chapter and the mutations it calls, exactly.
CHAPTERS: dict[str, tuple[Chapter, set[str]]] = {
    "taxonomy": (_taxonomy, {"addCapability"}),
    "registry": (
        _registry,
        {
            "registerOrganization",
            "updateOrganization",
            "deactivateOrganization",
            "reactivateOrganization",
            "saveSite",
            "saveEquipment",
            "saveOffering",
            "saveCertificate",
            "publishCapacity",
            "adjustCapacity",
            "retireCertificate",
            "retireOffering",
            "retireEquipment",
            "retireSite",
        },
    ),
    "routing": (
        _routing,
        {
            "submitRequest",
            "routeRequest",
            "declineMatch",
            "acceptMatch",
            "awardMatch",
            "completeRequest",
            "cancelRequest",
        },
    ),
    "webhooks": (
        _webhooks,
        {
            "createWebhookSubscription",
            "updateWebhookSubscription",
            "rotateWebhookSecret",
            "deleteWebhookSubscription",
        },
    ),
    "tokens": (_tokens, {"revokeApiToken"}),
    "onboarding": (
        _onboarding,
        {"claimOrganization", "approveVerification", "rejectVerification"},
    ),
    "accounts": (
        _accounts,
        {
            "signUp",
            "confirmEmail",
            "signIn",
            "changePassword",
            "createPersonalToken",
            "revokePersonalToken",
            "switchNotification",
            "enrolTotp",
            "confirmTotp",
            "disableTotp",
            "signOutEverywhere",
            "signOut",
            "requestPasswordReset",
            "resetPassword",
        },
    ),
    "members": (
        _members,
        {
            "inviteMember",
            "revokeInvitation",
            "acceptInvitation",
            "changeMemberRole",
            "removeMember",
            "inviteParkOperator",
            "removeParkOperator",
            "requireSecondFactor",
        },
    ),
}


@pytest.mark.parametrize("chapter", CHAPTERS)
async def test_every_mutation_writes_one_audit_record_per_change(
    chapter: str, story_network: Database, app_client: httpx.AsyncClient
) -> None:
    tell, mutations = CHAPTERS[chapter]
    story = Story(story_network, app_client)
    await tell(story)
    assert story.called == mutations, mutations ^ story.called


def test_the_chapters_call_every_mutation() -> None:
    called = set().union(*(mutations for _, mutations in CHAPTERS.values()))
    assert called == operations("Mutation"), operations("Mutation") ^ called


def test_no_mutation_takes_or_returns_audit_records() -> None:
    assert "Audit" not in type_body("Mutation")
