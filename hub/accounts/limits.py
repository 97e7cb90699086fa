"""Rate limits that hold across hub processes: counters in Neo4j (store/counters.py).

What is counted, per client address and per account (an e-mail address, counted whether
or not an account has it, so a refusal says nothing about accounts):
- sign-ins: every attempt takes a place and a good one gives it back, so the counters
  hold the failed ones and the ones still being checked: N concurrent guesses can never
  get past N;
- sign-ups and password-reset requests: every attempt;
- invitations (hub/members): every one sent, per client address, per inviter and per
  invited e-mail address (`invitation_counters`).
The N+1th in a window is refused with `RateLimited` (Retry-After: when the window ends).
Subjects are stored hashed: the counters keep no addresses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.accounts.store import counters
from hub.config import RateLimit, Settings
from hub.db.driver import Database
from hub.errors import RateLimited


@dataclass(frozen=True)
class Counter:
    kind: str  # what is counted, and per what: "sign_in:account"
    subject: str  # the account's e-mail or the client's address
    limit: RateLimit

    def row(self) -> dict[str, Any]:
        digest = hashlib.sha256(self.subject.encode()).hexdigest()[:32]
        return {
            "key": f"{self.kind}:{digest}",
            "count": self.limit.attempts,
            "window_s": self.limit.window_s,
        }


@dataclass(frozen=True)
class Places:
    """Places taken in some counters, to give back when the attempt does not count."""

    rows: list[dict[str, Any]]


def sign_in_counters(settings: Settings, email: str, address: str) -> list[Counter]:
    return [
        Counter("sign_in:account", email, settings.limit_sign_in_account),
        Counter("sign_in:address", address, settings.limit_sign_in_address),
    ]


def sign_up_counters(settings: Settings, email: str, address: str) -> list[Counter]:
    return [
        Counter("sign_up:email", email, settings.limit_sign_up_email),
        Counter("sign_up:address", address, settings.limit_sign_up_address),
    ]


def reset_counters(settings: Settings, email: str, address: str) -> list[Counter]:
    return [
        Counter("reset:email", email, settings.limit_reset_email),
        Counter("reset:address", address, settings.limit_reset_address),
    ]


def invitation_counters(
    settings: Settings, inviter: str, email: str, address: str
) -> list[Counter]:
    """`inviter`: the inviting principal's id; `email`: the invited address."""
    return [
        Counter("invitation:inviter", inviter, settings.limit_invitation_inviter),
        Counter("invitation:email", email, settings.limit_invitation_email),
        Counter("invitation:address", address, settings.limit_invitation_address),
    ]


async def take(db: Database, found: list[Counter], now: datetime, field: str) -> Places:
    """A place in each counter, in one transaction of its own (committed before the
    attempt's work, so every other process sees it); RateLimited naming `field` if any
    counter is full (then none is taken)."""
    taken = await db.write(counters.take, [c.row() for c in found], now)
    if taken.full_until is not None:
        raise RateLimited(int(-(-(taken.full_until - now).total_seconds() // 1)), field=field)
    return Places(taken.places)


async def give_back(db: Database, places: Places) -> None:
    await db.write(counters.give_back, places.rows)
