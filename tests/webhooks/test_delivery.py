"""Delivery: signed per Standard Webhooks (checked with the `standardwebhooks` package),
in order per subscription, at least once through outages, never following redirects."""

from __future__ import annotations

import asyncio
import time

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from hub.config import Settings
from hub.db.driver import Database
from hub.routing import service as routing
from hub.webhooks import failures, service
from hub.webhooks.signing import headers, new_secret
from tests.routing.common import REQUESTER, STARTUP
from tests.webhooks.common import committed, settled, submit, subscribe, without_repeats
from tests.webhooks.conftest import dispatching
from tests.webhooks.receiver import Receiver


async def test_new_events_arrive_signed_and_in_order(
    network: Database, settings: Settings, receiver: Receiver
) -> None:
    await submit(network, 1)  # before the subscription: not sent
    sub = await subscribe(network, settings, receiver.url)
    await submit(network, 5)
    async with dispatching(network, settings):
        got = await receiver.wait_for(5)
        await settled(network)

    verifier = Webhook(sub.secret)
    payloads = [verifier.verify(m.body, m.headers) for m in got]
    assert [p["data"]["sequence"] for p in payloads] == [2, 3, 4, 5, 6]
    assert {p["type"] for p in payloads} == {"request.submitted"}
    assert all(p["data"]["organization"] == REQUESTER for p in payloads)
    assert len({m.headers["webhook-id"] for m in got}) == 5
    [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
    assert (seen.backlog, seen.failures, seen.cursor) == (0, 0, 6)
    assert seen.last_delivered_at is not None


async def test_any_tampering_or_a_stale_timestamp_is_rejected(
    network: Database, settings: Settings, receiver: Receiver
) -> None:
    sub = await subscribe(network, settings, receiver.url)
    await submit(network, 1)
    async with dispatching(network, settings):
        [message] = await receiver.wait_for(1)
    verifier = Webhook(sub.secret)
    verifier.verify(message.body, message.headers)

    for i in range(len(message.body)):  # every single-byte change of the body
        tampered = bytearray(message.body)
        tampered[i] ^= 0x01
        with pytest.raises((WebhookVerificationError, UnicodeDecodeError)):
            verifier.verify(bytes(tampered), message.headers)
    forged_id = {**message.headers, "webhook-id": message.headers["webhook-id"] + "x"}
    with pytest.raises(WebhookVerificationError):
        verifier.verify(message.body, forged_id)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(message.body, message.headers)

    stale = headers(sub.secret, "msg-1", int(time.time()) - 600, message.body.decode())
    with pytest.raises(WebhookVerificationError):
        verifier.verify(message.body, stale)


async def test_only_the_chosen_event_types_are_sent(
    network: Database, settings: Settings, receiver: Receiver
) -> None:
    await subscribe(network, settings, receiver.url, ("request.cancelled",))
    first, _ = await submit(network, 2)
    await routing.cancel(network, STARTUP, first)
    async with dispatching(network, settings):
        [message] = await receiver.wait_for(1)
        assert message.payload["type"] == "request.cancelled"
        assert message.payload["data"]["requestId"] == first
        await settled(network)
    [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
    assert seen.backlog == 0  # the others were passed over, not left pending


async def test_a_receiver_outage_loses_nothing_and_keeps_order(
    network: Database, settings: Settings
) -> None:
    receiver = Receiver()  # not listening yet: connections are refused
    await subscribe(network, settings, receiver.url)
    await submit(network, 10)
    async with dispatching(network, settings):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
            if seen.failures >= 3:
                break
            await _pause()
        assert seen.failures >= 3 and seen.last_error == failures.CONNECTION_REFUSED
        await submit(network, 10)  # more events while the receiver is down
        receiver.start()
        try:
            got = await receiver.wait_for(20)
        finally:
            receiver.stop()
    assert [m.sequence for m in got] == list(range(1, 21))
    assert await committed(network) == list(range(1, 21))


async def test_retries_of_a_message_share_its_webhook_id(
    network: Database, settings: Settings, receiver: Receiver
) -> None:
    sub = await subscribe(network, settings, receiver.url)
    await submit(network, 3)
    receiver.status = 503
    async with dispatching(network, settings):
        deadline = time.monotonic() + 20
        while len(receiver.messages()) < 3 and time.monotonic() < deadline:
            await _pause()
        receiver.status = 200
        await receiver.wait_for(3)
    got = receiver.messages()
    verifier = Webhook(sub.secret)
    assert all(verifier.verify(m.body, m.headers) for m in got)
    first_tries = [m for m in got if m.sequence == 1]
    assert len(first_tries) >= 3
    assert len({m.headers["webhook-id"] for m in first_tries}) == 1
    assert without_repeats([m.sequence for m in got]) == [1, 2, 3]


async def test_redirects_are_not_followed(
    network: Database, settings: Settings, receiver: Receiver
) -> None:
    elsewhere = Receiver().start()
    try:
        receiver.status, receiver.location = 307, elsewhere.url
        await subscribe(network, settings, receiver.url)
        await submit(network, 1)
        async with dispatching(network, settings):
            await receiver.wait_for(1)
            [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
            while seen.failures == 0:
                await _pause()
                [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
        assert seen.last_error == "HTTP 307"
        assert elsewhere.messages() == []
    finally:
        elsewhere.stop()


async def test_a_receiver_that_became_private_is_not_called(
    network: Database, settings: Settings, receiver: Receiver
) -> None:
    await subscribe(network, settings, receiver.url)  # allowed when made (tests allow it)
    await submit(network, 1)
    guarded = settings.model_copy(update={"webhook_allow_private": False})
    async with dispatching(network, guarded):
        [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
        while seen.failures == 0:
            await _pause()
            [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
    assert seen.last_error == failures.REFUSED
    assert receiver.messages() == []


async def test_two_processes_deliver_each_event_once_in_order(
    network: Database, settings: Settings
) -> None:
    receivers = [Receiver().start() for _ in range(3)]
    try:
        for r in receivers:
            await subscribe(network, settings, r.url)
        await submit(network, 20)
        async with dispatching(network, settings, count=2):
            for r in receivers:
                await r.wait_for(20)
        for r in receivers:
            assert r.sequences() == list(range(1, 21))  # no failures: no repeats at all
    finally:
        for r in receivers:
            r.stop()


async def _pause() -> None:
    await asyncio.sleep(0.1)
