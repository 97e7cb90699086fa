"""Nothing the hub answers tells whether an e-mail address has an account: sign-up of a
taken address, a reset of an unknown one and a sign-in with either answer exactly as for
the other case; the owner of a taken address is told by mail instead."""

from __future__ import annotations

import httpx

from hub.db.driver import Database
from tests import factories
from tests.accounts.common import (
    PASSWORD,
    REQUEST_RESET,
    RESET,
    SIGN_IN,
    SIGN_UP,
    Browser,
    mails,
    signed_up,
    token_of,
)

TAKEN = "taken@example.test"
FREE = "free@example.test"


def _form(email: str) -> dict[str, str]:
    return {"email": email, "password": "a-different-passphrase", "displayName": "x"}


async def test_sign_up_of_a_taken_address_answers_the_same_and_mails_its_owner(
    clean: Database, client: httpx.AsyncClient
) -> None:
    browser = Browser(client)
    await signed_up(browser, clean, TAKEN, language="en")
    taken = await browser.post(SIGN_UP, i=_form(TAKEN))
    free = await browser.post(SIGN_UP, i=_form(FREE))
    assert taken.status_code == free.status_code == 200
    assert taken.json()["data"]["signUp"] == {"__typename": "SignUpAccepted", "email": TAKEN}
    assert free.json()["data"]["signUp"] == {"__typename": "SignUpAccepted", "email": FREE}
    [told] = await mails(clean, TAKEN, "account_exists")
    assert told["language"] == "en"  # the owner's language, not the stranger's
    assert "#/forgot-password" in told["values"]["reset_link"]
    assert len(await mails(clean, TAKEN, "confirm_email")) == 1  # only the owner's own
    # The stranger's password was not set: the owner's still works, theirs does not.
    assert (await browser.sign_in(TAKEN))["__typename"] == "SignedIn"
    assert (await browser.sign_in(TAKEN, "a-different-passphrase"))["code"] == "BAD_CREDENTIALS"


async def test_a_reset_of_an_unknown_address_answers_as_for_a_known_one(
    clean: Database, client: httpx.AsyncClient
) -> None:
    browser = Browser(client)
    await signed_up(browser, clean, TAKEN)
    known = await browser.post(REQUEST_RESET, e=TAKEN)
    unknown = await browser.post(REQUEST_RESET, e=FREE)
    assert known.status_code == unknown.status_code == 200
    known_body = known.json()["data"]["requestPasswordReset"]
    unknown_body = unknown.json()["data"]["requestPasswordReset"]
    assert known_body == {**unknown_body, "email": TAKEN}
    assert len(await mails(clean, TAKEN, "reset_password")) == 1
    assert await mails(clean, FREE) == []


async def test_a_sign_in_says_the_same_for_an_unknown_address_and_a_wrong_password(
    clean: Database, client: httpx.AsyncClient
) -> None:
    browser = Browser(client)
    await signed_up(browser, clean, TAKEN)
    wrong = await browser.post(SIGN_IN, i={"email": TAKEN, "password": "not-the-passphrase"})
    unknown = await browser.post(SIGN_IN, i={"email": FREE, "password": PASSWORD})
    assert wrong.json() == unknown.json()
    assert wrong.json()["data"]["signIn"]["code"] == "BAD_CREDENTIALS"


async def test_a_cli_principal_with_an_e_mail_handle_is_an_account(
    clean: Database, client: httpx.AsyncClient
) -> None:
    """Made by `hub tokens create --user`: sign-up answers as for a taken address; a reset
    makes it a person with a password, keeping its roles."""
    provider = await factories.organization(clean, 1)
    await factories.token(clean, TAKEN, f"provider:{provider}")
    browser = Browser(client)
    assert (await browser.post(SIGN_UP, i=_form(TAKEN))).json()["data"]["signUp"]["email"] == TAKEN
    assert await mails(clean, TAKEN, "confirm_email") == []
    [told] = await mails(clean, TAKEN, "account_exists")
    assert told["values"]["sign_in_link"].endswith("#/sign-in")
    assert (await browser.sign_in(TAKEN))["code"] == "BAD_CREDENTIALS"  # no password yet

    await browser.gql(REQUEST_RESET, e=TAKEN)
    [mail] = await mails(clean, TAKEN, "reset_password")
    await browser.gql(RESET, t=token_of(mail), p=PASSWORD)
    signed = await browser.sign_in(TAKEN)
    assert signed["me"]["roles"] == [{"kind": "PROVIDER", "scope": provider}]
