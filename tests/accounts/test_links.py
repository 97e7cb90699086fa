"""Links in e-mails are single-use and expire; a reset signs out every session. Time is
moved in the process that serves (`hub.time.travel`), so these use the in-process app."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from hub.config import Settings
from hub.db.driver import Database
from hub.time import travel
from tests.accounts.common import (
    CONFIRM,
    ME,
    PASSWORD,
    REQUEST_RESET,
    RESET,
    SIGN_UP,
    Browser,
    mails,
    signed_in,
    token_of,
)

EMAIL = "li@example.test"


async def test_a_confirmation_link_works_once(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    browser = Browser(app_client)
    await browser.gql(SIGN_UP, i={"email": EMAIL, "password": PASSWORD})
    [mail] = await mails(clean, EMAIL, "confirm_email")
    assert (await browser.gql(CONFIRM, t=token_of(mail)))["confirmEmail"][
        "__typename"
    ] == "EmailConfirmed"
    again = (await browser.gql(CONFIRM, t=token_of(mail)))["confirmEmail"]
    assert (again["code"], again["field"]) == ("INVALID_INPUT", "token")


async def test_a_confirmation_link_expires(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    browser = Browser(app_client)
    await browser.gql(SIGN_UP, i={"email": EMAIL, "password": PASSWORD})
    [mail] = await mails(clean, EMAIL, "confirm_email")
    with travel(timedelta(seconds=settings.confirm_link_ttl_s + 1)):
        late = (await browser.gql(CONFIRM, t=token_of(mail)))["confirmEmail"]
    assert late["field"] == "token"
    assert (await browser.sign_in(EMAIL))["code"] == "EMAIL_NOT_CONFIRMED"


async def test_a_reset_link_works_once_expires_and_voids_the_older_ones(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    browser = await signed_in(app_client, clean, EMAIL)
    for _ in range(3):
        await browser.gql(REQUEST_RESET, e=EMAIL)
    first, second, third = (token_of(m) for m in await mails(clean, EMAIL, "reset_password"))
    with travel(timedelta(seconds=settings.reset_link_ttl_s + 1)):
        expired = (await browser.gql(RESET, t=first, p="a-new-passphrase-1"))["resetPassword"]
    assert expired["field"] == "token"
    done = (await browser.gql(RESET, t=second, p="a-new-passphrase-2"))["resetPassword"]
    assert done["__typename"] == "PasswordReset"
    for used in (second, third):  # used, and void since another one was used
        refused = (await browser.gql(RESET, t=used, p="a-new-passphrase-3"))["resetPassword"]
        assert refused["field"] == "token"
    assert (await browser.sign_in(EMAIL, "a-new-passphrase-2"))["__typename"] == "SignedIn"


async def test_a_reset_signs_out_every_session(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    here = await signed_in(app_client, clean, EMAIL)
    there = Browser(app_client)
    assert (await there.sign_in(EMAIL))["__typename"] == "SignedIn"
    await here.gql(REQUEST_RESET, e=EMAIL)
    [mail] = await mails(clean, EMAIL, "reset_password")
    await Browser(app_client).gql(RESET, t=token_of(mail), p="a-new-passphrase-1")
    for browser in (here, there):
        assert (await browser.post(ME)).status_code == 401


async def test_one_reset_link_used_twice_at_once_sets_one_password(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    browser = await signed_in(app_client, clean, EMAIL)
    await browser.gql(REQUEST_RESET, e=EMAIL)
    [mail] = await mails(clean, EMAIL, "reset_password")
    passwords = [f"a-new-passphrase-{n}" for n in range(4)]
    answers = await asyncio.gather(
        *(Browser(app_client).gql(RESET, t=token_of(mail), p=p) for p in passwords)
    )
    kinds = [a["resetPassword"]["__typename"] for a in answers]
    assert kinds.count("PasswordReset") == 1, kinds
    winner = passwords[kinds.index("PasswordReset")]
    for password in passwords:
        signed = await Browser(app_client).sign_in(EMAIL, password)
        assert (signed["__typename"] == "SignedIn") == (password == winner)
