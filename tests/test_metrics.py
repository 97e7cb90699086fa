"""`/metrics` in the Prometheus text format: operations timed by type and root field,
webhook results and the outbox backlog read from the graph."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from hub.app import create_app
from hub.config import Settings
from hub.db.driver import Database
from tests.webhooks.common import submit, subscribe


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


METRICS_TOKEN = "scraper-" + "0123456789abcdef"


@pytest.fixture
async def scraped(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a metrics token, as a Prometheus scraper is given it."""
    app = create_app(settings.model_copy(update={"metrics_token": SecretStr(METRICS_TOKEN)}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


async def test_metrics_answer_only_the_scraper(
    scraped: httpx.AsyncClient, app_client: httpx.AsyncClient
) -> None:
    assert (await app_client.get("/metrics")).status_code == 404  # no token configured
    assert (await scraped.get("/metrics")).status_code == 401
    wrong = {"authorization": "Bearer scraper-0123456789abcdeX"}
    assert (await scraped.get("/metrics", headers=wrong)).status_code == 401
    right = {"authorization": f"Bearer {METRICS_TOKEN}"}
    assert (await scraped.get("/metrics", headers=right)).status_code == 200


async def test_metrics_count_operations_and_the_outbox_backlog(
    network: Database, settings: Settings, scraped: httpx.AsyncClient
) -> None:
    await subscribe(network, settings, "http://127.0.0.1:9/hooks")
    await submit(network, 3)  # three events nobody has delivered yet (no dispatcher runs)
    await scraped.post("/graphql", json={"query": "{ parks { code } }"})
    await scraped.post("/graphql", json={"query": "{ nonsense }"})

    response = await scraped.get("/metrics", headers={"authorization": f"Bearer {METRICS_TOKEN}"})
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
