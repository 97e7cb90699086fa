"""Two transactions deciding on one link or one counter at the same moment: the second
waits for the first's lock and then reads what it wrote. Shown by interleaving two
explicit transactions: the second starts while the first is still open."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from hub.accounts.model import Purpose
from hub.accounts.store import counters, people
from hub.db.driver import Database, Tx
from hub.identity.service import hash_token
from hub.time import now

T = TypeVar("T")
SECRET = "a-link-secret"


async def _interleaved(db: Database, work: Callable[[Tx], Awaitable[T]]) -> tuple[T, T]:
    """`work` in two transactions: the second begun while the first is still open (it
    waits on the first's locks), the first committed after a pause, then the second."""
    async with (
        db.driver.session(database=db.name) as one,
        db.driver.session(database=db.name) as two,
    ):
        first_tx = await one.begin_transaction()
        second_tx = await two.begin_transaction()
        first = await work(Tx(first_tx))  # type: ignore[arg-type]
        second = asyncio.create_task(work(Tx(second_tx)))  # type: ignore[arg-type]
        await asyncio.sleep(0.5)  # the second reaches the lock (if it were slower, it would
        await first_tx.commit()  # only find the first's writes committed: no false failure)
        found = await second
        await second_tx.commit()
        return first, found


async def _person_with_link(tx: Tx) -> None:
    await tx.run(
        "CREATE (p:Principal:Person {id: 'p1', handle: 'a@example.test', email: 'a@example.test'}) "
        "CREATE (:AccountLink {id: 'l1', hash: $hash, purpose: 'reset_password', "
        "created_at: datetime(), expires_at: datetime() + duration('PT1H')})-[:FOR]->(p)",
        hash=hash_token(SECRET),
    )


async def test_a_link_used_by_two_transactions_at_once_is_good_for_one(clean: Database) -> None:
    await clean.write(_person_with_link)

    async def use(tx: Tx) -> Any:
        return await people.use_link(tx, hash_token(SECRET), Purpose.RESET_PASSWORD, now())

    first, second = await _interleaved(clean, use)
    assert first is not None and second is None


async def test_the_last_place_of_a_counter_goes_to_one_of_two_transactions(clean: Database) -> None:
    row = {"key": "sign_in:account:x", "count": 2, "window_s": 600}

    async def take(tx: Tx) -> counters.Taken:
        return await counters.take(tx, [row], now())

    assert (await clean.write(take)).full_until is None  # the counter exists: one place left
    first, second = await _interleaved(clean, take)
    assert first.full_until is None and second.full_until is not None
