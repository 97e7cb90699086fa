"""Routing over GraphQL: submit, route, see the explanation, answer, award; who sees what."""

from __future__ import annotations

from typing import Any

import httpx

from hub.db.driver import Database
from tests import factories
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, REQUESTER, raw

SUBMIT = """mutation($i: RequestInput!, $key: String) {
  submitRequest(input: $i, idempotencyKey: $key) { __typename
    ... on RequestChanged { request { id status } } ... on Problem { code field } } }"""
ROUTE = """mutation($id: ID!) { routeRequest(id: $id, k: 2) { __typename
  ... on RequestChanged { request { status } } } }"""
REQUEST = """query($id: ID!) { request(id: $id) { id status budgetMax
  matches { id status rank score providerUscc scoreParts { name value weight detail }
            evidence { capabilityCode siteId parkCode certificateIds bucketIds } }
  nearMisses { providerUscc constraint messageEn } } }"""
ACCEPT = """mutation($id: ID!) { acceptMatch(id: $id, quote: {price: 1500000, leadTimeDays: 45,
  validUntil: "2030-12-31T00:00:00+08:00"}) { __typename ... on MatchAnswered { status } } }"""
AWARD = """mutation($r: ID!, $m: ID!) { awardMatch(requestId: $r, matchId: $m) { __typename
  ... on RequestChanged { request { status } } ... on Problem { code field message } } }"""
INBOX = "{ inbox { id budgetMax matches { providerUscc } } }"


def _input(**change: Any) -> dict[str, Any]:
    plain = raw(**change)
    return {
        "requester": plain["requester"],
        "title": plain["title"],
        "capability": plain["capability"],
        "quantity": plain["quantity"],
        "earliestStart": plain["earliest_start"],
        "needBy": plain["need_by"],
        "gmpGrade": "GMP_CLINICAL",
        "authorities": ["NMPA_LICENCE"],
        "budgetMax": plain["budget_max"],
    }


async def gql(
    client: httpx.AsyncClient,
    token: str,
    query: str,
    **variables: Any,
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_a_request_goes_from_submission_to_award(
    network: Database, client: httpx.AsyncClient
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    provider = await factories.token(network, "bd@example.test", f"provider:{sample.USCC}")
    other = await factories.token(network, "bd@other.test", f"provider:{OTHER_PROVIDER}")

    submitted = await gql(client, startup, SUBMIT, i=_input(), key="k1")
    again = await gql(client, startup, SUBMIT, i=_input(), key="k1")
    request_id = submitted["submitRequest"]["request"]["id"]
    assert again["submitRequest"]["request"]["id"] == request_id
    await gql(client, startup, ROUTE, id=request_id)

    seen = (await gql(client, startup, REQUEST, id=request_id))["request"]
    assert seen["budgetMax"] == 3_000_000
    assert {m["providerUscc"] for m in seen["matches"]} == {sample.USCC, OTHER_PROVIDER}
    best = seen["matches"][0]
    assert {p["name"] for p in best["scoreParts"]} == {
        "headroom",
        "proximity",
        "track_record",
        "collaboration",
        "responsiveness",
    }
    assert best["evidence"]["capabilityCode"] == "BIO.USP.FB"
    assert len(best["evidence"]["bucketIds"]) == 4

    inbox = (await gql(client, provider, INBOX))["inbox"]
    assert [r["id"] for r in inbox] == [request_id]
    assert inbox[0]["budgetMax"] is None, "nobody sees another organization's budget"
    assert [m["providerUscc"] for m in inbox[0]["matches"]] == [sample.USCC]

    mine = next(m for m in seen["matches"] if m["providerUscc"] == sample.USCC)
    theirs = next(m for m in seen["matches"] if m["providerUscc"] == OTHER_PROVIDER)
    refused = await gql(client, startup, AWARD, r=request_id, m=mine["id"])
    assert refused["awardMatch"]["__typename"] == "ConflictProblem"
    assert "routed" in refused["awardMatch"]["message"]
    stolen = await gql(client, other, ACCEPT, id=mine["id"])
    assert stolen["acceptMatch"]["__typename"] == "NotFoundProblem"
    await gql(client, provider, ACCEPT, id=mine["id"])
    awarded = await gql(client, startup, AWARD, r=request_id, m=mine["id"])
    assert awarded["awardMatch"]["request"]["status"] == "AWARDED"
    final = (await gql(client, startup, REQUEST, id=request_id))["request"]
    statuses = {m["id"]: m["status"] for m in final["matches"]}
    assert (statuses[mine["id"]], statuses[theirs["id"]]) == ("AWARDED", "CLOSED")


async def test_strangers_see_no_request(network: Database, client: httpx.AsyncClient) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    stranger = await factories.token(
        network, "x@else.test", f"provider:{await factories.organization(network, 55)}"
    )
    request_id = (await gql(client, startup, SUBMIT, i=_input()))["submitRequest"]["request"]["id"]
    assert (await gql(client, stranger, REQUEST, id=request_id))["request"] is None


async def test_near_misses_name_the_failed_constraint(
    network: Database, client: httpx.AsyncClient
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    strict = _input(authorities=["nmpa_licence", "eu_gmp"])
    strict["authorities"] = ["NMPA_LICENCE", "EU_GMP"]
    request_id = (await gql(client, startup, SUBMIT, i=strict))["submitRequest"]["request"]["id"]
    seen = (await gql(client, startup, REQUEST, id=request_id))["request"]
    assert {(m["providerUscc"], m["constraint"]) for m in seen["nearMisses"]} == {
        (sample.USCC, "CERTIFICATE"),
        (OTHER_PROVIDER, "CERTIFICATE"),
    }
    assert "no EU GMP certificate" in seen["nearMisses"][0]["messageEn"]


async def test_a_bad_request_names_the_field(network: Database, client: httpx.AsyncClient) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    bad = await gql(client, startup, SUBMIT, i={**_input(), "quantity": 0})
    assert bad["submitRequest"] == {
        "__typename": "InvalidInputProblem",
        "code": "INVALID_INPUT",
        "field": "quantity",
    }


SUBMIT_EXPLAINED = """mutation($i: RequestInput!) { submitRequest(input: $i) { __typename
  ... on Problem { field message messageZh messageEn } } }"""


async def test_problems_name_fields_and_other_inputs_as_graphql_spells_them(
    network: Database, client: httpx.AsyncClient
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    early = await gql(client, startup, SUBMIT_EXPLAINED, i=_input(need_by="2026-12-01"))
    assert early["submitRequest"] == {
        "__typename": "InvalidInputProblem",
        "field": "needBy",
        "message": "needBy：早于 earliestStart",
        "messageZh": "needBy：早于 earliestStart",
        "messageEn": "needBy: is before earliestStart",
    }
    budget = await gql(client, startup, SUBMIT_EXPLAINED, i={**_input(), "budgetMin": 5_000_000})
    assert budget["submitRequest"]["field"] == "budgetMax"
    assert budget["submitRequest"]["messageEn"] == "budgetMax: is below budgetMin"
    wrong_unit = await gql(client, startup, SUBMIT_EXPLAINED, i={**_input(), "unit": "kg_batch"})
    assert wrong_unit["submitRequest"]["field"] == "unit"
    assert "not kg_batch" in wrong_unit["submitRequest"]["messageEn"], "values stay as given"


PARTS = """query($id: ID!) { request(id: $id) {
  matches { providerUscc scoreParts { name detail detailZh detailEn } } } }"""


async def test_score_parts_are_explained_in_both_languages(
    network: Database, client: httpx.AsyncClient
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    request_id = (await gql(client, startup, SUBMIT, i=_input()))["submitRequest"]["request"]["id"]
    await gql(client, startup, ROUTE, id=request_id)
    for language in ("zh", "en"):
        response = await client.post(
            "/graphql",
            json={"query": PARTS, "variables": {"id": request_id}},
            headers={"authorization": f"Bearer {startup}", "accept-language": language},
        )
        [match, _] = response.json()["data"]["request"]["matches"]
        parts = {p["name"]: p for p in match["scoreParts"]}
        together = parts["collaboration"]
        assert (together["detailZh"], together["detailEn"]) == (
            "尚无合作",
            "no engagement together yet",
        )
        assert together["detail"] == together["detailZh" if language == "zh" else "detailEn"]
        assert parts["responsiveness"]["detailZh"] == "0 次派单中按时答复 0 次"
        assert parts["headroom"]["detailZh"].startswith("空闲 ")


OUTCOME = """query($id: ID!) { request(id: $id) { status
  outcome { onTime rating comment completedAt } } }"""
COMPLETE = """mutation($id: ID!) { completeRequest(id: $id, onTime: false, rating: 4,
  comment: "两周延误，质量良好") { __typename ... on RequestChanged { request {
  outcome { onTime rating comment } } } } }"""


async def test_a_completed_request_shows_its_outcome_to_whoever_sees_it(
    network: Database, client: httpx.AsyncClient
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    provider = await factories.token(network, "bd@example.test", f"provider:{sample.USCC}")
    stranger = await factories.token(
        network, "x@else.test", f"provider:{await factories.organization(network, 55)}"
    )
    request_id = (await gql(client, startup, SUBMIT, i=_input()))["submitRequest"]["request"]["id"]
    await gql(client, startup, ROUTE, id=request_id)
    seen = (await gql(client, startup, REQUEST, id=request_id))["request"]
    mine = next(m for m in seen["matches"] if m["providerUscc"] == sample.USCC)
    await gql(client, provider, ACCEPT, id=mine["id"])
    await gql(client, startup, AWARD, r=request_id, m=mine["id"])
    assert (await gql(client, startup, OUTCOME, id=request_id))["request"]["outcome"] is None

    done = (await gql(client, startup, COMPLETE, id=request_id))["completeRequest"]
    outcome = {"onTime": False, "rating": 4, "comment": "两周延误，质量良好"}
    assert done["request"]["outcome"] == outcome
    for caller in (startup, provider):
        after = (await gql(client, caller, OUTCOME, id=request_id))["request"]
        assert after["status"] == "COMPLETED"
        assert {k: after["outcome"][k] for k in outcome} == outcome
        assert after["outcome"]["completedAt"]
    assert (await gql(client, stranger, OUTCOME, id=request_id))["request"] is None


ACTING_INBOX = "query($p: String) { inbox(provider: $p) { id } }"
ACTING_MINE = "query($r: String) { myRequests(requester: $r) { id } }"


async def test_inbox_and_requests_narrow_to_one_organization_you_act_for(
    network: Database, client: httpx.AsyncClient
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{REQUESTER}")
    both = await factories.token(
        network, "bd@group.test", f"provider:{sample.USCC}", f"provider:{OTHER_PROVIDER}"
    )
    admin = await factories.token(network, "ops@hub.test", "admin")
    request_id = (await gql(client, startup, SUBMIT, i=_input()))["submitRequest"]["request"]["id"]
    await gql(client, startup, ROUTE.replace("k: 2", "k: 1"), id=request_id)
    [routed] = (await gql(client, startup, REQUEST, id=request_id))["request"]["matches"]
    chosen = routed["providerUscc"]
    passed_over = OTHER_PROVIDER if chosen == sample.USCC else sample.USCC

    def ids(data: dict[str, Any], field: str) -> list[str]:
        return [r["id"] for r in data[field]]

    assert ids(await gql(client, both, ACTING_INBOX, p=None), "inbox") == [request_id]
    assert ids(await gql(client, both, ACTING_INBOX, p=chosen.lower()), "inbox") == [request_id]
    assert ids(await gql(client, both, ACTING_INBOX, p=passed_over), "inbox") == []
    assert ids(await gql(client, startup, ACTING_INBOX, p=chosen), "inbox") == [], "not yours"
    assert ids(await gql(client, admin, ACTING_INBOX, p=chosen), "inbox") == [request_id]

    assert ids(await gql(client, startup, ACTING_MINE, r=REQUESTER), "myRequests") == [request_id]
    assert ids(await gql(client, both, ACTING_MINE, r=REQUESTER), "myRequests") == []
    assert ids(await gql(client, admin, ACTING_MINE, r=REQUESTER), "myRequests") == [request_id]
    assert ids(await gql(client, admin, ACTING_MINE, r=None), "myRequests") == []
