"""What the accounts tests share: a browser-like client (its own cookie jar, which keeps
`Secure` cookies over the tests' plain HTTP and shows every flag the hub set), the
mail outbox read back, and the mutations."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from hub.db.driver import Database, Tx

PASSWORD = "lyophilised-vials-2027"
NEW_PASSWORD = "fed-batch-at-2000-litres"
SESSION = "__Host-hub_session"  # the tests' hubs run in test mode: Secure cookies
CSRF = "__Host-hub_csrf"

SIGN_UP = """mutation($i: SignUpInput!) { signUp(input: $i) {
  __typename ... on SignUpAccepted { email }
  ... on Problem { code field messageEn }
  ... on RateLimitedProblem { retryAfterSeconds } } }"""
CONFIRM = """mutation($t: String!) { confirmEmail(token: $t) {
  __typename ... on Problem { code field messageEn } } }"""
SIGN_IN = """mutation($i: SignInInput!) { signIn(input: $i) {
  __typename ... on SignedIn { csrfToken expiresAt me { handle signedInBy roles { kind scope } } }
  ... on Problem { code field messageEn }
  ... on RateLimitedProblem { retryAfterSeconds } } }"""
SIGN_OUT = "mutation { signOut { signedOut } }"
SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere { sessions } }"
ME = """{ me { handle signedInBy roles { kind scope }
  person { email displayName language emailConfirmedAt totpEnabled } } }"""
REQUEST_RESET = """mutation($e: String!) { requestPasswordReset(email: $e) {
  __typename ... on PasswordResetRequested { email }
  ... on Problem { code field messageEn }
  ... on RateLimitedProblem { retryAfterSeconds } } }"""
RESET = """mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) {
  __typename ... on Problem { code field messageEn } } }"""
CHANGE = """mutation($c: String!, $n: String!) {
  changePassword(currentPassword: $c, newPassword: $n) {
  __typename ... on PasswordChanged { otherSessionsSignedOut }
  ... on Problem { code field messageEn } } }"""


@dataclass
class Browser:
    """A client that keeps the hub's cookies as a browser would, and sends the CSRF token
    the console would (unless told not to)."""

    http: httpx.AsyncClient
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)  # every Set-Cookie seen, as sent
    send_csrf: bool = True

    async def post(
        self, query: str, headers: dict[str, str] | None = None, **variables: Any
    ) -> httpx.Response:
        sent = {**self._headers(), **(headers or {})}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=sent
        )
        self._keep(response)
        return response

    async def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.post(query, **variables)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def _headers(self) -> dict[str, str]:
        headers = {}
        if self.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.send_csrf and CSRF in self.cookies:
            headers["x-hub-csrf"] = self.cookies[CSRF]
        return headers

    def _keep(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            self.set_cookies.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    async def sign_in(self, email: str, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
        data = await self.gql(SIGN_IN, i={"email": email, "password": password, **extra})
        result: dict[str, Any] = data["signIn"]
        return result


async def _mails(tx: Tx, to: str) -> list[dict[str, Any]]:
    rows = await tx.records(
        "MATCH (m:MailMessage {to: $to}) RETURN m {.*} AS m ORDER BY m.created_at, m.key", to=to
    )
    return [dict(r["m"]) for r in rows]


async def mails(db: Database, to: str, template: str | None = None) -> list[dict[str, Any]]:
    """The messages queued to `to` (of `template`), oldest first, values decoded."""
    found = await db.read(_mails, to)
    for mail in found:
        mail["values"] = json.loads(mail["values"])
    return [m for m in found if template is None or m["template"] == template]


def token_of(mail: dict[str, Any]) -> str:
    """The secret in a mail's link (it sits in the URL's fragment)."""
    fragment = urlsplit(mail["values"]["link"]).fragment
    return parse_qs(urlsplit(fragment).query)["token"][0]


async def signed_up(browser: Browser, db: Database, email: str, **extra: Any) -> None:
    """Sign up and confirm the address by the mailed link."""
    form = {"email": email, "password": PASSWORD, "displayName": "王工", **extra}
    assert (await browser.gql(SIGN_UP, i=form))["signUp"]["__typename"] == "SignUpAccepted"
    [mail] = await mails(db, email, "confirm_email")
    confirmed = await browser.gql(CONFIRM, t=token_of(mail))
    assert confirmed["confirmEmail"]["__typename"] == "EmailConfirmed", confirmed


async def signed_in(http: httpx.AsyncClient, db: Database, email: str) -> Browser:
    """A browser with a new account of `email`, signed in."""
    browser = Browser(http)
    await signed_up(browser, db, email)
    assert (await browser.sign_in(email))["__typename"] == "SignedIn"
    return browser
