"""Rate limits hold across hub processes: two `hub serve` processes share one Neo4j, and
attempts spread over both are counted together. The N+1th in a window is refused with
RATE_LIMITED and Retry-After, whichever process it reaches, also when all come at once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest

from hub.config import Settings
from hub.db.driver import Database
from hub.time import travel
from tests.accounts.common import PASSWORD, REQUEST_RESET, SIGN_IN, SIGN_UP, Browser, signed_up
from tests.conftest import LiveHub

EMAIL = "zhou@example.test"
LIMITS = {
    "HUB_LIMIT_SIGN_IN_ACCOUNT": "3/600",
    "HUB_LIMIT_SIGN_UP_ADDRESS": "4/600",
    "HUB_LIMIT_RESET_EMAIL": "2/600",
}


@pytest.fixture(scope="module")
def two_hubs(
    settings: Settings, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveHub, LiveHub]]:
    folder = tmp_path_factory.mktemp("two-hubs")
    first = LiveHub(settings, folder / "first.log", **LIMITS)
    try:
        second = LiveHub(settings, folder / "second.log", **LIMITS)
        yield first, second
        second.stop()
    finally:
        first.stop()


@pytest.fixture
async def browsers(two_hubs: tuple[LiveHub, LiveHub]) -> AsyncIterator[tuple[Browser, Browser]]:
    async with (
        httpx.AsyncClient(base_url=two_hubs[0].url, timeout=60) as one,
        httpx.AsyncClient(base_url=two_hubs[1].url, timeout=60) as two,
    ):
        yield Browser(one), Browser(two)


async def _sign_in(browser: Browser, password: str) -> httpx.Response:
    return await browser.post(SIGN_IN, i={"email": EMAIL, "password": password})


def _code(response: httpx.Response, field: str) -> str:
    result = response.json()["data"][field]
    return str(result.get("code") or result["__typename"])


async def test_the_fourth_failed_sign_in_is_refused_whichever_process_it_reaches(
    clean: Database, browsers: tuple[Browser, Browser]
) -> None:
    one, two = browsers
    await signed_up(one, clean, EMAIL)
    for browser in (one, two, one):
        assert _code(await _sign_in(browser, "not-the-passphrase"), "signIn") == "BAD_CREDENTIALS"
    refused = await _sign_in(two, PASSWORD)  # even the right password, until the window ends
    result = refused.json()["data"]["signIn"]
    assert (result["code"], result["field"]) == ("RATE_LIMITED", "email")
    assert 0 < result["retryAfterSeconds"] <= 600
    assert refused.headers["retry-after"] == str(result["retryAfterSeconds"])


async def test_good_sign_ins_do_not_count(
    clean: Database, browsers: tuple[Browser, Browser]
) -> None:
    one, two = browsers
    await signed_up(one, clean, EMAIL)
    answers = [
        _code(await _sign_in(browser, password), "signIn")
        for browser, password in [
            (one, "wrong-passphrase"),
            (two, "wrong-passphrase"),
            (one, PASSWORD),
            (two, PASSWORD),
            (one, PASSWORD),
            (two, "wrong-passphrase"),
            (one, "wrong-passphrase"),
        ]
    ]
    assert answers == ["BAD_CREDENTIALS"] * 2 + ["SignedIn"] * 3 + [
        "BAD_CREDENTIALS",
        "RATE_LIMITED",
    ]


async def test_guesses_sent_all_at_once_to_both_processes_get_three_tries(
    clean: Database, browsers: tuple[Browser, Browser]
) -> None:
    one, two = browsers
    await signed_up(one, clean, EMAIL)
    guesses = [_sign_in((one, two)[n % 2], f"guess-number-{n:03d}") for n in range(12)]
    seen = Counter(_code(r, "signIn") for r in await asyncio.gather(*guesses))
    assert seen == {"BAD_CREDENTIALS": 3, "RATE_LIMITED": 9}


async def test_the_fifth_sign_up_from_one_address_is_refused(
    clean: Database, browsers: tuple[Browser, Browser]
) -> None:
    one, two = browsers
    answers = [
        _code(
            await (one, two)[n % 2].post(
                SIGN_UP, i={"email": f"u{n}@example.test", "password": PASSWORD}
            ),
            "signUp",
        )
        for n in range(5)
    ]
    assert answers == ["SignUpAccepted"] * 4 + ["RATE_LIMITED"]


async def test_resets_are_limited_per_address_whether_or_not_it_has_an_account(
    clean: Database, browsers: tuple[Browser, Browser]
) -> None:
    one, two = browsers
    await signed_up(one, clean, EMAIL)
    for email in (EMAIL, "nobody@example.test"):
        answers = [
            _code(await b.post(REQUEST_RESET, e=email), "requestPasswordReset")
            for b in (one, two, one)
        ]
        assert answers == ["PasswordResetRequested"] * 2 + ["RATE_LIMITED"]


async def test_a_new_window_opens_when_the_old_one_ends(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    browser = Browser(app_client)
    await signed_up(browser, clean, EMAIL)
    limit = settings.limit_sign_in_account
    for _ in range(limit.attempts):
        assert _code(await _sign_in(browser, "not-the-passphrase"), "signIn") == "BAD_CREDENTIALS"
    assert _code(await _sign_in(browser, PASSWORD), "signIn") == "RATE_LIMITED"
    with travel(timedelta(seconds=limit.window_s)):
        assert _code(await _sign_in(browser, PASSWORD), "signIn") == "SignedIn"
