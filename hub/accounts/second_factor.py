"""The optional second factor: a TOTP authenticator app (totp.py).

Enrolment is two steps: `enrol` makes a secret and shows it once (with its otpauth://
URI), kept aside as pending; `confirm` turns it on when the person sends a code made from
it, which proves the app has it. From then on sign-in asks for a code. Turning it off
takes the password and a current code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.accounts import limits, reauth, rules, totp
from hub.accounts.failures import BadCredentials, SecondFactorRequired
from hub.accounts.model import Credentials
from hub.accounts.store import people
from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import Conflict, invalid
from hub.identity.model import Principal


@dataclass(frozen=True)
class Proof:
    """What turning the second factor off takes: the password and a current code."""

    password: str
    code: str
    address: str


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, for typing into an app by hand
    uri: str  # otpauth://totp/...: the same, for a QR code


def needed(creds: Credentials) -> bool:
    """Whether this sign-in needs a code. Here, later, an organization's rule that its
    members must use a second factor: one who has none would be sent to enrol first."""
    return creds.totp_secret is not None


async def step_at_sign_in(
    db: Database, creds: Credentials, code: str | None, places: limits.Places, now: datetime
) -> int | None:
    """The TOTP step of the code given, when one is needed (None: not needed). No code:
    SecondFactorRequired (the password was right: that attempt is given back); a wrong
    one: BadCredentials, which counts as a failed sign-in."""
    if not needed(creds) or creds.totp_secret is None:
        return None
    if code is None or not code.strip():
        await limits.give_back(db, places)
        raise SecondFactorRequired
    digits = code.replace(" ", "")
    step = totp.matching_step(creds.totp_secret, digits, now, creds.totp_last_step)
    if step is None:
        raise BadCredentials("totp_code")
    return step


async def use_step(tx: Tx, person_id: str, step: int) -> None:
    """Mark the step used, in the sign-in's transaction; a second use of it (two
    sign-ins racing with one code) is refused and the whole sign-in rolled back."""
    if not await people.use_totp_step(tx, person_id, step):
        raise BadCredentials("totp_code")


async def enrol(db: Database, principal: Principal, now: datetime) -> Enrolment:
    person = await db.read(people.person, principal.id)
    if person is None:
        raise invalid("email", "only people with an account can enrol", "只有注册用户可以启用")
    if person.totp_enabled:
        raise Conflict(
            "the second factor is already on: turn it off first to enrol another app",
            "两步验证已开启：请先关闭再绑定其他应用",
        )
    secret = totp.new_secret()

    async def work(tx: Tx) -> None:
        await people.set_totp_pending(tx, principal.id, secret)
        change = Change("Person", principal.id, "enrol_totp", None, {"pending": True})
        await audit(tx, Actor.serving(principal.handle), [change])

    await db.write(work)
    return Enrolment(secret, totp.uri(secret, person.email))


async def confirm(db: Database, principal: Principal, code: str, now: datetime) -> None:
    digits = rules.code("code", code)
    secret, last_step = await db.read(people.totp_pending, principal.id)
    if secret is None:
        raise Conflict("code: enrol first (enrolTotp)", "code：请先绑定（enrolTotp）", field="code")
    step = totp.matching_step(secret, digits, now, last_step)
    if step is None:
        raise invalid("code", "is not the code your app shows now", "不是验证器当前显示的验证码")

    async def work(tx: Tx) -> bool:
        if not await people.enable_totp(tx, principal.id, secret, now):
            return False
        await people.use_totp_step(tx, principal.id, step)
        change = Change("Person", principal.id, "enable_totp", {"totp": False}, {"totp": True})
        await audit(tx, Actor.serving(principal.handle), [change])
        return True

    if not await db.write(work):
        raise Conflict("code: enrol again", "code：请重新绑定", field="code")


async def disable(
    db: Database, settings: Settings, principal: Principal, proof: Proof, now: datetime
) -> None:
    digits = rules.code("code", proof.code)
    creds = await reauth.prove(
        db, settings, principal, proof.password, "password", proof.address, now
    )
    if creds.totp_secret is None:
        raise Conflict("the second factor is not on", "两步验证未开启")
    step = totp.matching_step(creds.totp_secret, digits, now, creds.totp_last_step)
    if step is None:
        raise BadCredentials("code")

    async def work(tx: Tx) -> None:
        await use_step(tx, principal.id, step)
        await people.disable_totp(tx, principal.id)
        change = Change("Person", principal.id, "disable_totp", {"totp": True}, {"totp": False})
        await audit(tx, Actor.serving(principal.handle), [change])

    await db.write(work)
