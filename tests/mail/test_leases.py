"""Several senders (as in several hub processes) never send one message at once, and a
sender that dies mid-send leaves its message to another once its lease runs out. Each
step is held open with an event or a database lock, never raced against the clock."""

from __future__ import annotations

import asyncio
from typing import Any, LiteralString

import pytest

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.mail.kinds import Kind
from hub.mail.outbox import Mail
from hub.mail.samples import SAMPLES
from hub.mail.sender import SECRET, Sender, transport_for
from hub.mail.store import sending
from tests.mail.common import Held, blocked, make_due, message, queue
from tests.mail.smtp_server import SmtpServer

RECHECK = "WITH m WHERE m.state IN ['queued', 'sending'] AND m.due_at <= datetime()\n"
# The claim without its check after the lock: what a read-then-write claim would be.
NAIVE: LiteralString = sending.CLAIM.replace(RECHECK, "")  # type: ignore[assignment]


def _mail(key: str = "award:1") -> Mail:
    return Mail(key, "li.lei@example.cn", "zh", Kind.AWARDED, SAMPLES[Kind.AWARDED])


async def test_a_message_held_by_one_sender_is_not_sent_by_another(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    await queue(clean, _mail())
    held = Held(transport_for(mail_settings))
    first, second = Sender(clean, mail_settings, held), Sender(clean, mail_settings)
    async with asyncio.timeout(60):
        sending_task = asyncio.create_task(first.once())
        await held.entered.wait()  # the first sender has claimed it and is sending
        assert await second.once() == 0
        held.release.set()
        assert await sending_task == 1
    assert len(smtp.inbox.received) == 1
    assert (await message(clean, "award:1"))["attempts"] == 1


async def test_a_sender_that_dies_mid_send_leaves_the_message_to_another_after_its_lease(
    clean: Database, mail_settings: Settings, smtp: SmtpServer
) -> None:
    await queue(clean, _mail())
    held = Held(transport_for(mail_settings))
    dead, alive = Sender(clean, mail_settings, held), Sender(clean, mail_settings)
    async with asyncio.timeout(60):
        dying = asyncio.create_task(dead.once())
        await held.entered.wait()
        dying.cancel()  # the process dies between claiming and the relay's answer
        with pytest.raises(asyncio.CancelledError):
            await dying
    orphan = await message(clean, "award:1")
    assert (orphan["state"], orphan["lease_owner"]) == ("sending", dead.worker)

    assert await alive.once() == 0  # the lease still holds
    await make_due(clean, "award:1")  # ... until it runs out
    assert await alive.once() == 1
    sent = await message(clean, "award:1")
    assert (sent["state"], sent["attempts"]) == ("sent", 2)
    assert len(smtp.inbox.received) == 1
    # Had the first come back, it would learn it no longer held the message.
    assert not await clean.write(sending.sent, sent["id"], dead.worker, SECRET)


async def _claim_with(tx: Tx, query: LiteralString, worker: str) -> dict[str, Any] | None:
    row = await tx.single(query, worker=worker, lease_s=60, max_attempts=3, secret=SECRET)
    return None if row is None else dict(row["m"])


async def _claims_when_a_second_claim_waits_on_the_first(
    db: Database, query: LiteralString
) -> list[dict[str, Any] | None]:
    """The first claim's transaction stays open until the second is seen waiting for its
    lock (so both read the message as queued); then the first commits."""
    async with db.driver.session(database=db.name) as session:
        first_tx = await session.begin_transaction()
        try:
            first = await _claim_with(Tx(first_tx), query, "first")  # type: ignore[arg-type]
            second_task = asyncio.create_task(db.write(_claim_with, query, "second"))
            await blocked(db, "MailMessage")
            await first_tx.commit()
        finally:
            await first_tx.close()
    async with asyncio.timeout(30):
        second = await second_task
    return [first, second]


async def test_two_claims_at_once_take_a_message_once(clean: Database) -> None:
    await queue(clean, _mail())
    first, second = await _claims_when_a_second_claim_waits_on_the_first(clean, sending.CLAIM)
    assert first is not None and first["state"] == "sending"
    assert second is None


async def test_without_the_check_after_the_lock_the_same_schedule_claims_it_twice(
    clean: Database,
) -> None:
    """The test above can fail: the claim minus its re-check, under the same schedule."""
    assert NAIVE != sending.CLAIM
    await queue(clean, _mail())
    claims = await _claims_when_a_second_claim_waits_on_the_first(clean, NAIVE)
    assert [c is not None and c["state"] for c in claims] == ["sending", "sending"]
