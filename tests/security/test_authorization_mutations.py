"""The authorization matrix for mutations: every mutation of the schema, for every kind of
caller, against a policy table. A caller the policy allows changes the graph, and every
audit record of that HTTP request names it (for the public account mutations: the person
the call is about); anyone else changes nothing and sees the object as missing
(`NotFoundProblem`), or gets 401. A mutation without a row fails the test.

Each allowed call gets an object of its own (an award needs a quoted match, a retirement a
live site); the forbidden calls of a row share one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from hub.config import Settings
from hub.db.driver import Database, Tx
from tests.accounts import targets as accounts
from tests.members import targets as members
from tests.schema_sdl import operations
from tests.security import onboarding_targets as onboarding
from tests.security.matrix import (
    BAD_TOKENS,
    HANDLES,
    HIDDEN,
    IDLE,
    KINDS,
    OK,
    SIGNED_OUT,
    UNAUTH,
    Seen,
    World,
    refused,
    rule,
    world,
)
from tests.security.targets import (
    QUOTE_INPUT,
    SAVE_CERTIFICATE,
    SAVE_EQUIPMENT,
    SAVE_OFFERING,
    SAVE_SITE,
    Bench,
    Target,
    a_bucket,
    active_organization,
    awarded,
    doc,
    inactive_organization,
    live_certificate,
    live_equipment,
    live_hook,
    live_offering,
    live_site,
    new_capability,
    new_certificate,
    new_equipment,
    new_hook,
    new_offering,
    new_organization,
    new_request,
    new_site,
    new_week,
    no_hooks,
    provider_profile,
    quoted,
    routed_match,
    startup_token,
    submitted,
)

# Who may: the provider's members (and admins); the startup's members (and admins); admins.
PROVIDERS = rule(HIDDEN, **SIGNED_OUT, admin=OK, provider=OK)
REQUESTERS = rule(HIDDEN, **SIGNED_OUT, admin=OK, requester=OK)
ADMINS = rule(HIDDEN, **SIGNED_OUT, admin=OK)
# Admins, and operators of a park where the firm has a site.
VERIFIERS = rule(HIDDEN, **SIGNED_OUT, admin=OK, operator=OK)
SIGNED_IN = rule(OK, **SIGNED_OUT)
PUBLIC = rule(OK, **BAD_TOKENS)
# Only a person signed in to the console (by session cookie): no token, whatever its roles.
CONSOLE = rule(UNAUTH)


@dataclass(frozen=True)
class Change:
    document: str
    target: Target
    seen: dict[str, Seen | str]  # a str: the problem the caller is answered with
    before: Callable[[Tx], Awaitable[None]] | None = None  # run once, before the row


ID = "$id: ID!"
MUTATIONS: dict[str, Change] = {
    "addCapability": Change(
        doc("$i: CapabilityInput!", "addCapability(input: $i)"), new_capability, ADMINS
    ),
    "registerOrganization": Change(
        doc("$i: OrganizationInput!", "registerOrganization(input: $i)"),
        new_organization,
        SIGNED_IN,
    ),
    "updateOrganization": Change(
        doc("$i: OrganizationInput!", "updateOrganization(input: $i)"), provider_profile, PROVIDERS
    ),
    "deactivateOrganization": Change(
        doc("$u: String!", 'deactivateOrganization(uscc: $u, reason: "audit")'),
        active_organization,
        ADMINS,
    ),
    "reactivateOrganization": Change(
        doc("$u: String!", "reactivateOrganization(uscc: $u)"), inactive_organization, ADMINS
    ),
    "saveSite": Change(SAVE_SITE, new_site, PROVIDERS),
    "saveOffering": Change(SAVE_OFFERING, new_offering, PROVIDERS),
    "saveEquipment": Change(SAVE_EQUIPMENT, new_equipment, PROVIDERS),
    "saveCertificate": Change(SAVE_CERTIFICATE, new_certificate, PROVIDERS),
    "retireSite": Change(doc(ID, "retireSite(id: $id)"), live_site, PROVIDERS),
    "retireOffering": Change(doc(ID, "retireOffering(id: $id)"), live_offering, PROVIDERS),
    "retireEquipment": Change(doc(ID, "retireEquipment(id: $id)"), live_equipment, PROVIDERS),
    "retireCertificate": Change(doc(ID, "retireCertificate(id: $id)"), live_certificate, PROVIDERS),
    "publishCapacity": Change(
        doc("$i: CapacityInput!", "publishCapacity(input: $i)"), new_week, PROVIDERS
    ),
    "adjustCapacity": Change(
        doc("$id: ID!, $t: Float!", "adjustCapacity(id: $id, total: $t)"), a_bucket, PROVIDERS
    ),
    "submitRequest": Change(
        doc("$i: RequestInput!", "submitRequest(input: $i)"), new_request, REQUESTERS
    ),
    "routeRequest": Change(doc(ID, "routeRequest(id: $id, k: 2)"), submitted, REQUESTERS),
    "acceptMatch": Change(
        doc(ID, f"acceptMatch(id: $id, quote: {QUOTE_INPUT})"),
        routed_match,
        PROVIDERS,
    ),
    "declineMatch": Change(
        doc(ID, 'declineMatch(id: $id, reason: "booked")'), routed_match, PROVIDERS
    ),
    "awardMatch": Change(
        doc("$r: ID!, $m: ID!", "awardMatch(requestId: $r, matchId: $m)"), quoted, REQUESTERS
    ),
    "cancelRequest": Change(doc(ID, "cancelRequest(id: $id)"), submitted, REQUESTERS),
    "completeRequest": Change(
        doc(ID, "completeRequest(id: $id, onTime: true, rating: 4)"), awarded, REQUESTERS
    ),
    "createWebhookSubscription": Change(
        doc("$i: WebhookSubscriptionInput!", "createWebhookSubscription(input: $i)"),
        new_hook,
        REQUESTERS,
        no_hooks,
    ),
    "updateWebhookSubscription": Change(
        doc(ID, "updateWebhookSubscription(id: $id, input: {active: false})"),
        live_hook,
        REQUESTERS,
        no_hooks,
    ),
    "rotateWebhookSecret": Change(
        doc(ID, "rotateWebhookSecret(id: $id)"), live_hook, REQUESTERS, no_hooks
    ),
    "deleteWebhookSubscription": Change(
        doc(ID, "deleteWebhookSubscription(id: $id)"), live_hook, REQUESTERS, no_hooks
    ),
    "revokeApiToken": Change(doc(ID, "revokeApiToken(id: $id)"), startup_token, REQUESTERS),
    "claimOrganization": Change(
        doc("$u: String!, $e: ID!", "claimOrganization(uscc: $u, evidence: $e)"),
        onboarding.claimable,
        # An admin acts for every firm already: nothing to claim.
        {**SIGNED_IN, "admin": "ConflictProblem CONFLICT on uscc"},
    ),
    "approveVerification": Change(
        doc(ID, "approveVerification(id: $id)"), onboarding.pending_claim, VERIFIERS
    ),
    "rejectVerification": Change(
        doc(ID, 'rejectVerification(id: $id, reasonEn: "unreadable")'),
        onboarding.pending_claim,
        VERIFIERS,
    ),
    "signUp": Change(doc("$i: SignUpInput!", "signUp(input: $i)"), accounts.new_account, PUBLIC),
    "confirmEmail": Change(
        doc("$t: String!", "confirmEmail(token: $t)"), accounts.unconfirmed, PUBLIC
    ),
    "signIn": Change(doc("$i: SignInInput!", "signIn(input: $i)"), accounts.account, PUBLIC),
    "signOut": Change(
        "mutation { signOut { signedOut } }", accounts.nothing, rule(IDLE, **BAD_TOKENS)
    ),
    "signOutEverywhere": Change(
        "mutation { signOutEverywhere { sessions } }", accounts.nothing, SIGNED_IN
    ),
    "requestPasswordReset": Change(
        doc("$e: String!", "requestPasswordReset(email: $e)"), accounts.account, PUBLIC
    ),
    "resetPassword": Change(
        doc("$t: String!, $p: String!", "resetPassword(token: $t, newPassword: $p)"),
        accounts.reset_link,
        PUBLIC,
    ),
    "changePassword": Change(
        doc("$c: String!, $n: String!", "changePassword(currentPassword: $c, newPassword: $n)"),
        accounts.console_call,
        CONSOLE,
    ),
    "createPersonalToken": Change(
        doc("$i: PersonalTokenInput!", "createPersonalToken(input: $i)"),
        accounts.console_call,
        CONSOLE,
    ),
    "revokePersonalToken": Change(
        doc(ID, "revokePersonalToken(id: $id)"), accounts.console_call, CONSOLE
    ),
    "switchNotification": Change(
        doc("$k: NotificationKind!, $on: Boolean!", "switchNotification(kind: $k, on: $on)"),
        accounts.notification_switch,
        rule(HIDDEN, **SIGNED_OUT),
    ),
    "enrolTotp": Change("mutation { enrolTotp { __typename } }", accounts.console_call, CONSOLE),
    "confirmTotp": Change(
        doc("$c: String!", "confirmTotp(code: $c)"), accounts.console_call, CONSOLE
    ),
    "disableTotp": Change(
        doc("$p: String!, $c: String!", "disableTotp(password: $p, code: $c)"),
        accounts.console_call,
        CONSOLE,
    ),
    # The matrix has no firm administrator among its kinds (tests/members has them): the
    # sample provider's member is an ordinary one, and may not manage its colleagues.
    "inviteMember": Change(
        doc(
            "$u: String!, $e: String!, $r: MemberRole!, $l: String!",
            "inviteMember(uscc: $u, email: $e, role: $r, language: $l)",
        ),
        members.new_invitee,
        ADMINS,
    ),
    "inviteParkOperator": Change(
        doc(
            "$p: String!, $e: String!, $l: String!",
            "inviteParkOperator(park: $p, email: $e, language: $l)",
        ),
        members.new_park_invitee,
        rule(HIDDEN, **SIGNED_OUT, admin=OK, operator=OK),
    ),
    # Sent to an address none of the callers has: to each, as if missing.
    "acceptInvitation": Change(
        doc("$t: String!", "acceptInvitation(token: $t)"),
        members.someone_elses_link,
        rule(HIDDEN, **SIGNED_OUT),
    ),
    "revokeInvitation": Change(
        doc(ID, "revokeInvitation(id: $id)"), members.pending_invitation, ADMINS
    ),
    "changeMemberRole": Change(
        doc(
            "$u: String!, $e: String!, $r: MemberRole!",
            "changeMemberRole(uscc: $u, email: $e, role: $r)",
        ),
        members.colleague,
        ADMINS,
    ),
    "removeParkOperator": Change(
        doc("$p: String!, $e: String!", "removeParkOperator(park: $p, email: $e)"),
        members.park_operator,
        rule(HIDDEN, **SIGNED_OUT, admin=OK, operator=OK),
    ),
    "removeMember": Change(
        doc("$u: String!, $e: String!", "removeMember(uscc: $u, email: $e)"),
        members.colleague_to_remove,
        ADMINS,
    ),
    "requireSecondFactor": Change(
        doc("$u: String!, $r: Boolean!", "requireSecondFactor(uscc: $u, required: $r)"),
        members.second_factor_rule,
        ADMINS,
    ),
}


# Running the table --------------------------------------------------------------------------


def _seen(response: httpx.Response) -> Seen | str:
    if (seen := refused(response)) is not None:
        return seen
    [result] = response.json()["data"].values()
    if result.get("__typename") == "NotFoundProblem":
        return HIDDEN
    if "code" in result:
        return f"{result['__typename']} {result['code']} on {result['field']}"
    return OK


async def _actors(tx: Tx, request_id: str) -> list[str]:
    rows = await tx.records(
        "MATCH (a:AuditRecord {request_id: $r}) RETURN a.actor AS actor", r=request_id
    )
    return [str(r["actor"]) for r in rows]


async def _call(
    bench: Bench, world: World, change: Change, kind: str, target: dict[str, Any]
) -> Seen | str:
    """One call; what the caller saw, or what went wrong with the graph's side of it."""
    token = world.tokens[kind]
    headers = {} if token is None else {"authorization": f"Bearer {token}"}
    variables = {k: v for k, v in target.items() if not k.startswith("_")}
    variables.update(target.get("_by_kind", {}).get(kind, {}))  # the caller's own evidence
    response = await bench.client.post(
        "/graphql", json={"query": change.document, "variables": variables}, headers=headers
    )
    seen = _seen(response)
    actors = await bench.db.read(_actors, response.headers["x-request-id"])
    if seen is OK and not actors:
        return IDLE
    if seen is OK and set(actors) != {target.get("_actor") or HANDLES[kind]}:
        return f"answered, but audited as {actors}"
    if seen is not OK and actors:
        return f"{seen}, yet changed the graph ({len(actors)} audit records)"
    return seen


async def _check(bench: Bench, world: World) -> tuple[list[str], int]:
    wrong, calls = [], 0
    for name, change in MUTATIONS.items():
        shared: dict[str, Any] | None = None
        if change.before is not None:
            await bench.db.write(change.before)
        for kind in KINDS:
            if change.seen[kind] is OK:
                target = await change.target(bench, next(bench.numbers))
            else:
                shared = shared or await change.target(bench, next(bench.numbers))
                target = shared
            seen = await _call(bench, world, change, kind, target)
            calls += 1
            if seen != change.seen[kind]:
                wrong.append(f"{name} as {kind}: {seen} (policy: {change.seen[kind]})")
    return wrong, calls


async def _remove_added_capabilities(tx: Tx) -> None:
    await tx.run("MATCH (c:Capability) WHERE c.code STARTS WITH 'DP.STE.MX' DETACH DELETE c")


@pytest.fixture
async def matrix_network(network: Database) -> AsyncIterator[Database]:
    """The routing network; the taxonomy nodes the matrix adds are removed afterwards (the
    taxonomy is reference data, which `clean` keeps)."""
    yield network
    await network.write(_remove_added_capabilities)


def test_every_mutation_has_a_policy_row() -> None:
    assert operations("Mutation") == set(MUTATIONS)


async def test_every_mutation_follows_the_policy(
    matrix_network: Database, settings: Settings, app_client: httpx.AsyncClient
) -> None:
    the_world = await world(matrix_network, settings)
    admin = the_world.tokens["admin"]
    assert admin is not None
    bench = Bench(matrix_network, app_client, settings, admin)
    wrong, calls = await _check(bench, the_world)
    assert calls == len(MUTATIONS) * len(KINDS)
    assert wrong == [], "\n".join(wrong)
