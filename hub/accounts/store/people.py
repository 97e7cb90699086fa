"""People (principals with the Person label) and their single-use links.

An account is found by its e-mail address as a principal's handle (a person's handle is
its e-mail), so a principal made by the CLI with an e-mail handle counts as an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from hub.accounts.model import Credentials, Language, Person, Purpose
from hub.db.driver import Tx, python_value

CREDENTIALS: LiteralString = """
MATCH (p:Principal {handle: $email})
RETURN p.id AS id, coalesce(p.email, p.handle) AS email, coalesce(p.language, 'zh') AS language,
       coalesce(p.display_name, '') AS display_name, p.password_hash AS password_hash,
       p.email_confirmed_at IS NOT NULL AS email_confirmed, p.totp_secret AS totp_secret,
       p.totp_last_step AS totp_last_step
"""

# The account of the e-mail, made now unless there is one: `fresh` tells which. Two
# sign-ups of one address wait on the handle's uniqueness constraint: one makes it.
SIGN_UP: LiteralString = """
MERGE (p:Principal {handle: $email})
ON CREATE SET p:Person, p.id = $id, p.email = $email, p.language = $language,
              p.display_name = $display_name, p.password_hash = $password_hash,
              p.created_at = $now, p.password_changed_at = $now
RETURN p.id = $id AS fresh, p.id AS id, coalesce(p.language, $language) AS language,
       coalesce(p.display_name, $display_name) AS display_name
"""

PERSON: LiteralString = """
MATCH (p:Person {id: $id})
RETURN p {.id, .email, .language, .display_name, .created_at, .email_confirmed_at,
          totp_enabled: p.totp_secret IS NOT NULL} AS person
"""

CREATE_LINK: LiteralString = """
MATCH (p:Principal {id: $person})
CREATE (l:AccountLink {id: $id, hash: $hash, purpose: $purpose, created_at: $now,
                       expires_at: $expires_at})-[:FOR]->(p)
"""

# Whether a link is good (not used, not expired), and whose it is: read before the work
# that needs the person (a new password is checked against the e-mail, then hashed).
PEEK_LINK: LiteralString = """
MATCH (l:AccountLink {hash: $hash})-[:FOR]->(p:Principal)
WHERE l.purpose = $purpose AND l.used_at IS NULL AND l.expires_at > $now
RETURN p.id AS id, coalesce(p.email, p.handle) AS email
"""

# Use a link once: locked, then checked, then marked used, in one statement; the other
# unused links of that purpose of that person are void from now on.
USE_LINK: LiteralString = """
MATCH (l:AccountLink {hash: $hash})-[:FOR]->(p:Principal)
WHERE l.purpose = $purpose
SET l._lock = true
WITH l, p, l.used_at IS NULL AND l.expires_at > $now AS good
SET l.used_at = CASE WHEN good THEN $now ELSE l.used_at END
REMOVE l._lock
WITH l, p, good
CALL (l, p, good) {
  MATCH (other:AccountLink {purpose: $purpose})-[:FOR]->(p)
  WHERE good AND other <> l AND other.used_at IS NULL
  SET other.used_at = $now
}
RETURN good, p.id AS id, coalesce(p.email, p.handle) AS email
"""

CONFIRM_EMAIL: LiteralString = """
MATCH (p:Person {id: $id})
WITH p, p.email_confirmed_at AS before
SET p.email_confirmed_at = coalesce(before, $now)
RETURN before IS NULL AS changed
"""

# A new password, by reset link (the mailbox is proven: the e-mail is confirmed, and a
# principal made by the CLI becomes a person) or by the person who knows the current one.
SET_PASSWORD: LiteralString = """
MATCH (p:Principal {id: $id})
SET p:Person, p.email = coalesce(p.email, p.handle), p.language = coalesce(p.language, 'zh'),
    p.display_name = coalesce(p.display_name, ''), p.created_at = coalesce(p.created_at, $now),
    p.password_hash = $password_hash, p.password_changed_at = $now,
    p.email_confirmed_at = CASE WHEN $proves_mailbox
                                THEN coalesce(p.email_confirmed_at, $now)
                                ELSE p.email_confirmed_at END
"""

REHASH: LiteralString = """
MATCH (p:Person {id: $id}) WHERE p.password_hash = $old
SET p.password_hash = $new
"""

SET_TOTP_PENDING: LiteralString = """
MATCH (p:Person {id: $id})
SET p.totp_pending_secret = $secret
"""

TOTP_PENDING: LiteralString = """
MATCH (p:Person {id: $id})
RETURN p.totp_pending_secret AS secret, p.totp_last_step AS last_step
"""

# A TOTP step is used once: a code seen at a later step than the last one only.
USE_TOTP_STEP: LiteralString = """
MATCH (p:Person {id: $id})
SET p._lock = true
WITH p, coalesce(p.totp_last_step, -1) < $step AS fresh
SET p.totp_last_step = CASE WHEN fresh THEN $step ELSE p.totp_last_step END
REMOVE p._lock
RETURN fresh
"""

ENABLE_TOTP: LiteralString = """
MATCH (p:Person {id: $id}) WHERE p.totp_pending_secret = $secret
SET p.totp_secret = $secret, p.totp_enabled_at = $now
REMOVE p.totp_pending_secret
RETURN p.id AS id
"""

DISABLE_TOTP: LiteralString = """
MATCH (p:Person {id: $id}) WHERE p.totp_secret IS NOT NULL
REMOVE p.totp_secret, p.totp_enabled_at, p.totp_pending_secret
RETURN p.id AS id
"""


@dataclass(frozen=True)
class SignedUp:
    fresh: bool  # False: the e-mail already had an account
    id: str
    language: Language
    display_name: str


@dataclass(frozen=True)
class LinkUse:
    good: bool
    person_id: str
    email: str


def _person(row: dict[str, Any]) -> Person:
    return Person(
        id=row["id"],
        email=row["email"],
        language=row["language"],
        display_name=row["display_name"],
        created_at=python_value(row["created_at"]),
        email_confirmed_at=python_value(row["email_confirmed_at"]),
        totp_enabled=row["totp_enabled"],
    )


async def credentials(tx: Tx, email: str) -> Credentials | None:
    row = await tx.single(CREDENTIALS, email=email)
    return None if row is None else Credentials(**dict(row))


async def person(tx: Tx, person_id: str) -> Person | None:
    row = await tx.single(PERSON, id=person_id)
    return None if row is None else _person(row["person"])


async def sign_up(tx: Tx, row: dict[str, Any]) -> SignedUp:
    found = await tx.single(SIGN_UP, **row)
    assert found is not None
    return SignedUp(**dict(found))


async def create_link(tx: Tx, row: dict[str, Any]) -> None:
    await tx.run(CREATE_LINK, **row)


async def peek_link(tx: Tx, token_hash: str, purpose: Purpose, now: datetime) -> LinkUse | None:
    row = await tx.single(PEEK_LINK, hash=token_hash, purpose=purpose.value, now=now)
    return None if row is None else LinkUse(True, row["id"], row["email"])


async def use_link(tx: Tx, token_hash: str, purpose: Purpose, now: datetime) -> LinkUse | None:
    """The link's person if the link was good (it is used now), else None."""
    row = await tx.single(USE_LINK, hash=token_hash, purpose=purpose.value, now=now)
    if row is None or not row["good"]:
        return None
    return LinkUse(True, row["id"], row["email"])


async def confirm_email(tx: Tx, person_id: str, now: datetime) -> bool:
    """Whether this confirmed it (False: it already was)."""
    row = await tx.single(CONFIRM_EMAIL, id=person_id, now=now)
    return bool(row and row["changed"])


async def set_password(
    tx: Tx, person_id: str, password_hash: str, now: datetime, proves_mailbox: bool
) -> None:
    await tx.run(
        SET_PASSWORD,
        id=person_id,
        password_hash=password_hash,
        now=now,
        proves_mailbox=proves_mailbox,
    )


async def rehash(tx: Tx, person_id: str, old: str, new: str) -> None:
    """Store a hash made with today's parameters, unless the password changed meanwhile."""
    await tx.run(REHASH, id=person_id, old=old, new=new)


async def set_totp_pending(tx: Tx, person_id: str, secret: str) -> None:
    await tx.run(SET_TOTP_PENDING, id=person_id, secret=secret)


async def totp_pending(tx: Tx, person_id: str) -> tuple[str | None, int | None]:
    row = await tx.single(TOTP_PENDING, id=person_id)
    return (None, None) if row is None else (row["secret"], row["last_step"])


async def use_totp_step(tx: Tx, person_id: str, step: int) -> bool:
    """Whether the step was not used before (now it is)."""
    row = await tx.single(USE_TOTP_STEP, id=person_id, step=step)
    return bool(row and row["fresh"])


async def enable_totp(tx: Tx, person_id: str, secret: str, now: datetime) -> bool:
    return await tx.single(ENABLE_TOTP, id=person_id, secret=secret, now=now) is not None


async def disable_totp(tx: Tx, person_id: str) -> bool:
    return await tx.single(DISABLE_TOTP, id=person_id) is not None
