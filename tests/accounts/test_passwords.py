"""Passwords: the policy names the field it refuses; hashes are argon2id, made anew at
sign-in when the hub's parameters changed; normalised, so a full-width twin matches."""

from __future__ import annotations

import httpx
import pytest

from hub.accounts import service
from hub.accounts.passwords import Passwords, check_policy
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import InvalidInput
from hub.time import now
from tests.accounts.common import CONFIRM, PASSWORD, SIGN_UP, Browser, mails, token_of

EMAIL = "wu@example.test"


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("short", "at least 10 characters"),
        ("x" * 257, "at most 256 characters"),
        ("qwertyuiop", "too easy to guess"),
        ("abababababab", "too easy to guess"),
        ("wu@example.test", "may not be your e-mail address"),
        ("WU@example.test", "may not be your e-mail address"),
    ],
)
def test_the_policy_names_the_field(password: str, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_policy("new_password", password, EMAIL)
    assert refused.value.field == "new_password" and says in refused.value.message_en


async def test_sign_up_names_each_bad_field(clean: Database, app_client: httpx.AsyncClient) -> None:
    browser = Browser(app_client)
    cases = [
        ({"email": "not-an-address", "password": PASSWORD}, "email"),
        ({"email": EMAIL, "password": "short"}, "password"),
        ({"email": EMAIL, "password": PASSWORD, "language": "fr"}, "language"),
        ({"email": EMAIL, "password": PASSWORD, "displayName": "a\u202eb"}, "displayName"),
    ]
    for form, field in cases:
        result = (await browser.gql(SIGN_UP, i=form))["signUp"]
        assert (result["code"], result["field"]) == ("INVALID_INPUT", field), result
        assert result["messageEn"].startswith(field)
    assert await mails(clean, EMAIL) == []


async def _hash(tx: Tx) -> str:
    row = await tx.single("MATCH (p:Person) RETURN p.password_hash AS h")
    assert row is not None
    return str(row["h"])


async def test_a_hash_made_with_old_parameters_is_made_anew_at_sign_in(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    cheaper = settings.model_copy(update={"password_memory_kib": 8192, "password_time_cost": 1})
    form = service.SignUp(EMAIL, PASSWORD, "", "zh", "127.0.0.1")
    await service.sign_up(clean, cheaper, form, now())
    [mail] = await mails(clean, EMAIL, "confirm_email")
    browser = Browser(app_client)
    await browser.gql(CONFIRM, t=token_of(mail))
    assert "$m=8192,t=1,p=1$" in await clean.read(_hash)

    assert (await browser.sign_in(EMAIL))["__typename"] == "SignedIn"
    expected = f"$m={settings.password_memory_kib},t={settings.password_time_cost},p=1$"
    renewed = await clean.read(_hash)
    assert renewed.startswith("$argon2id$") and expected in renewed
    assert (await browser.sign_in(EMAIL))["__typename"] == "SignedIn"
    assert await clean.read(_hash) == renewed  # made anew once, not at every sign-in


async def test_a_password_matches_its_full_width_twin() -> None:
    passwords = Passwords(8192, 1, 1)
    stored = await passwords.hash("ｌｙｏｐｈｉｌｉｓｅｄ２０２７")  # typed with a CJK input method
    assert (await passwords.verify(stored, "lyophilised2027")).matches
    assert not (await passwords.verify(None, "lyophilised2027")).matches
    assert not (await passwords.verify(stored, "lyophilised2028")).matches
