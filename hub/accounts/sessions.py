"""Signing in and out of the console, and the session behind a cookie.

Sign-in: at most N guesses per account and per address in a window (limits.py), then the
password (argon2id, a dummy hash when there is no account: the same time either way), the
e-mail confirmed, the second factor when the person has one; then a new session (the
browser's previous one is revoked: a session id never survives a sign-in), the password
hash renewed if made with older parameters, and the sign-in audited, in one transaction.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.requests import HTTPConnection

from hub.accounts import csrf, limits, rules, second_factor
from hub.accounts.failures import BadCredentials, EmailNotConfirmed
from hub.accounts.links import link_mail, new_link
from hub.accounts.model import Credentials, Purpose, SessionGrant
from hub.accounts.passwords import MAX_LENGTH, Verdict, passwords
from hub.accounts.store import counters, people
from hub.accounts.store import sessions as store
from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.identity.model import Principal
from hub.identity.service import hash_token
from hub.mail.outbox import enqueue


@dataclass(frozen=True)
class Attempt:
    """One sign-in: what the person typed, and where from."""

    email: str
    password: str
    totp_code: str | None
    address: str
    replaced: str | None  # the session cookie the browser came with, if any


async def sign_in(
    db: Database, settings: Settings, attempt: Attempt, now: datetime
) -> SessionGrant:
    email = rules.email("email", attempt.email)
    found = limits.sign_in_counters(settings, email, attempt.address)
    places = await limits.take(db, found, now, "email")
    creds = await db.read(people.credentials, email)
    verdict = await _verify(settings, creds, attempt.password)
    if creds is None or not verdict.matches:
        raise BadCredentials
    if not creds.email_confirmed:
        await _confirm_again(db, settings, creds, places, now)
        raise EmailNotConfirmed
    step = await second_factor.step_at_sign_in(db, creds, attempt.totp_code, places, now)
    renewed = await passwords(settings).hash(attempt.password) if verdict.stale else None
    grant = new_grant(settings, now)

    async def work(tx: Tx) -> None:
        if step is not None:
            await second_factor.use_step(tx, creds.id, step)
        if renewed is not None:
            await people.rehash(tx, creds.id, creds.password_hash or "", renewed)
        replaced = await store.open_session(tx, _row(settings, grant, creds.id, attempt, now))
        await counters.give_back(tx, places.rows)
        after = {"person": creds.id, "expires_at": grant.expires_at, "replaced": replaced}
        await audit(
            tx, Actor.serving(creds.email), [Change("Session", grant.id, "sign_in", None, after)]
        )

    await db.write(work)
    return grant


async def _verify(settings: Settings, creds: Credentials | None, password: str) -> Verdict:
    if len(password) > MAX_LENGTH * 4:  # no password is that long: not worth hashing
        return Verdict(False, False)
    return await passwords(settings).verify(creds.password_hash if creds else None, password)


async def _confirm_again(
    db: Database, settings: Settings, creds: Credentials, places: limits.Places, now: datetime
) -> None:
    """The password was right but the address is not confirmed: the attempt does not count
    as a failure, and a new confirmation link goes out."""
    link = new_link(settings, Purpose.CONFIRM_EMAIL, now)
    mail = link_mail(settings, link, creds.id, creds.email, creds.language, creds.display_name)

    async def work(tx: Tx) -> None:
        await counters.give_back(tx, places.rows)
        await people.create_link(tx, link.row(creds.id, now))
        await enqueue(tx, [mail])

    await db.write(work)


def new_grant(settings: Settings, now: datetime) -> SessionGrant:
    return SessionGrant(
        id=str(uuid.uuid4()),
        secret=secrets.token_urlsafe(32),
        csrf_token=secrets.token_urlsafe(32),
        expires_at=now + timedelta(seconds=settings.session_max_s),
    )


def _row(
    settings: Settings, grant: SessionGrant, person_id: str, attempt: Attempt, now: datetime
) -> dict[str, object]:
    idle_until = min(now + timedelta(seconds=settings.session_idle_s), grant.expires_at)
    return {
        "person": person_id,
        "id": grant.id,
        "hash": hash_token(grant.secret),
        "csrf_hash": hash_token(grant.csrf_token),
        "now": now,
        "idle_until": idle_until,
        "expires_at": grant.expires_at,
        "replaced": None if attempt.replaced is None else hash_token(attempt.replaced),
    }


async def authenticate(
    db: Database, settings: Settings, connection: HTTPConnection, secret: str, now: datetime
) -> Principal | None:
    """The person a session cookie stands for, if the session is good (else None: the
    caller is anonymous); the request must prove it comes from the console (csrf.py).
    Use moves the idle end on, written at most every `session_touch_s`."""
    holder = await db.read_one(store.authenticate, hash_token(secret), now)
    if holder is None:
        return None
    csrf.check(connection, holder.csrf_hash, settings.cors_origins)
    if now - holder.last_seen_at >= timedelta(seconds=settings.session_touch_s):
        idle_until = min(now + timedelta(seconds=settings.session_idle_s), holder.expires_at)
        session_id = holder.principal.session_id or ""
        await db.write(store.touch, session_id, now, idle_until)
    return holder.principal


async def sign_out(db: Database, principal: Principal, now: datetime) -> bool:
    """End the session the caller signed in with (if it did with one)."""
    session_id = principal.session_id
    if session_id is None:
        return False

    async def work(tx: Tx) -> bool:
        if not await store.revoke(tx, session_id, now):
            return False
        change = Change("Session", session_id, "sign_out", None, {"revoked_at": now})
        await audit(tx, Actor.serving(principal.handle), [change])
        return True

    return await db.write(work)


async def sign_out_everywhere(db: Database, principal: Principal, now: datetime) -> int:
    """End every session of the caller (the one it calls with too); how many there were."""

    async def work(tx: Tx) -> int:
        revoked = await store.revoke_all(tx, principal.id, now)
        change = Change("Person", principal.id, "sign_out_everywhere", None, {"sessions": revoked})
        await audit(tx, Actor.serving(principal.handle), [change])
        return revoked

    return await db.write(work)
