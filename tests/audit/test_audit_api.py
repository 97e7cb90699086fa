"""Admins read the change log; others see nothing of it; expiring certificates are listed."""

from __future__ import annotations

import httpx

from hub.db.driver import Database, Tx
from tests import factories
from tests.registry import sample
from tests.registry.test_registry_api import bearer

LOG = """query($key: String) { auditLog(key: $key) {
  actor action entity key before after requestId } }"""


async def test_admins_read_who_changed_what(clean: Database, client: httpx.AsyncClient) -> None:
    await sample.load(clean)
    admin = await factories.token(clean, "ops@hub.test", "admin")
    response = await client.post(
        "/graphql", json={"query": LOG, "variables": {"key": sample.USCC}}, headers=bearer(admin)
    )
    [record] = response.json()["data"]["auditLog"]
    assert (record["actor"], record["action"], record["entity"]) == (
        "test:sample",
        "create",
        "Organization",
    )
    assert record["before"] is None
    assert record["after"]["name_zh"].endswith("（虚构）")


async def test_others_see_an_empty_log(clean: Database, client: httpx.AsyncClient) -> None:
    await sample.load(clean)
    member = await factories.token(clean, "bd@example.test", f"provider:{sample.USCC}")
    response = await client.post("/graphql", json={"query": LOG}, headers=bearer(member))
    assert response.json()["data"]["auditLog"] == []
    anonymous = await client.post("/graphql", json={"query": LOG})
    assert anonymous.status_code == 401


async def test_a_before_the_database_cannot_hold_is_refused_naming_it(
    clean: Database, client: httpx.AsyncClient
) -> None:
    admin = await factories.token(clean, "ops@hub.test", "admin")
    query = "query($b: DateTime) { auditLog(before: $b) { at } }"
    variables = {"b": "0001-01-01T00:00:00+08:00"}  # 0000-12-31 in UTC
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=bearer(admin)
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["extensions"]["field"] == "before"


def test_no_mutation_can_change_the_audit_log() -> None:
    from hub.api.schema import schema

    mutations = schema.as_str().split("type Mutation {")[1].split("}")[0]
    assert "audit" not in mutations.lower()


async def _expire_soon(tx: Tx) -> None:
    await tx.run("MATCH (c:Certificate) SET c.valid_to = date() + duration('P30D')")


EXPIRING = "{ expiringCertificates(withinDays: 90) { id status validTo } }"


async def test_certificates_expiring_soon_are_listed(
    clean: Database, client: httpx.AsyncClient
) -> None:
    await sample.load(clean)
    token = await factories.token(clean, "bd@example.test", f"provider:{sample.USCC}")
    response = await client.post("/graphql", json={"query": EXPIRING}, headers=bearer(token))
    assert response.json()["data"]["expiringCertificates"] == []
    await clean.write(_expire_soon)
    response = await client.post("/graphql", json={"query": EXPIRING}, headers=bearer(token))
    [certificate] = response.json()["data"]["expiringCertificates"]
    assert certificate["status"] == "EXPIRING"
