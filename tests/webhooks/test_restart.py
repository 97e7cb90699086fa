"""A hub killed (SIGKILL) while events are pending: after a restart, the events delivered
are exactly the changes committed; an event may come twice, with the same webhook-id."""

from __future__ import annotations

import pytest

from hub.config import Settings
from hub.db.driver import Database
from tests.conftest import LiveHub
from tests.webhooks.common import committed, submit, subscribe, without_repeats
from tests.webhooks.receiver import Receiver

DISPATCHING = {"HUB_WEBHOOK_DISPATCH": "true"}


async def test_events_pending_at_a_crash_are_delivered_after_restart(
    network: Database,
    settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    receiver = Receiver(delay_s=0.05).start()
    logs = tmp_path_factory.mktemp("crash")
    try:
        await subscribe(network, settings, receiver.url)
        await submit(network, 30)
        hub = LiveHub(settings, logs / "first.log", **DISPATCHING)
        try:
            await receiver.wait_for(5)
        finally:
            hub.kill()
        killed_at = len(receiver.messages())
        await submit(network, 10)  # committed while no hub runs
        hub = LiveHub(settings, logs / "second.log", **DISPATCHING)
        try:
            got = await receiver.wait_for(40, timeout_s=60)
        finally:
            hub.stop()
    finally:
        receiver.stop()

    assert 5 <= killed_at < 40
    sequences = [m.sequence for m in got]
    assert sorted(set(sequences)) == await committed(network) == list(range(1, 41))
    assert without_repeats(sequences) == list(range(1, 41))  # in order; repeats only adjacent
    ids = {}
    for m in got:
        assert ids.setdefault(m.sequence, m.headers["webhook-id"]) == m.headers["webhook-id"]
