"""Use cases of an account's life: sign up, confirm the e-mail address, reset a forgotten
password, change it.

None of them tells whether an address has an account: sign-up answers the same for a
new address and a taken one (its owner gets an `account_exists` mail instead of a
confirmation), and a reset request answers the same for an unknown address (nothing is
sent). Both hash the password and write in either case, so they take as long.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from hub.accounts import limits, reauth, rules
from hub.accounts.links import account_exists_mail, link_mail, new_link
from hub.accounts.model import Purpose
from hub.accounts.passwords import check_policy, passwords
from hub.accounts.store import people, sessions
from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import invalid
from hub.identity.model import Principal
from hub.identity.service import hash_token
from hub.mail.outbox import enqueue

MAX_LINK_TOKEN = 100


@dataclass(frozen=True)
class SignUp:
    email: str
    password: str
    display_name: str
    language: str
    address: str  # the client's


async def sign_up(db: Database, settings: Settings, form: SignUp, now: datetime) -> None:
    email = rules.email("email", form.email)
    display_name = rules.display_name("display_name", form.display_name)
    language = rules.language("language", form.language)
    password = check_policy("password", form.password, email)
    await limits.take(db, limits.sign_up_counters(settings, email, form.address), now, "email")
    password_hash = await passwords(settings).hash(password)
    link = new_link(settings, Purpose.CONFIRM_EMAIL, now)
    row = {
        "id": str(uuid.uuid4()),
        "email": email,
        "language": language,
        "display_name": display_name,
        "password_hash": password_hash,
        "now": now,
    }

    async def work(tx: Tx) -> None:
        done = await people.sign_up(tx, row)
        if not done.fresh:
            mail = account_exists_mail(settings, done.id, email, done.language, done.display_name)
            await enqueue(tx, [mail])
            return
        await people.create_link(tx, link.row(done.id, now))
        await enqueue(tx, [link_mail(settings, link, done.id, email, language, display_name)])
        after = {"email": email, "language": language, "display_name": display_name}
        await audit(tx, Actor.serving(email), [Change("Person", done.id, "sign_up", None, after)])

    await db.write(work)


def _bad_link() -> Exception:
    return invalid(
        "token",
        "this link is not valid, was used already or has expired: ask for a new one",
        "链接无效、已使用或已过期：请重新获取",
    )


def _link_hash(token: str) -> str:
    token = token.strip()
    if not token or len(token) > MAX_LINK_TOKEN:
        raise _bad_link()
    return hash_token(token)


async def confirm_email(db: Database, token: str, now: datetime) -> None:
    token_hash = _link_hash(token)

    async def work(tx: Tx) -> bool:
        use = await people.use_link(tx, token_hash, Purpose.CONFIRM_EMAIL, now)
        if use is None:
            return False
        if await people.confirm_email(tx, use.person_id, now):
            before, after = {"email_confirmed_at": None}, {"email_confirmed_at": now}
            change = Change("Person", use.person_id, "confirm_email", before, after)
            await audit(tx, Actor.serving(use.email), [change])
        return True

    if not await db.write(work):
        raise _bad_link()


async def request_password_reset(
    db: Database, settings: Settings, email_text: str, address: str, now: datetime
) -> None:
    email = rules.email("email", email_text)
    await limits.take(db, limits.reset_counters(settings, email, address), now, "email")
    link = new_link(settings, Purpose.RESET_PASSWORD, now)

    async def work(tx: Tx) -> None:
        creds = await people.credentials(tx, email)
        if creds is None:
            return
        await people.create_link(tx, link.row(creds.id, now))
        mail = link_mail(settings, link, creds.id, creds.email, creds.language, creds.display_name)
        await enqueue(tx, [mail])
        after = {"link_expires_at": link.expires_at}
        change = Change("Person", creds.id, "request_password_reset", None, after)
        await audit(tx, Actor.serving(email), [change])

    await db.write(work)


async def reset_password(
    db: Database, settings: Settings, token: str, new_password: str, now: datetime
) -> None:
    """A new password by a reset link. It signs out every session of the person, and
    proves the mailbox (an unconfirmed address is confirmed; a CLI-made principal with
    this e-mail as handle becomes a person)."""
    token_hash = _link_hash(token)
    owner = await db.read(people.peek_link, token_hash, Purpose.RESET_PASSWORD, now)
    if owner is None:
        raise _bad_link()
    password_hash = await passwords(settings).hash(
        check_policy("new_password", new_password, owner.email)
    )

    async def work(tx: Tx) -> bool:
        use = await people.use_link(tx, token_hash, Purpose.RESET_PASSWORD, now)
        if use is None:
            return False
        await people.set_password(tx, use.person_id, password_hash, now, proves_mailbox=True)
        revoked = await sessions.revoke_all(tx, use.person_id, now)
        after = {"password_changed_at": now, "sessions_revoked": revoked}
        change = Change("Person", use.person_id, "reset_password", None, after)
        await audit(tx, Actor.serving(use.email), [change])
        return True

    if not await db.write(work):
        raise _bad_link()


@dataclass(frozen=True)
class PasswordChange:
    current: str
    new: str
    address: str


async def change_password(
    db: Database, settings: Settings, principal: Principal, change: PasswordChange, now: datetime
) -> int:
    """A new password, given the current one; the person's other sessions are signed out
    (the one making the change stays). How many were."""
    creds = await reauth.prove(
        db, settings, principal, change.current, "current_password", change.address, now
    )
    password_hash = await passwords(settings).hash(
        check_policy("new_password", change.new, creds.email)
    )

    async def work(tx: Tx) -> int:
        await people.set_password(tx, creds.id, password_hash, now, proves_mailbox=False)
        revoked = await sessions.revoke_all(tx, creds.id, now, keep=principal.session_id)
        after = {"password_changed_at": now, "sessions_revoked": revoked}
        change_ = Change("Person", creds.id, "change_password", None, after)
        await audit(tx, Actor.serving(principal.handle), [change_])
        return revoked

    return await db.write(work)
