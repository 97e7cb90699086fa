"""Objects for the authorization matrix's member rows: each makes the variables of one
call (a fresh address to invite, an invitation, a colleague in the sample provider)."""

from __future__ import annotations

from typing import Any

from hub.db.driver import Tx
from tests import factories
from tests.members.common import INVITE, invitation_token
from tests.security.targets import PROVIDER, Bench


def _invitee(n: int) -> str:
    return f"invitee-{n}@example.test"


async def new_invitee(_: Bench, n: int) -> dict[str, Any]:
    return {"u": PROVIDER, "e": _invitee(n), "r": "PROVIDER", "l": "en"}


async def new_park_invitee(_: Bench, n: int) -> dict[str, Any]:
    return {"p": "BJ-ETOWN", "e": _invitee(n), "l": "zh"}


async def _invited(bench: Bench, n: int) -> str:
    """The id of a new invitation (by an admin) to the sample provider."""
    made = await bench.as_admin(INVITE, u=PROVIDER, e=_invitee(n), r="PROVIDER", l="en")
    return str(made["invitation"]["id"])


async def pending_invitation(bench: Bench, n: int) -> dict[str, Any]:
    return {"id": await _invited(bench, n)}


async def someone_elses_link(bench: Bench, n: int) -> dict[str, Any]:
    """The link of an invitation to an address none of the matrix's callers has."""
    await _invited(bench, n)
    return {"t": await invitation_token(bench.db, _invitee(n))}


async def colleague(bench: Bench, n: int) -> dict[str, Any]:
    """A member of the sample provider (it has no administrator: no guard applies)."""
    email = f"colleague-{n}@example.test"
    await factories.token(bench.db, email, f"provider:{PROVIDER}")
    return {"u": PROVIDER, "e": email, "r": "REQUESTER"}


async def colleague_to_remove(bench: Bench, n: int) -> dict[str, Any]:
    found = await colleague(bench, n)
    return {"u": found["u"], "e": found["e"]}


async def park_operator(bench: Bench, n: int) -> dict[str, Any]:
    """Someone else operating the sample provider's park."""
    email = f"operator-{n}@example.test"
    await factories.token(bench.db, email, "operator:BJ-ETOWN")
    return {"p": "BJ-ETOWN", "e": email}


async def _rule(tx: Tx) -> bool:
    row = await tx.single(
        "MATCH (o:Organization {uscc: $u}) RETURN coalesce(o.second_factor_required, false) AS on",
        u=PROVIDER,
    )
    return row is not None and bool(row["on"])


async def second_factor_rule(bench: Bench, n: int) -> dict[str, Any]:
    """The sample provider's second-factor rule, switched (a call that succeeds changes
    it, so it is audited). The matrix's callers are machines, which it never holds back."""
    return {"u": PROVIDER, "r": not await bench.db.read(_rule)}
