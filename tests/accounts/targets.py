"""Objects for the authorization matrix's account rows: each makes the variables of one
call, and names (as `_actor`) who the audit log must say acted: for the public account
mutations, the person whose e-mail the call is about."""

from __future__ import annotations

from typing import Any

from hub.accounts import service
from hub.time import now
from tests.accounts.common import NEW_PASSWORD, PASSWORD, mails, token_of
from tests.security.targets import Bench


def _email(n: int) -> str:
    return f"matrix-{n}@example.test"


def _address(n: int) -> str:
    """An address of its own per object, so that making many stays within the limits."""
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


async def _signed_up(bench: Bench, n: int) -> str:
    form = service.SignUp(_email(n), PASSWORD, "", "zh", _address(n))
    await service.sign_up(bench.db, bench.settings, form, now())
    return _email(n)


async def _confirmed(bench: Bench, n: int) -> str:
    email = await _signed_up(bench, n)
    [mail] = await mails(bench.db, email, "confirm_email")
    await service.confirm_email(bench.db, token_of(mail), now())
    return email


async def new_account(bench: Bench, n: int) -> dict[str, Any]:
    return {"i": {"email": _email(n), "password": PASSWORD}, "_actor": _email(n)}


async def unconfirmed(bench: Bench, n: int) -> dict[str, Any]:
    email = await _signed_up(bench, n)
    [mail] = await mails(bench.db, email, "confirm_email")
    return {"t": token_of(mail), "_actor": email}


async def account(bench: Bench, n: int) -> dict[str, Any]:
    email = await _confirmed(bench, n)
    return {"i": {"email": email, "password": PASSWORD}, "e": email, "_actor": email}


async def reset_link(bench: Bench, n: int) -> dict[str, Any]:
    email = await _confirmed(bench, n)
    await service.request_password_reset(bench.db, bench.settings, email, _address(n), now())
    [mail] = await mails(bench.db, email, "reset_password")
    return {"t": token_of(mail), "p": NEW_PASSWORD, "_actor": email}


async def nothing(bench: Bench, n: int) -> dict[str, Any]:
    return {}


async def console_call(bench: Bench, n: int) -> dict[str, Any]:
    """Well-formed variables of every console-only mutation (each reads its own)."""
    token = {"name": "t", "roles": [], "expiresAt": "2030-01-01T00:00:00+08:00"}
    return {"c": "123456", "n": NEW_PASSWORD, "p": PASSWORD, "id": "x", "i": token}


async def notification_switch(_: Bench, n: int) -> dict[str, Any]:
    """Switching a notification off: a person's own setting (the matrix's callers are
    machines, which have none)."""
    return {"k": "AWARDED", "on": False}
