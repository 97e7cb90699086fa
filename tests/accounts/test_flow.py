"""The whole life of an account against the live hub: sign up, confirm by the mailed
link, sign in (the cookie and its flags), who am I, change the password, sign out,
forget it, reset it by the mailed link; each step read from the outbox and the graph."""

from __future__ import annotations

from typing import Any

import httpx

from hub.db.driver import Database, Tx
from tests.accounts.common import (
    CHANGE,
    CONFIRM,
    CSRF,
    ME,
    NEW_PASSWORD,
    PASSWORD,
    REQUEST_RESET,
    RESET,
    SESSION,
    SIGN_OUT,
    SIGN_UP,
    Browser,
    mails,
    token_of,
)

EMAIL = "Wang.Gong@Example.test"


async def _audit(tx: Tx) -> list[tuple[str, str, str]]:
    rows = await tx.records(
        "MATCH (a:AuditRecord) WHERE a.entity IN ['Person', 'Session', 'ApiToken'] "
        "RETURN a.entity AS entity, a.action AS action, a.actor AS actor ORDER BY a.at, a.id"
    )
    return [(r["entity"], r["action"], r["actor"]) for r in rows]


async def _person(tx: Tx) -> dict[str, Any]:
    row = await tx.single("MATCH (p:Person) RETURN p {.*} AS p")
    assert row is not None
    return dict(row["p"])


async def test_an_account_from_sign_up_to_reset(clean: Database, client: httpx.AsyncClient) -> None:
    browser = Browser(client)
    form = {"email": EMAIL, "password": PASSWORD, "displayName": "王工", "language": "en"}
    accepted = await browser.gql(SIGN_UP, i=form)
    assert accepted["signUp"] == {"__typename": "SignUpAccepted", "email": "wang.gong@example.test"}
    email = "wang.gong@example.test"  # one account however the address is capitalised

    # Not confirmed yet: the right password is not enough, and a new link goes out.
    refused = await browser.sign_in(email)
    assert (refused["code"], refused["field"]) == ("EMAIL_NOT_CONFIRMED", "email")
    first, again = await mails(clean, email, "confirm_email")
    assert first["language"] == "en" and first["values"]["display_name"] == "王工"
    assert (
        first["values"]["link"].startswith("http://")
        and "#/confirm-email?token=" in first["values"]["link"]
    )
    assert (await browser.gql(CONFIRM, t=token_of(again)))["confirmEmail"][
        "__typename"
    ] == "EmailConfirmed"

    signed = await browser.sign_in(email)
    assert signed["__typename"] == "SignedIn" and signed["me"]["signedInBy"] == "SESSION"
    assert signed["csrfToken"] == browser.cookies[CSRF]
    session_cookie = next(c for c in browser.set_cookies if c.startswith(SESSION + "="))
    flags = {part.strip().lower() for part in session_cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
    csrf_cookie = next(c for c in browser.set_cookies if c.startswith(CSRF + "="))
    assert "httponly" not in csrf_cookie.lower()  # the console reads it

    me = (await browser.gql(ME))["me"]
    assert me["handle"] == email and me["roles"] == []
    assert me["person"]["emailConfirmedAt"] is not None and me["person"]["language"] == "en"
    stored = await clean.read(_person)
    assert stored["password_hash"].startswith("$argon2id$") and PASSWORD not in str(stored)

    changed = await browser.gql(CHANGE, c=PASSWORD, n=NEW_PASSWORD)
    assert changed["changePassword"] == {
        "__typename": "PasswordChanged",
        "otherSessionsSignedOut": 0,
    }
    assert (await browser.gql(SIGN_OUT))["signOut"] == {"signedOut": True}
    assert SESSION not in browser.cookies
    assert (await browser.post(ME)).status_code == 401

    # Forgotten: a reset link by mail, used once, then the new password works.
    asked = await browser.gql(REQUEST_RESET, e=email)
    assert asked["requestPasswordReset"]["__typename"] == "PasswordResetRequested"
    [reset_mail] = await mails(clean, email, "reset_password")
    done = await browser.gql(RESET, t=token_of(reset_mail), p="another-long-passphrase")
    assert done["resetPassword"]["__typename"] == "PasswordReset"
    assert (await browser.sign_in(email, NEW_PASSWORD))["code"] == "BAD_CREDENTIALS"
    assert (await browser.sign_in(email, "another-long-passphrase"))["__typename"] == "SignedIn"

    assert await clean.read(_audit) == [
        ("Person", "sign_up", email),
        ("Person", "confirm_email", email),
        ("Session", "sign_in", email),
        ("Person", "change_password", email),
        ("Session", "sign_out", email),
        ("Person", "request_password_reset", email),
        ("Person", "reset_password", email),
        ("Session", "sign_in", email),
    ]
