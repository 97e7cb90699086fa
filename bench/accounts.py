"""What accounts cost on the request path: before (a worktree of main) and after (this
checkout), `hub serve` each, on one Neo4j, in interleaved rounds.

    .venv/bin/python -m bench.accounts --base ../wt-accounts-base --requests 300 --rounds 3

- `{ me { handle roles } }` signed in by Bearer token (the token check now also reads a
  personal token's roles): before and after;
- `{ parks { code } }` signed in by token, answered from the response cache (a hit costs
  the sign-in read only): before and after;
- after only: both signed in by the session cookie instead (with X-Hub-CSRF, a POST);
- after only: `signIn` (argon2id verify, one write), a wrong password (the same verify),
  a refused one (rate-limited: no hash at all) and `signUp` (one hash, one write).
Sequential requests from one client. Uses HUB_NEO4J_URI's server when set, else a
throwaway one. Figures are printed, never asserted: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from bench.common import neo4j, served, summary_ms
from hub.accounts import service
from hub.config import Settings
from hub.db.driver import Database, Tx, open_driver
from hub.db.migrations import migrate
from hub.identity import service as identity
from hub.identity.model import Role
from hub.reference.seed import load_reference
from hub.time import now

ME = "{ me { handle roles { kind scope } } }"
PARKS = "{ parks { code } }"
EMAIL, PASSWORD = "bench@example.test", "lyophilised-vials-2027"
SIGN_IN = """mutation($i: SignInInput!) { signIn(input: $i) {
  __typename ... on Problem { code } } }"""
SIGN_UP = """mutation($i: SignUpInput!) { signUp(input: $i) {
  __typename ... on Problem { code } } }"""


async def _prepare(settings: Settings) -> str:
    """Schema, reference data, an admin's token and a confirmed person; the token."""
    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database)
        await migrate(db)
        await load_reference(db)
        secret, _ = await identity.issue_token(
            db, "bench-admin@hub", frozenset({Role.parse("admin")}), "bench"
        )
        form = service.SignUp(EMAIL, PASSWORD, "", "zh", "192.0.2.1")
        await service.sign_up(db, settings, form, now())
        token = await db.read(_confirm_token)
        await service.confirm_email(db, token, now())
        return secret


async def _confirm_token(tx: Tx) -> str:
    row = await tx.single("MATCH (m:MailMessage {template: 'confirm_email'}) RETURN m.values AS v")
    assert row is not None
    link = str(row["v"]).split("token=")[1]
    return link.split('"')[0]


def _session(url: str) -> dict[str, str]:
    """The headers a signed-in console sends: its cookies and CSRF token."""
    response = httpx.post(
        url + "/graphql",
        json={"query": SIGN_IN, "variables": {"i": {"email": EMAIL, "password": PASSWORD}}},
        timeout=30,
    )
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";")[0]
    return {
        "cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "x-hub-csrf": cookies["__Host-hub_csrf"],
    }


def _time(url: str, query: str, headers: dict[str, str], n: int, **variables: Any) -> list[float]:
    seconds = []
    with httpx.Client(base_url=url, headers=headers, timeout=30) as http:
        for _ in range(n):
            start = time.perf_counter()
            response = http.post("/graphql", json={"query": query, "variables": variables})
            seconds.append(time.perf_counter() - start)
            assert response.status_code == 200 and "errors" not in response.json(), response.text
    return seconds


def _reads(base: str, after: str, token: str, session: dict[str, str], n: int, rounds: int) -> None:
    bearer = {"authorization": f"Bearer {token}"}
    cases = [
        ("me, token, before", base, ME, bearer),
        ("me, token, after", after, ME, bearer),
        ("me, session, after", after, ME, session),
        ("parks (cached), token, before", base, PARKS, bearer),
        ("parks (cached), token, after", after, PARKS, bearer),
        ("parks (cached), session, after", after, PARKS, session),
    ]
    times: dict[str, list[float]] = {label: [] for label, *_ in cases}
    for _label, url, query, headers in cases:
        _time(url, query, headers, 20)  # warm: connections, parsed documents, the cache
    for _ in range(rounds):
        for label, url, query, headers in cases:
            times[label] += _time(url, query, headers, n)
    for label, seconds in times.items():
        print(f"{label:34} {summary_ms(seconds)}")


def _sign_ins(after: str) -> None:
    right = {"i": {"email": EMAIL, "password": PASSWORD}}
    wrong = {"i": {"email": EMAIL, "password": "not-the-passphrase"}}
    print(f"{'signIn, right password':34} {summary_ms(_time(after, SIGN_IN, {}, 30, **right))}")
    print(f"{'signIn, wrong password':34} {summary_ms(_time(after, SIGN_IN, {}, 10, **wrong))}")
    print(f"{'signIn, rate-limited':34} {summary_ms(_time(after, SIGN_IN, {}, 30, **wrong))}")
    seconds = []
    for n in range(15):
        form = {"i": {"email": f"new-{n}@example.test", "password": PASSWORD}}
        seconds += _time(after, SIGN_UP, {}, 1, **form)
    print(f"{'signUp':34} {summary_ms(seconds)}")


def main(base: Path, requests: int, rounds: int) -> None:
    with ExitStack() as stack:
        settings = stack.enter_context(neo4j(heap="1g", pagecache="512m"))
        token = asyncio.run(_prepare(settings))
        before_url, _ = stack.enter_context(served(settings, root=base))
        after_url, _ = stack.enter_context(served(settings))
        session = _session(after_url)
        print(f"{requests} sequential requests x {rounds} interleaved rounds")
        _reads(before_url, after_url, token, session, requests, rounds)
        _sign_ins(after_url)


def _args() -> Iterator[Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="a worktree of main")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    yield from (args.base.resolve(), args.requests, args.rounds)


if __name__ == "__main__":
    main(*_args())
