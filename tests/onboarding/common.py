"""What the onboarding tests share: people, evidence, the GraphQL operations."""

from __future__ import annotations

from typing import Any

import httpx

from hub.db.driver import Database, Tx
from tests import factories
from tests.registry.test_mutations import NEW_ORG

USCC = NEW_ORG["uscc"]
PROBLEM = "... on Problem { code field messageZh messageEn }"
VERIFICATION = """... on VerificationSaved { verification { id uscc asked state asker
  organizationStatus reasonZh reasonEn decidedBy evidence { id mediaType url } } }"""

REGISTER = (
    "mutation($i: OrganizationInput!, $e: ID) { registerOrganization(input: $i, evidence: $e) "
    "{ __typename ... on OrganizationSaved { organization { uscc status } } " + PROBLEM + " } }"
)
CLAIM = (
    "mutation($u: String!, $e: ID!) { claimOrganization(uscc: $u, evidence: $e) "
    "{ __typename " + VERIFICATION + " " + PROBLEM + " } }"
)
APPROVE = (
    "mutation($id: ID!, $zh: String, $en: String) "
    "{ approveVerification(id: $id, reasonZh: $zh, reasonEn: $en) "
    "{ __typename " + VERIFICATION + " " + PROBLEM + " } }"
)
REJECT = APPROVE.replace("approveVerification", "rejectVerification")
QUEUE = """{ verificationQueue { id uscc asked state asker organizationNameEn
  evidence { id mediaType size url } } }"""
ORGANIZATION = "query($u: String!) { organization(uscc: $u) { uscc status nameEn } }"
ORGANIZATIONS = "{ organizations(first: 100) { edges { node { uscc } } } }"
UPDATE = (
    "mutation($i: OrganizationInput!) { updateOrganization(input: $i) "
    "{ __typename ... on OrganizationSaved { organization { uscc nameEn } } " + PROBLEM + " } }"
)
SITE = (
    "mutation($i: SiteInput!) { saveSite(input: $i) "
    "{ __typename ... on SiteSaved { site { id } } " + PROBLEM + " } }"
)


def site(uscc: str = USCC, park: str = "TJ-TEDA") -> dict[str, Any]:
    return {
        "uscc": uscc,
        "site": "s1",
        "nameZh": "一厂",
        "nameEn": "Plant 1",
        "address": "天津经济技术开发区示例路1号",
        "city": "天津",
        "lat": 39.0,
        "lon": 117.7,
        "park": park,
    }


async def gql(
    client: httpx.AsyncClient, token: str | None, query: str, **variables: Any
) -> dict[str, Any]:
    headers = {} if token is None else {"authorization": f"Bearer {token}"}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return next(iter(body["data"].values()))  # type: ignore[no-any-return]


async def _as_person(tx: Tx, handle: str, language: str) -> str:
    row = await tx.single(
        "MATCH (p:Principal {handle: $h}) SET p:Person, p.email = $h, p.language = $l, "
        "p.email_confirmed_at = datetime() RETURN p.id AS id",
        h=handle,
        l=language,
    )
    assert row is not None
    return str(row["id"])


async def person(db: Database, handle: str, *roles: str, language: str = "en") -> str:
    """A signed-up person (a confirmed e-mail address: its handle) with a token."""
    token = await factories.token(db, handle, *roles)
    await db.write(_as_person, handle, language)
    return token


async def _evidence(tx: Tx, handle: str, evidence_id: str) -> None:
    await tx.run(
        "MATCH (p:Principal {handle: $h}) "
        "CREATE (:Evidence {id: $id, owner: p.id, media_type: 'application/pdf', size: 9, "
        "sha256: 'x', uploaded_at: datetime()})",
        h=handle,
        id=evidence_id,
    )


async def evidence(db: Database, handle: str, evidence_id: str) -> str:
    """Evidence uploaded by `handle` (its record only: the file is test_evidence's)."""
    await db.write(_evidence, handle, evidence_id)
    return evidence_id


async def _audited(tx: Tx, entity: str) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (a:AuditRecord {entity: $e}) RETURN a {.action, .key, .actor, .reason} AS a "
        "ORDER BY a.at, a.id",
        e=entity,
    )
    return [dict(r["a"]) for r in rows]


async def audited(db: Database, entity: str) -> list[dict[str, Any]]:
    return await db.read(_audited, entity)


async def _members(tx: Tx, uscc: str) -> list[str]:
    rows = await tx.records(
        "MATCH (p:Principal)-[:MEMBER_OF]->(:Organization {uscc: $u}) "
        "RETURN DISTINCT p.handle AS h ORDER BY h",
        u=uscc,
    )
    return [r["h"] for r in rows]


async def members(db: Database, uscc: str) -> list[str]:
    return await db.read(_members, uscc)
