"""The authorization matrix: every query of the schema and every sensitive field, for every
kind of caller, against a policy table. A query without a row fails the test, so a new
operation cannot ship without a rule. A forbidden object behaves like a missing one.

Kinds of caller: anonymous, an expired token, a revoked token, an admin, a member of the
provider (the object's owner) or of another provider, a member of the requester or of
another requester, the operator of the provider's park or of another park.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import httpx

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.identity import service as identity
from hub.identity.model import Role
from hub.routing import service as routing
from tests import factories
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, REQUESTER, STARTUP, member, raw
from tests.schema_sdl import operations
from tests.webhooks.common import subscribe

KINDS = (
    "anonymous",
    "expired",
    "revoked",
    "admin",
    "provider",
    "other_provider",
    "requester",
    "other_requester",
    "operator",
    "other_operator",
)


class Seen(Enum):
    OK = "answered"
    HIDDEN = "as if missing (null, empty or NOT_FOUND)"
    UNAUTH = "401"


OK, HIDDEN, UNAUTH = Seen.OK, Seen.HIDDEN, Seen.UNAUTH
SIGNED_OUT = {"anonymous": UNAUTH, "expired": UNAUTH, "revoked": UNAUTH}
BAD_TOKENS = {"expired": UNAUTH, "revoked": UNAUTH}


def rule(default: Seen, **kinds: Seen) -> dict[str, Seen]:
    return {kind: kinds.get(kind, default) for kind in KINDS}


PUBLIC = rule(OK, **BAD_TOKENS)
SIGNED_IN = rule(OK, **SIGNED_OUT)


@dataclass(frozen=True)
class Row:
    query: str
    seen: dict[str, Seen]


# Every Query field: what each kind of caller gets.
QUERIES: dict[str, Row] = {
    "me": Row("{ me { handle } }", SIGNED_IN),
    "parks": Row("{ parks { code } }", PUBLIC),
    "taxonomy": Row("{ taxonomy { code } }", PUBLIC),
    "capability": Row('{ capability(code: "BIO.USP") { code } }', PUBLIC),
    "searchCapabilities": Row('{ searchCapabilities(text: "冻干") { code } }', PUBLIC),
    "organization": Row("{ organization(uscc: $provider) { uscc } }", PUBLIC),
    "organizations": Row("{ organizations { edges { node { uscc } } } }", PUBLIC),
    "offerings": Row(
        '{ offerings(filter: {capability: "BIO"}) { edges { node { id } } } }', PUBLIC
    ),
    "expiringCertificates": Row("{ expiringCertificates(withinDays: 3650) { id } }", SIGNED_IN),
    "request": Row(
        "{ request(id: $request) { id } }",
        rule(HIDDEN, **SIGNED_OUT, admin=OK, requester=OK, provider=OK),
    ),
    # Admins belong to no organization: their own lists are empty.
    "myRequests": Row("{ myRequests { id } }", rule(HIDDEN, **SIGNED_OUT, requester=OK)),
    "inbox": Row("{ inbox { id } }", rule(HIDDEN, **SIGNED_OUT, provider=OK)),
    "webhookSubscriptions": Row(
        "{ webhookSubscriptions(uscc: $requester) { id } }",
        rule(HIDDEN, **SIGNED_OUT, admin=OK, requester=OK),
    ),
    "webhookEventTypes": Row("{ webhookEventTypes }", PUBLIC),
    "auditLog": Row("{ auditLog { id } }", rule(HIDDEN, **SIGNED_OUT, admin=OK)),
    "parkNetwork": Row(
        '{ parkNetwork(scope: {parks: ["BJ-ETOWN"]}) { nodes { id } } }',
        rule(HIDDEN, **SIGNED_OUT, admin=OK, operator=OK),
    ),
}

# Sensitive fields: who sees a value (everyone else sees null, or no rows).
FIELDS: dict[str, Row] = {
    "Organization.contact": Row(
        "{ organization(uscc: $provider) { contact { email } } }",
        rule(HIDDEN, **BAD_TOKENS, admin=OK, provider=OK),
    ),
    "Organization.internalNote": Row(
        "{ organization(uscc: $provider) { internalNote } }",
        rule(HIDDEN, **BAD_TOKENS, admin=OK, provider=OK),
    ),
    "Organization.certificates": Row(
        "{ organization(uscc: $provider) { certificates { id } } }",
        rule(OK, **BAD_TOKENS, anonymous=HIDDEN),
    ),
    "Offering.capacity": Row(
        '{ offerings(filter: {capability: "BIO"}) { edges { node { capacity { id } } } } }',
        rule(OK, **BAD_TOKENS, anonymous=HIDDEN),
    ),
    "Request.budgetMax": Row(
        "{ request(id: $request) { budgetMax } }",
        rule(HIDDEN, **SIGNED_OUT, admin=OK, requester=OK),
    ),
    "Request.matches.quote": Row(
        "{ request(id: $request) { matches { quote { price } } } }",
        rule(HIDDEN, **SIGNED_OUT, admin=OK, requester=OK),
    ),
    "Request.nearMisses": Row(
        "{ request(id: $request) { nearMisses { offeringId } } }",
        rule(HIDDEN, **SIGNED_OUT, admin=OK, requester=OK),
    ),
}


@dataclass(frozen=True)
class World:
    tokens: dict[str, str | None]
    names: dict[str, str]


async def _quoted(tx: Tx, request_id: str) -> str:
    row = await tx.single(
        "MATCH (m:Match {request_id: $r, uscc: $u}) RETURN m.id AS id",
        r=request_id,
        u=OTHER_PROVIDER,
    )
    assert row is not None
    return str(row["id"])


async def _world(db: Database, settings: Settings) -> World:
    """The sample provider (in BJ-ETOWN), a second provider, a startup with a request routed
    to both (the second one quoted) and a webhook subscription, and a token of every kind."""
    request_id = await routing.submit(db, STARTUP, raw(budget_min=1, budget_max=3_000_000))
    await routing.route(db, STARTUP, request_id, k=2)
    await routing.respond(db, member(OTHER_PROVIDER), await db.read(_quoted, request_id), QUOTE)
    await db.write(_private_details)
    await subscribe(db, settings, "http://127.0.0.1:9/hooks")
    other_org = await factories.organization(db, 501)
    other_startup = await factories.organization(db, 502)
    expired = await factories.token(
        db,
        "old@startup",
        f"requester:{REQUESTER}",
        expires_at=datetime.now(UTC) + timedelta(seconds=1),
    )
    revoked, token = await identity.issue_token(
        db, "gone@startup", frozenset({Role.parse(f"requester:{REQUESTER}")}), "t"
    )
    await identity.revoke_token(db, token.id)
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "expired": expired,
        "revoked": revoked,
        "admin": await factories.token(db, "root@hub", "admin"),
        "provider": await factories.token(db, "sales@cdmo", f"provider:{sample.USCC}"),
        "other_provider": await factories.token(db, "sales@x", f"provider:{other_org}"),
        "requester": await factories.token(db, "cmc@startup", f"requester:{REQUESTER}"),
        "other_requester": await factories.token(db, "cmc@y", f"requester:{other_startup}"),
        "operator": await factories.token(db, "staff@etown", "operator:BJ-ETOWN"),
        "other_operator": await factories.token(db, "staff@teda", "operator:TJ-TEDA"),
    }
    await asyncio.sleep(1.1)  # the expired token's second is over
    return World(tokens, {"provider": sample.USCC, "requester": REQUESTER, "request": request_id})


async def _private_details(tx: Tx) -> None:
    """Contact and note on the provider; the second provider now lacks capacity (so the
    request has a near-miss to show)."""
    await tx.run(
        "MATCH (o:Organization {uscc: $u}) "
        "SET o.internal_note = 'note', o.contact_email = 'cmc@example.test'",
        u=sample.USCC,
    )
    await tx.run(
        "MATCH (o:Organization {uscc: $u})-[:HAS_SITE]->(:Site)-[:OFFERS]->(f:Offering) "
        "MATCH (b:CapacityBucket {owner_id: f.id}) SET b.total = 0",
        u=OTHER_PROVIDER,
    )


def _document(row: Row, names: dict[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: f'"{names[m.group(1)]}"', row.query)


def _empty(value: Any) -> bool:
    """Nothing in it but nulls and empty lists (what a caller sees of a hidden object)."""
    if isinstance(value, dict):
        return all(_empty(v) for k, v in value.items() if k != "__typename")
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value is None


def _seen(response: httpx.Response) -> Seen | str:
    if response.status_code == 401:
        return UNAUTH
    body = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    if codes == ["NOT_FOUND"]:
        return HIDDEN
    if codes:
        return f"errors {codes}"
    [value] = body["data"].values()
    return HIDDEN if _empty(value) else OK


async def _check(client: httpx.AsyncClient, world: World, rows: dict[str, Row]) -> list[str]:
    wrong = []
    for name, row in rows.items():
        document = _document(row, world.names)
        for kind in KINDS:
            token = world.tokens[kind]
            headers = {} if token is None else {"authorization": f"Bearer {token}"}
            response = await client.post("/graphql", json={"query": document}, headers=headers)
            seen = _seen(response)
            if seen != row.seen[kind]:
                wrong.append(f"{name} as {kind}: {seen} (policy: {row.seen[kind]})")
    return wrong


def test_every_query_has_a_policy_row() -> None:
    assert operations("Query") == set(QUERIES)


async def test_every_query_and_sensitive_field_follows_the_policy(
    network: Database, settings: Settings, app_client: httpx.AsyncClient
) -> None:
    world = await _world(network, settings)
    wrong = await _check(app_client, world, {**QUERIES, **FIELDS})
    assert wrong == [], "\n".join(wrong)
