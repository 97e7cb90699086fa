"""Personal API tokens: a person signed in to the console makes tokens for scripts,
carrying some of their roles, with an expiry; a token carries only roles its person still
holds; the person revokes their own tokens, never another's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from hub.db.driver import Database, Tx
from hub.identity import store
from hub.identity.model import Role
from hub.time import now
from tests import factories
from tests.accounts.common import ME, signed_in

EMAIL = "feng@example.test"
CREATE = """mutation($i: PersonalTokenInput!) { createPersonalToken(input: $i) {
  __typename ... on PersonalTokenCreated { secret token { id name expiresAt roles { kind scope } } }
  ... on Problem { code field messageEn } } }"""
REVOKE = """mutation($id: ID!) { revokePersonalToken(id: $id) {
  __typename ... on ApiTokenRevoked { token { revokedAt } } ... on Problem { code } } }"""


async def _grant(db: Database, handle: str, *roles: str) -> None:
    async def work(tx: Tx) -> None:
        await store.grant(tx, handle, frozenset(Role.parse(r) for r in roles))

    await db.write(work)


async def _leave(tx: Tx, uscc: str) -> None:
    await tx.run("MATCH (:Person)-[m:MEMBER_OF]->(:Organization {uscc: $u}) DELETE m", u=uscc)


def _input(**change: Any) -> dict[str, Any]:
    expires = (now() + timedelta(days=30)).isoformat()
    return {"name": "nightly export", "roles": [], "expiresAt": expires, **change}


async def _me_by_token(client: httpx.AsyncClient, secret: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {secret}"}
    )


async def test_a_token_carries_the_roles_it_names_while_its_person_holds_them(
    clean: Database, client: httpx.AsyncClient
) -> None:
    provider, startup = (
        await factories.organization(clean, 1),
        await factories.organization(clean, 2),
    )
    browser = await signed_in(client, clean, EMAIL)
    await _grant(clean, EMAIL, f"provider:{provider}", f"requester:{startup}")
    made = (await browser.gql(CREATE, i=_input(roles=[{"kind": "PROVIDER", "scope": provider}])))[
        "createPersonalToken"
    ]
    assert made["token"]["roles"] == [{"kind": "PROVIDER", "scope": provider}]
    me = (await _me_by_token(client, made["secret"])).json()["data"]["me"]
    assert me["signedInBy"] == "TOKEN" and me["roles"] == [{"kind": "PROVIDER", "scope": provider}]
    listed = (await browser.gql("{ me { apiTokens { name roles { scope } } } }"))["me"]["apiTokens"]
    assert listed == [{"name": "nightly export", "roles": [{"scope": provider}]}]

    await clean.write(_leave, provider)
    assert (await _me_by_token(client, made["secret"])).json()["data"]["me"]["roles"] == []


async def test_a_token_names_only_roles_held_and_a_near_expiry(
    clean: Database, client: httpx.AsyncClient
) -> None:
    startup = await factories.organization(clean, 2)
    browser = await signed_in(client, clean, EMAIL)
    cases = [
        (_input(roles=[{"kind": "ADMIN"}]), "roles"),
        (_input(roles=[{"kind": "REQUESTER", "scope": startup}]), "roles"),
        (_input(expiresAt=(now() - timedelta(minutes=1)).isoformat()), "expiresAt"),
        (_input(expiresAt=(now() + timedelta(days=400)).isoformat()), "expiresAt"),
        (_input(name=" "), "name"),
    ]
    for form, field in cases:
        result = (await browser.gql(CREATE, i=form))["createPersonalToken"]
        assert (result["code"], result["field"]) == ("INVALID_INPUT", field), result


async def test_a_person_revokes_their_own_tokens_only(
    clean: Database, client: httpx.AsyncClient
) -> None:
    mine, theirs = (
        await signed_in(client, clean, EMAIL),
        await signed_in(client, clean, "chu@example.test"),
    )
    made = (await mine.gql(CREATE, i=_input()))["createPersonalToken"]
    stranger = (await theirs.gql(REVOKE, id=made["token"]["id"]))["revokePersonalToken"]
    assert stranger == {"__typename": "NotFoundProblem", "code": "NOT_FOUND"}
    assert (await _me_by_token(client, made["secret"])).status_code == 200
    done = (await mine.gql(REVOKE, id=made["token"]["id"]))["revokePersonalToken"]
    assert done["token"]["revokedAt"] is not None
    assert (await _me_by_token(client, made["secret"])).status_code == 401


async def test_a_token_cannot_make_tokens(clean: Database, client: httpx.AsyncClient) -> None:
    """Else a leaked token could outlive its own expiry and revocation."""
    browser = await signed_in(client, clean, EMAIL)
    secret = (await browser.gql(CREATE, i=_input()))["createPersonalToken"]["secret"]
    response = await client.post(
        "/graphql",
        json={"query": CREATE, "variables": {"i": _input()}},
        headers={"authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 401


async def _audit(tx: Tx) -> list[tuple[str, str]]:
    rows = await tx.records(
        "MATCH (a:AuditRecord {entity: 'ApiToken'}) RETURN a.action AS action, a.actor AS actor"
    )
    return [(r["action"], r["actor"]) for r in rows]


async def test_making_and_revoking_a_token_is_audited(
    clean: Database, client: httpx.AsyncClient
) -> None:
    browser = await signed_in(client, clean, EMAIL)
    made = (await browser.gql(CREATE, i=_input()))["createPersonalToken"]
    await browser.gql(REVOKE, id=made["token"]["id"])
    assert sorted(await clean.read(_audit)) == [("issue", EMAIL), ("revoke", EMAIL)]


async def test_me_says_who_signed_in_without_an_account(
    clean: Database, client: httpx.AsyncClient
) -> None:
    token = await factories.token(clean, "robot@example.test")
    me = (await _me_by_token(client, token)).json()["data"]["me"]
    assert me["person"] is None and me["signedInBy"] == "TOKEN"
