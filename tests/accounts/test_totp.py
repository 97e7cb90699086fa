"""The optional second factor: enrol (secret shown once, otpauth URI), confirm with a
code, then sign-in asks for one; a code works once; turning it off takes password and
code. The clock is moved in the serving process to reach the next 30-second step."""

from __future__ import annotations

from datetime import timedelta

import httpx

from hub.accounts import totp
from hub.db.driver import Database
from hub.time import now, travel
from tests import factories
from tests.accounts.common import ME, PASSWORD, Browser, signed_in

EMAIL = "zheng@example.test"
ENROL = """mutation { enrolTotp {
  __typename ... on TotpEnrolment { secret uri } ... on Problem { code field } } }"""
CONFIRM = """mutation($c: String!) { confirmTotp(code: $c) {
  __typename ... on TotpChanged { enabled } ... on Problem { code field } } }"""
DISABLE = """mutation($p: String!, $c: String!) { disableTotp(password: $p, code: $c) {
  __typename ... on TotpChanged { enabled } ... on Problem { code field } } }"""


def _code(secret: str, steps_ahead: int = 0) -> str:
    return totp.code_at(secret, int(now().timestamp()) // totp.STEP_S + steps_ahead)


async def test_a_second_factor_from_enrolment_to_sign_in(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    browser = await signed_in(app_client, clean, EMAIL)
    enrolment = (await browser.gql(ENROL))["enrolTotp"]
    secret = enrolment["secret"]
    assert enrolment["uri"].startswith("otpauth://totp/") and f"secret={secret}" in enrolment["uri"]
    wrong = await browser.gql(CONFIRM, c="000000" if _code(secret) != "000000" else "111111")
    assert (wrong["confirmTotp"]["code"], wrong["confirmTotp"]["field"]) == (
        "INVALID_INPUT",
        "code",
    )
    used = _code(secret)
    assert (await browser.gql(CONFIRM, c=used))["confirmTotp"] == {
        "__typename": "TotpChanged",
        "enabled": True,
    }
    assert (await browser.gql(ME))["me"]["person"]["totpEnabled"] is True
    assert (await browser.gql(ENROL))["enrolTotp"]["code"] == "CONFLICT"  # one app at a time

    other = Browser(app_client)
    asked = await other.sign_in(EMAIL)
    assert (asked["code"], asked["field"]) == ("SECOND_FACTOR_REQUIRED", "totpCode")
    replayed = await other.sign_in(EMAIL, totpCode=used)  # the confirmation's code, again
    assert (replayed["code"], replayed["field"]) == ("BAD_CREDENTIALS", "totpCode")
    with travel(timedelta(seconds=totp.STEP_S)):
        signed = await other.sign_in(EMAIL, totpCode=_code(secret))
        assert signed["__typename"] == "SignedIn"
        wrong_password = await other.gql(DISABLE, p="not-the-passphrase", c=_code(secret, 1))
        assert wrong_password["disableTotp"]["code"] == "BAD_CREDENTIALS"
    with travel(timedelta(seconds=2 * totp.STEP_S)):
        off = await other.gql(DISABLE, p=PASSWORD, c=_code(secret))
    assert off["disableTotp"] == {"__typename": "TotpChanged", "enabled": False}
    assert (await Browser(app_client).sign_in(EMAIL))["__typename"] == "SignedIn"


async def test_only_a_person_signed_in_to_the_console_can_enrol(
    clean: Database, app_client: httpx.AsyncClient
) -> None:
    token = await factories.token(clean, "robot@example.test")
    response = await app_client.post(
        "/graphql", json={"query": ENROL}, headers={"authorization": f"Bearer {token}"}
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
