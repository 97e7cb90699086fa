"""`/metrics` in the Prometheus text format: operations timed by type and root field,
webhook results and the outbox backlog read from the graph."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from hub.config import Settings
from hub.db.driver import Database
from tests.webhooks.common import submit, subscribe


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_count_operations_and_the_outbox_backlog(
    network: Database, settings: Settings, app_client: httpx.AsyncClient
) -> None:
    await subscribe(network, settings, "http://127.0.0.1:9/hooks")
    await submit(network, 3)  # three events nobody has delivered yet (no dispatcher runs)
    await app_client.post("/graphql", json={"query": "{ parks { code } }"})
    await app_client.post("/graphql", json={"query": "{ nonsense }"})

    response = await app_client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    parks = ("hub_graphql_operation_seconds_count", (("field", "parks"), ("type", "query")))
    rejected = ("hub_graphql_operation_seconds_count", (("field", ""), ("type", "rejected")))
    assert samples[parks] >= 1
    assert samples[rejected] >= 1
    assert samples[("hub_outbox_backlog_events", ())] == 3
    for family in ("hub_neo4j_transaction_retries", "hub_neo4j_unavailable", "hub_webhook"):
        assert f"# TYPE {family}" in response.text
