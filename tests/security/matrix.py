"""What the authorization matrices share: the kinds of caller, what a caller can see of an
object, and a world with an object of every kind and a token for every kind of caller.

Kinds of caller: anonymous, an expired token, a revoked token, an admin, a member of the
provider (the object's owner) or of another provider, a member of the requester or of
another requester, the operator of the provider's park or of another park.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

import httpx

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.identity import service as identity
from hub.identity.model import Role
from hub.routing import service as routing
from tests import factories
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER, QUOTE, REQUESTER, STARTUP, member, raw
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
    IDLE = "answered, with nothing to change (no audit record)"
    HIDDEN = "as if missing (null, empty or NOT_FOUND)"
    UNAUTH = "401"


OK, IDLE, HIDDEN, UNAUTH = Seen.OK, Seen.IDLE, Seen.HIDDEN, Seen.UNAUTH
SIGNED_OUT = {"anonymous": UNAUTH, "expired": UNAUTH, "revoked": UNAUTH}
BAD_TOKENS = {"expired": UNAUTH, "revoked": UNAUTH}


def rule(default: Seen, **kinds: Seen) -> dict[str, Seen]:
    return {kind: kinds.get(kind, default) for kind in KINDS}


# Who each signed-in kind of caller is (the audit log names them).
HANDLES = {
    "admin": "root@hub",
    "provider": "sales@cdmo",
    "other_provider": "sales@x",
    "requester": "cmc@startup",
    "other_requester": "cmc@y",
    "operator": "staff@etown",
    "other_operator": "staff@teda",
}


def refused(response: httpx.Response) -> Seen | str | None:
    """What a caller saw when the request was refused (401, or an error), else None."""
    if response.status_code == 401:
        return UNAUTH
    body = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    if codes == ["NOT_FOUND"]:
        return HIDDEN
    return f"errors {codes}" if codes else None


@dataclass(frozen=True)
class World:
    tokens: dict[str, str | None]
    names: dict[str, str]


NEAR_MISS = factories.uscc(1003)  # a provider that fails one rule: it has no capacity


async def _quoted(tx: Tx, request_id: str) -> str:
    row = await tx.single(
        "MATCH (m:Match {request_id: $r, uscc: $u}) RETURN m.id AS id",
        r=request_id,
        u=OTHER_PROVIDER,
    )
    assert row is not None
    return str(row["id"])


async def world(db: Database, settings: Settings) -> World:
    """The sample provider (in BJ-ETOWN), a second provider, a startup with a request routed
    to both (the second one quoted), a third provider with no capacity (the request's
    near-miss), a webhook subscription, a pending claim on the provider, and a token of
    every kind."""
    request_id = await routing.submit(db, STARTUP, raw(budget_min=1, budget_max=3_000_000))
    await routing.route(db, STARTUP, request_id, k=2)
    await routing.respond(db, member(OTHER_PROVIDER), await db.read(_quoted, request_id), QUOTE)
    await sample.load(db, NEAR_MISS)
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
    await db.write(_claimed_provider)
    roles = {
        "admin": "admin",
        "provider": f"provider:{sample.USCC}",
        "other_provider": f"provider:{other_org}",
        "requester": f"requester:{REQUESTER}",
        "other_requester": f"requester:{other_startup}",
        "operator": "operator:BJ-ETOWN",
        "other_operator": "operator:TJ-TEDA",
    }
    tokens: dict[str, str | None] = {"anonymous": None, "expired": expired, "revoked": revoked}
    for kind, role in roles.items():
        tokens[kind] = await factories.token(db, HANDLES[kind], role)
    await asyncio.sleep(1.1)  # the expired token's second is over
    return World(tokens, {"provider": sample.USCC, "requester": REQUESTER, "request": request_id})


async def _claimed_provider(tx: Tx) -> None:
    """A pending claim on the provider (its site is in BJ-ETOWN): the verifiers' queue."""
    await tx.run(
        "CREATE (p:Principal {id: randomUUID(), handle: 'claimant@world'})"
        "-[:ASKED]->(v:Verification {id: 'world-claim', uscc: $u, asked: 'claim', "
        "state: 'pending', requested_at: datetime()}) "
        "WITH v MATCH (o:Organization {uscc: $u}) CREATE (v)-[:OF]->(o)",
        u=sample.USCC,
    )


async def _private_details(tx: Tx) -> None:
    """Contact and note on the provider."""
    await tx.run(
        "MATCH (o:Organization {uscc: $u}) "
        "SET o.internal_note = 'note', o.contact_email = 'cmc@example.test'",
        u=sample.USCC,
    )
