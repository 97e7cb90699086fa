"""Figures are computed once per scope and data state, shared through the database."""

from __future__ import annotations

import httpx

from hub.db.driver import Database, Tx
from hub.network.cache import FIGURES
from tests.network import sample
from tests.network.conftest import Callers, park_network

U = sample.USCC
FIELDS = "figures { source fingerprint nodes { uscc degree } }"


async def _award(tx: Tx) -> None:
    await tx.run(
        "MATCH (r:Request {id: 'U1'}), (b1:Organization {uscc: $b1}) "
        "SET r.status = 'awarded', r.awarded_at = datetime() CREATE (r)-[:AWARDED_TO]->(b1)",
        b1=U["b1"],
    )


async def test_figures_come_from_memory_then_the_store_and_change_with_the_data(
    app_client: httpx.AsyncClient, callers: Callers, network: Database
) -> None:
    first = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert first["source"] == "computed"
    again = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert again["source"] == "memory" and again["nodes"] == first["nodes"]
    FIGURES.clear()  # as another hub process would start: the shared tier answers
    stored = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert stored["source"] == "store" and stored["nodes"] == first["nodes"]
    await network.write(_award)  # a2 now also engaged b1
    changed = (await park_network(app_client, callers.operator, FIELDS))["figures"]
    assert changed["source"] == "computed" and changed["fingerprint"] != first["fingerprint"]
    degree = {n["uscc"]: n["degree"] for n in changed["nodes"]}
    assert degree[U["a2"]] == 3 and degree[U["b1"]] == 2
