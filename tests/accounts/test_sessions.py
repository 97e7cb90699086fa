"""Sign-in sessions: they end when idle and at their absolute end, a sign-in never keeps
the browser's old session id, signing out ends one or all, and a password change keeps
only the session that made it. The clock is moved in the serving process."""

from __future__ import annotations

from datetime import timedelta

import httpx

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.time import travel
from tests.accounts.common import (
    CHANGE,
    ME,
    NEW_PASSWORD,
    PASSWORD,
    SESSION,
    SIGN_OUT,
    SIGN_OUT_EVERYWHERE,
    Browser,
    signed_in,
)

EMAIL = "zhao@example.test"


async def _me(browser: Browser) -> int:
    return (await browser.post(ME)).status_code


async def test_a_session_ends_when_idle(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    browser = await signed_in(app_client, clean, EMAIL)
    with travel(timedelta(seconds=settings.session_idle_s - 1)):
        assert await _me(browser) == 200
    with travel(timedelta(seconds=2 * settings.session_idle_s)):  # idle since the last use
        assert await _me(browser) == 401


async def test_use_keeps_a_session_until_its_absolute_end(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    browser = await signed_in(app_client, clean, EMAIL)
    step = settings.session_idle_s * 3 // 4  # always used before it would idle out
    elapsed = step
    while elapsed < settings.session_max_s:
        with travel(timedelta(seconds=elapsed)):
            assert await _me(browser) == 200, elapsed
        elapsed += step
    with travel(timedelta(seconds=settings.session_max_s + 1)):
        assert await _me(browser) == 401


async def test_a_sign_in_replaces_the_session_the_browser_had(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    browser = await signed_in(app_client, clean, EMAIL)
    old = Browser(app_client, cookies=dict(browser.cookies))
    assert (await browser.sign_in(EMAIL))["__typename"] == "SignedIn"
    assert browser.cookies[SESSION] != old.cookies[SESSION]
    assert await _me(browser) == 200
    assert await _me(old) == 401  # a fixated or stolen old id is worth nothing now


async def test_signing_out_ends_this_session_and_everywhere_ends_all(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    here = await signed_in(app_client, clean, EMAIL)
    there, elsewhere = Browser(app_client), Browser(app_client)
    for browser in (there, elsewhere):
        await browser.sign_in(EMAIL)
    kept_cookies = Browser(app_client, cookies=dict(here.cookies))
    assert (await here.gql(SIGN_OUT))["signOut"] == {"signedOut": True}
    assert await _me(kept_cookies) == 401  # ended on the server, not just forgotten
    assert await _me(there) == 200
    assert (await there.gql(SIGN_OUT_EVERYWHERE))["signOutEverywhere"] == {"sessions": 2}
    assert await _me(there) == 401 and await _me(elsewhere) == 401


async def test_a_password_change_signs_out_the_other_sessions(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    here = await signed_in(app_client, clean, EMAIL)
    there = Browser(app_client)
    await there.sign_in(EMAIL)
    wrong = (await here.gql(CHANGE, c="not-the-password", n=NEW_PASSWORD))["changePassword"]
    assert (wrong["code"], wrong["field"]) == ("BAD_CREDENTIALS", "currentPassword")
    weak = (await here.gql(CHANGE, c=PASSWORD, n="short"))["changePassword"]
    assert (weak["code"], weak["field"]) == ("INVALID_INPUT", "newPassword")
    done = (await here.gql(CHANGE, c=PASSWORD, n=NEW_PASSWORD))["changePassword"]
    assert done["otherSessionsSignedOut"] == 1
    assert await _me(here) == 200 and await _me(there) == 401


async def _touches(tx: Tx) -> list[str]:
    rows = await tx.records("MATCH (s:Session) RETURN toString(s.last_seen_at) AS seen")
    return [r["seen"] for r in rows]


async def test_use_is_written_at_most_every_touch_interval(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    """Every write changes the data's fingerprint (the response cache's key)."""
    browser = await signed_in(app_client, clean, EMAIL)
    signed_at = await clean.read(_touches)
    for _ in range(3):
        assert await _me(browser) == 200
    assert await clean.read(_touches) == signed_at
    with travel(timedelta(seconds=settings.session_touch_s)):
        assert await _me(browser) == 200
    assert await clean.read(_touches) != signed_at
