"""API tokens: issued once, stored as a hash, revocable, expiring; roles reach resolvers."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hub.db.driver import Database, Tx
from hub.errors import InvalidInput, NotAuthenticated, NotFound
from hub.identity import service
from hub.identity.model import Role, RoleKind
from tests import factories

ME = "{ me { handle roles { kind scope } apiTokens { name revokedAt } } }"
INTERNALS = ("Traceback", "neo4j", "bolt://", "/work/", "site-packages", "MATCH ")


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


async def _token_properties(tx: Tx) -> list[dict[str, object]]:
    return [dict(r["t"]) for r in await tx.records("MATCH (t:ApiToken) RETURN t")]


async def test_only_the_hash_is_stored(clean: Database) -> None:
    secret = await factories.token(clean, "ops@hub.test", "admin")
    stored = await clean.read(_token_properties)
    assert len(stored) == 1
    assert secret not in {str(v) for v in stored[0].values()}
    assert stored[0]["hash"] == service.hash_token(secret)


async def test_roles_reach_the_resolver(clean: Database, client: httpx.AsyncClient) -> None:
    provider = await factories.organization(clean, 1)
    requester = await factories.organization(clean, 2)
    secret = await factories.token(
        clean,
        "wang@example.test",
        f"provider:{provider}",
        f"requester:{requester}",
        "operator:BJ-ETOWN",
        "admin",
    )
    response = await client.post("/graphql", json={"query": ME}, headers=bearer(secret))
    me = response.json()["data"]["me"]
    assert me["handle"] == "wang@example.test"
    assert {(r["kind"], r["scope"]) for r in me["roles"]} == {
        ("PROVIDER", provider),
        ("REQUESTER", requester),
        ("OPERATOR", "BJ-ETOWN"),
        ("ADMIN", None),
    }


async def test_no_token_is_401_for_what_is_not_public(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": ME})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_no_token_still_reads_public_data(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ taxonomy { code } }"})
    assert response.status_code == 200
    assert len(response.json()["data"]["taxonomy"]) == 12


@pytest.mark.parametrize(
    "header",
    [
        "Bearer hub_not-a-real-token",
        "Bearer something-else",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer " + "hub_" + "x" * 5000,
    ],
)
async def test_a_bad_token_is_401_with_no_internals(
    client: httpx.AsyncClient,
    header: str,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ taxonomy { code } }"}, headers={"authorization": header}
    )
    assert response.status_code == 401
    body = response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not [word for word in INTERNALS if word in body]


async def test_a_revoked_token_is_401(clean: Database, client: httpx.AsyncClient) -> None:
    secret = await factories.token(clean, "li@example.test")
    assert (
        await client.post("/graphql", json={"query": ME}, headers=bearer(secret))
    ).status_code == 200
    [token] = await service.list_tokens(clean, "li@example.test")
    await service.revoke_token(clean, token.id)
    response = await client.post("/graphql", json={"query": ME}, headers=bearer(secret))
    assert response.status_code == 401


async def _expire(tx: Tx) -> None:
    await tx.run("MATCH (t:ApiToken) SET t.expires_at = datetime() - duration('PT1S')")


async def test_an_expired_token_is_401(clean: Database, client: httpx.AsyncClient) -> None:
    secret = await factories.token(
        clean, "zhao@example.test", expires_at=datetime.now(UTC) + timedelta(days=1)
    )
    assert (
        await client.post("/graphql", json={"query": ME}, headers=bearer(secret))
    ).status_code == 200
    await clean.write(_expire)
    with pytest.raises(NotAuthenticated):
        await service.authenticate(clean, secret)
    response = await client.post("/graphql", json={"query": ME}, headers=bearer(secret))
    assert response.status_code == 401


async def test_an_expiry_in_the_past_is_refused(clean: Database) -> None:
    with pytest.raises(InvalidInput) as refused:
        await factories.token(clean, "a@example.test", expires_at=datetime.now(UTC))
    assert refused.value.field == "expires"


async def test_a_role_for_an_unknown_organization_is_refused(clean: Database) -> None:
    with pytest.raises(NotFound, match=factories.uscc(99)):
        await factories.token(clean, "a@example.test", f"provider:{factories.uscc(99)}")
    with pytest.raises(NotFound, match="NO-SUCH-PARK"):
        await factories.token(clean, "a@example.test", "operator:NO-SUCH-PARK")
    assert await service.list_tokens(clean) == []


@pytest.mark.parametrize("text", ["root", "provider", "admin:x", "operator:"])
def test_malformed_roles_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Role.parse(text)
    assert refused.value.field == "role"


def test_roles_parse() -> None:
    assert Role.parse("Operator:BJ-ETOWN") == Role(RoleKind.OPERATOR, "BJ-ETOWN")
    assert str(Role.parse("admin")) == "admin"


REVOKE = """mutation($id: ID!) { revokeApiToken(id: $id) {
  __typename
  ... on ApiTokenRevoked { token { id revokedAt } }
  ... on Problem { code message messageZh messageEn field } } }"""


async def test_a_principal_revokes_its_own_token_but_not_anothers(
    clean: Database,
    client: httpx.AsyncClient,
) -> None:
    mine = await factories.token(clean, "mine@example.test")
    await factories.token(clean, "other@example.test")
    [own] = await service.list_tokens(clean, "mine@example.test")
    [other] = await service.list_tokens(clean, "other@example.test")

    foreign = await client.post(
        "/graphql", headers=bearer(mine), json={"query": REVOKE, "variables": {"id": other.id}}
    )
    problem = foreign.json()["data"]["revokeApiToken"]
    assert problem["__typename"] == "NotFoundProblem"
    assert (problem["code"], problem["field"]) == ("NOT_FOUND", "id")
    assert problem["message"] == problem["messageZh"] and "令牌" in problem["messageZh"]

    done = await client.post(
        "/graphql",
        headers={**bearer(mine), "accept-language": "en"},
        json={"query": REVOKE, "variables": {"id": own.id}},
    )
    assert done.json()["data"]["revokeApiToken"]["token"]["revokedAt"] is not None


async def test_an_admin_revokes_any_token(clean: Database, client: httpx.AsyncClient) -> None:
    admin = await factories.token(clean, "admin@example.test", "admin")
    await factories.token(clean, "other@example.test")
    [other] = await service.list_tokens(clean, "other@example.test")
    response = await client.post(
        "/graphql", headers=bearer(admin), json={"query": REVOKE, "variables": {"id": other.id}}
    )
    assert response.json()["data"]["revokeApiToken"]["__typename"] == "ApiTokenRevoked"


def _hub(cli_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", "tokens", *args],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_the_cli_prints_the_secret_once_and_lists_without_it(
    clean: Database,
    cli_env: dict[str, str],
    client: httpx.AsyncClient,
) -> None:
    created = _hub(
        cli_env,
        "create",
        "--user",
        "cli@example.test",
        "--role",
        "admin",
        "--expires-in-days",
        "30",
        "--name",
        "laptop",
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("hub_") and "cannot be shown again" in created.stderr
    listed = _hub(cli_env, "list")
    assert "cli@example.test" in listed.stdout and "active" in listed.stdout
    assert secret not in listed.stdout
    response = await client.post("/graphql", json={"query": ME}, headers=bearer(secret))
    assert response.json()["data"]["me"]["roles"] == [{"kind": "ADMIN", "scope": None}]

    token_id = listed.stdout.split()[0]
    assert _hub(cli_env, "revoke", token_id).returncode == 0
    assert "revoked" in _hub(cli_env, "list").stdout
    assert (
        await client.post("/graphql", json={"query": ME}, headers=bearer(secret))
    ).status_code == 401


def test_the_cli_names_a_bad_role(cli_env: dict[str, str]) -> None:
    done = _hub(cli_env, "create", "--user", "x@example.test", "--role", "superuser")
    assert done.returncode == 1
    assert "unknown role 'superuser'" in done.stderr
