"""The authorization matrix: every query of the schema and every sensitive field, for every
kind of caller, against a policy table. A query without a row fails the test, so a new
operation cannot ship without a rule. A forbidden object behaves like a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from hub.config import Settings
from hub.db.driver import Database
from tests.schema_sdl import operations
from tests.security.matrix import (
    BAD_TOKENS,
    HIDDEN,
    KINDS,
    OK,
    SIGNED_OUT,
    Seen,
    World,
    refused,
    rule,
    world,
)

PUBLIC = rule(OK, **BAD_TOKENS)
SIGNED_IN = rule(OK, **SIGNED_OUT)


@dataclass(frozen=True)
class Row:
    query: str
    seen: dict[str, Seen]


# Every Query field: what each kind of caller gets.
QUERIES: dict[str, Row] = {
    "me": Row("{ me { handle } }", SIGNED_IN),
    # A person's own settings: the matrix's callers are machines, which have none.
    "notificationSettings": Row("{ notificationSettings { kind } }", rule(HIDDEN, **SIGNED_OUT)),
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
    "members": Row(
        "{ members(uscc: $provider) { uscc } }",
        rule(HIDDEN, **SIGNED_OUT, admin=OK, provider=OK),
    ),
    "parkOperators": Row(
        '{ parkOperators(park: "BJ-ETOWN") { park } }',
        rule(HIDDEN, **SIGNED_OUT, admin=OK, operator=OK),
    ),
    # An unknown link: nothing to show, to anyone (the link itself is the proof).
    "invitation": Row('{ invitation(token: "unknown") { email } }', rule(HIDDEN, **BAD_TOKENS)),
    "verificationQueue": Row(
        "{ verificationQueue { id } }", rule(HIDDEN, **SIGNED_OUT, admin=OK, operator=OK)
    ),
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
    if (seen := refused(response)) is not None:
        return seen
    [value] = response.json()["data"].values()
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
    the_world = await world(network, settings)
    wrong = await _check(app_client, the_world, {**QUERIES, **FIELDS})
    assert wrong == [], "\n".join(wrong)
