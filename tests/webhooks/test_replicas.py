"""Two `hub serve` processes against one Neo4j, both dispatching, one through a `neo4j://`
routing URI. Changes come in through both; one process is killed halfway. Every
subscription still gets every event, in order; an event comes twice only as a retry, with
the same webhook-id."""

from __future__ import annotations

import httpx
import pytest

from hub.config import Settings
from hub.db.driver import Database
from tests import factories
from tests.conftest import LiveHub
from tests.routing.common import REQUESTER
from tests.routing.test_routing_api import SUBMIT, _input
from tests.webhooks.common import committed, subscribe, without_repeats
from tests.webhooks.receiver import Receiver

DISPATCHING = {"HUB_WEBHOOK_DISPATCH": "true"}
EVENTS = 30


async def _submit(http: httpx.AsyncClient, hub: LiveHub, token: str, n: int) -> None:
    response = await http.post(
        hub.url + "/graphql",
        json={"query": SUBMIT, "variables": {"i": _input(title=f"Replica batch {n}")}},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.json()["data"]["submitRequest"]["request"]["id"], response.text


async def test_two_dispatching_processes_deliver_every_event_once_in_order(
    network: Database, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    logs = tmp_path_factory.mktemp("replicas")
    receivers = [Receiver(delay_s=0.02).start() for _ in range(3)]
    startup = await factories.token(network, "cmc@startup", f"requester:{REQUESTER}")
    routed = settings.neo4j_uri.replace("bolt://", "neo4j://")
    first = LiveHub(settings, logs / "first.log", **DISPATCHING)
    second = LiveHub(settings, logs / "second.log", HUB_NEO4J_URI=routed, **DISPATCHING)
    try:
        for r in receivers:
            await subscribe(network, settings, r.url)
        async with httpx.AsyncClient(timeout=30) as http:
            for n in range(EVENTS // 2):  # through both processes in turn
                await _submit(http, (first, second)[n % 2], startup, n)
            await receivers[0].wait_for(5)
            first.kill()  # its leases lapse; the second process takes them over
            for n in range(EVENTS // 2, EVENTS):
                await _submit(http, second, startup, n)
        got = [await r.wait_for(EVENTS, timeout_s=60) for r in receivers]
    finally:
        first.stop()  # (nothing to do once killed)
        second.stop()
        for r in receivers:
            r.stop()

    assert await committed(network) == list(range(1, EVENTS + 1))
    for messages in got:
        sequences = [m.sequence for m in messages]
        assert without_repeats(sequences) == list(range(1, EVENTS + 1))  # in order
        ids: dict[int, str] = {}
        for m in messages:  # a repeat is a retry: the same webhook-id
            assert ids.setdefault(m.sequence, m.headers["webhook-id"]) == m.headers["webhook-id"]
