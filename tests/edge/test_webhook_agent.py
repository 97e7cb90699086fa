"""Webhooks go out under the product's own name and version, from a real `hub serve`."""

from __future__ import annotations

import pytest

from hub import __version__
from hub.config import Settings
from hub.db.driver import Database
from tests.conftest import LiveHub
from tests.webhooks.common import submit, subscribe
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver() -> Receiver:
    return Receiver().start()


async def test_receivers_see_the_hub_and_its_version(
    network: Database,
    settings: Settings,
    receiver: Receiver,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    await subscribe(network, settings, receiver.url)
    await submit(network, 1)
    hub = LiveHub(
        settings, tmp_path_factory.mktemp("agent") / "hub.log", HUB_WEBHOOK_DISPATCH="true"
    )
    try:
        [message] = await receiver.wait_for(1)
    finally:
        hub.stop()
        receiver.stop()
    agent = {k.lower(): v for k, v in message.headers.items()}["user-agent"]
    assert agent == f"pharma-hub/{__version__}"
