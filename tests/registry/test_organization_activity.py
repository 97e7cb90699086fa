"""Deactivating and reactivating an organization: admins only, audited with the reason, in
one transaction; a deactivated organization is shown to admins only, never searched."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.db.driver import Database, Tx
from hub.graphql import response_cache
from tests import factories
from tests.imports.test_upload import csv_bytes, lines, upload
from tests.registry import sample
from tests.registry.test_mutations import PROBLEM, run
from tests.registry.test_registry_api import gql

USCC = sample.USCC
ACTIVITY = "... on OrganizationActivity { changed organization { uscc active } }"
DEACTIVATE = (
    "mutation($u: String!, $r: String) { deactivateOrganization(uscc: $u, reason: $r) "
    f"{{ __typename {ACTIVITY} {PROBLEM} }} }}"
)
REACTIVATE = (
    "mutation($u: String!, $r: String) { reactivateOrganization(uscc: $u, reason: $r) "
    f"{{ __typename {ACTIVITY} {PROBLEM} }} }}"
)
ORG = "query($u: String!) { organization(uscc: $u) { uscc active nameZh } }"
LIST = """query($f: OrganizationFilterInput) { organizations(filter: $f) {
  edges { node { uscc active } } } }"""
AUDIT = """query($k: String!) { auditLog(entity: "Organization", key: $k, actor: "root@hub") {
  action actor reason before after } }"""
SEARCH = """query { offerings(filter: {capability: "BIO"}) { edges { node { id } } } }"""


@pytest.fixture
async def tokens(clean: Database) -> dict[str, str]:
    """The sample provider (active, with an offering), and a token for each kind of caller."""
    await sample.load(clean, capacity_weeks=2)
    requester = await factories.organization(clean, 7)
    return {
        "admin": await factories.token(clean, "root@hub", "admin"),
        "provider": await factories.token(clean, "bd@example.test", f"provider:{USCC}"),
        "requester": await factories.token(clean, "cmc@startup.test", f"requester:{requester}"),
    }


async def _audit_count(tx: Tx) -> int:
    row = await tx.single("MATCH (a:AuditRecord) RETURN count(a) AS n")
    assert row is not None
    return int(row["n"])


async def _active(tx: Tx, uscc: str) -> bool | None:
    row = await tx.single("MATCH (o:Organization {uscc: $u}) RETURN o.active AS a", u=uscc)
    return None if row is None else row["a"]


async def _listed(client: httpx.AsyncClient, token: str | None, **f: Any) -> list[str]:
    data = await gql(client, LIST, token, f=f or None)
    return [e["node"]["uscc"] for e in data["organizations"]["edges"]]


async def test_a_deactivated_organization_is_shown_to_admins_only(
    tokens: dict[str, str], client: httpx.AsyncClient
) -> None:
    done = await run(client, DEACTIVATE, tokens["admin"], u=USCC, r="licence suspended")
    assert done == {
        "__typename": "OrganizationActivity",
        "changed": True,
        "organization": {"uscc": USCC, "active": False},
    }
    for caller in (None, tokens["provider"], tokens["requester"]):
        assert (await gql(client, ORG, caller, u=USCC))["organization"] is None
        assert USCC not in await _listed(client, caller, includeInactive=True)
    seen = (await gql(client, ORG, tokens["admin"], u=USCC))["organization"]
    assert (seen["uscc"], seen["active"]) == (USCC, False)
    assert USCC not in await _listed(client, tokens["admin"])  # only when asked
    assert USCC in await _listed(client, tokens["admin"], includeInactive=True)


async def test_deactivation_and_reactivation_are_audited_once_each(
    tokens: dict[str, str], client: httpx.AsyncClient, clean: Database
) -> None:
    await run(client, DEACTIVATE, tokens["admin"], u=USCC.lower(), r="licence\nsuspended")
    again = await run(client, DEACTIVATE, tokens["admin"], u=USCC)
    assert (again["changed"], again["organization"]["active"]) == (False, False)
    [record] = (await gql(client, AUDIT, tokens["admin"], k=USCC))["auditLog"]
    assert (record["action"], record["actor"], record["reason"]) == (
        "retire",
        "root@hub",
        "licence\nsuspended",
    )
    assert (record["before"]["active"], record["after"]["active"]) == (True, False)
    assert record["after"]["name_zh"] == record["before"]["name_zh"]

    back = await run(client, REACTIVATE, tokens["admin"], u=USCC, r="licence restored")
    assert (back["changed"], back["organization"]["active"]) == (True, True)
    assert (await run(client, REACTIVATE, tokens["admin"], u=USCC))["changed"] is False
    newest, _ = (await gql(client, AUDIT, tokens["admin"], k=USCC))["auditLog"]
    assert (newest["action"], newest["reason"]) == ("reactivate", "licence restored")
    assert (newest["before"]["active"], newest["after"]["active"]) == (False, True)
    assert (await gql(client, ORG, None, u=USCC))["organization"]["active"] is True


@pytest.mark.parametrize("caller", ["provider", "requester"])
@pytest.mark.parametrize("mutation", [DEACTIVATE, REACTIVATE])
async def test_non_admins_are_refused_and_nothing_is_written(
    tokens: dict[str, str], client: httpx.AsyncClient, clean: Database, caller: str, mutation: str
) -> None:
    """Even the organization's own member: to them it is an organization they may not
    change, as for any other admin-only change."""
    if mutation == REACTIVATE:
        await run(client, DEACTIVATE, tokens["admin"], u=USCC)
    records = await clean.read(_audit_count)
    active = await clean.read(_active, USCC)
    refused = await run(client, mutation, tokens[caller], u=USCC, r="mine")
    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "NotFoundProblem",
        "NOT_FOUND",
        "uscc",
    )
    assert await clean.read(_audit_count) == records
    assert await clean.read(_active, USCC) is active


async def test_anonymous_callers_get_401(tokens: dict[str, str], client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": DEACTIVATE, "variables": {"u": USCC}})
    assert response.status_code == 401


async def test_an_unknown_organization_is_not_found(
    tokens: dict[str, str], client: httpx.AsyncClient
) -> None:
    missing = await run(client, DEACTIVATE, tokens["admin"], u=factories.uscc(999))
    assert (missing["__typename"], missing["field"]) == ("NotFoundProblem", "uscc")
    assert missing["messageZh"] and missing["messageEn"]


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"u": "123"}, "uscc"),
        ({"u": "91110000MA0001001X"}, "uscc"),  # wrong check character
        ({"u": "9111\x000000MA0001001"}, "uscc"),
        ({"u": USCC, "r": "x" * 501}, "reason"),
        ({"u": USCC, "r": "bad\x00reason"}, "reason"),  # NUL
        ({"u": USCC, "r": "\x1b[2Jcleared"}, "reason"),  # ESC
        ({"u": USCC, "r": "fine\u202egnp.exe"}, "reason"),  # right-to-left override
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    tokens: dict[str, str],
    client: httpx.AsyncClient,
    clean: Database,
    variables: dict[str, Any],
    field: str,
) -> None:
    records = await clean.read(_audit_count)
    problem = await run(client, DEACTIVATE, tokens["admin"], **variables)
    assert (problem["__typename"], problem["field"]) == ("InvalidInputProblem", field)
    assert problem["messageZh"] and problem["messageEn"]
    assert await clean.read(_active, USCC) is True
    assert await clean.read(_audit_count) == records


async def test_a_deactivated_provider_leaves_offering_search_until_reactivated(
    tokens: dict[str, str], client: httpx.AsyncClient
) -> None:
    offering = f"{USCC}/yz-1/mab-usp"

    async def found() -> list[str]:
        data = await gql(client, SEARCH, tokens["requester"])
        return [e["node"]["id"] for e in data["offerings"]["edges"]]

    assert await found() == [offering]
    await run(client, DEACTIVATE, tokens["admin"], u=USCC)
    assert await found() == []
    await run(client, REACTIVATE, tokens["admin"], u=USCC)
    assert await found() == [offering]


async def test_cached_answers_follow_the_caller_and_the_deactivation(
    tokens: dict[str, str], app_client: httpx.AsyncClient
) -> None:
    response_cache.CACHE.clear()
    admin = tokens["admin"]
    assert (await gql(app_client, ORG, None, u=USCC))["organization"]["active"] is True
    await run(app_client, DEACTIVATE, admin, u=USCC)  # moves the fingerprint
    assert (await gql(app_client, ORG, None, u=USCC))["organization"] is None
    hits = response_cache.CACHE.hits
    assert (await gql(app_client, ORG, admin, u=USCC))["organization"]["active"] is False
    assert (await gql(app_client, ORG, admin, u=USCC))["organization"]["active"] is False
    assert (await gql(app_client, ORG, None, u=USCC))["organization"] is None
    assert response_cache.CACHE.hits == hits + 2  # each caller's own entry, none shared
    await run(app_client, REACTIVATE, admin, u=USCC)
    assert (await gql(app_client, ORG, None, u=USCC))["organization"]["active"] is True


async def _fictional(tx: Tx, uscc: str) -> bool | None:
    row = await tx.single("MATCH (o:Organization {uscc: $u}) RETURN o.fictional AS f", u=uscc)
    return None if row is None else row["f"]


async def test_an_update_keeps_the_fictional_mark(
    tokens: dict[str, str], app_client: httpx.AsyncClient, clean: Database
) -> None:
    assert await clean.read(_fictional, USCC) is True  # the sample firm is fictional
    update = (
        "mutation($i: OrganizationInput!) { updateOrganization(input: $i) "
        f"{{ __typename {PROBLEM} }} }}"
    )
    profile = {"uscc": USCC, "nameZh": "改名（虚构）", "nameEn": "Renamed", "kind": "PROVIDER"}
    saved = await run(app_client, update, tokens["provider"], i=profile)
    assert saved["__typename"] == "OrganizationSaved"
    assert await clean.read(_fictional, USCC) is True


async def test_members_cannot_undo_a_deactivation_by_update_or_import(
    tokens: dict[str, str], client: httpx.AsyncClient, clean: Database
) -> None:
    await run(client, DEACTIVATE, tokens["admin"], u=USCC)
    update = (
        "mutation($i: OrganizationInput!) { updateOrganization(input: $i) "
        f"{{ __typename {PROBLEM} }} }}"
    )
    profile = {"uscc": USCC, "nameZh": "改名（虚构）", "nameEn": "Renamed", "kind": "PROVIDER"}
    saved = await run(client, update, tokens["provider"], i=profile)
    assert saved["__typename"] == "OrganizationSaved"
    [row] = sample.rows()["organizations"]
    body = csv_bytes([{**row, "name_en": "Imported (fictional)", "active": "true"}])
    *_, last = lines(await upload(client, tokens["provider"], "orgs.csv", body, "organizations"))
    assert last["report"]["updated"] == 1
    assert await clean.read(_active, USCC) is False
    seen = (await gql(client, ORG, tokens["admin"], u=USCC))["organization"]
    assert (seen["active"], seen["nameZh"]) == (False, row["name_zh"])
