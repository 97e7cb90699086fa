"""Unexpected errors are masked and carry a request id that is also in the log line."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import strawberry

from hub import logs
from hub.api import schema as hub_schema
from hub.api.context import Info
from hub.app import create_app
from hub.config import Settings
from hub.db.driver import Database
from hub.errors import invalid
from hub.graphql.error_policy import ErrorPolicy
from hub.registry.uscc import normalize_uscc

SECRET_DETAIL = "MATCH (n) bolt://10.0.0.1:7687 /srv/hub/secret.py"


@strawberry.type
class Failing:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError(SECRET_DETAIL)

    @strawberry.field
    def expected(self, info: Info, uscc: str) -> str:
        return normalize_uscc(uscc)

    @strawberry.field
    def window(self, need_by: str) -> str:
        raise invalid("need_by", "is before earliest_start", "早于 earliest_start")


@pytest.fixture
async def failing_client(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    query = strawberry.tools.merge_types("Query", (hub_schema.Query, Failing))
    schema = hub_schema.HubSchema(query=query, extensions=[ErrorPolicy])
    app = create_app(settings, schema)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Puts the root logger back after a test that configured the hub's logging: its
    handler writes to the test's captured stderr, which pytest closes after the test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@pytest.mark.usefixtures("restored_logging")
async def test_an_unexpected_error_is_masked_and_logged_with_its_request_id(
    failing_client: httpx.AsyncClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs.configure("INFO", as_json=True)
    response = await failing_client.post("/graphql", json={"query": "{ boom }"})
    error = response.json()["errors"][0]
    request_id = response.headers["x-request-id"]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    assert "bolt://" not in response.text and "MATCH" not in response.text
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    [logged] = [line for line in lines if line["event"] == "unexpected error"]
    assert logged["request_id"] == request_id
    assert SECRET_DETAIL in logged["exception"]


async def test_an_expected_error_keeps_its_code_field_and_both_languages(
    failing_client: httpx.AsyncClient,
) -> None:
    response = await failing_client.post(
        "/graphql",
        json={"query": '{ expected(uscc: "123") }'},
        headers={"accept-language": "en-US,en;q=0.9"},
    )
    extensions = response.json()["errors"][0]["extensions"]
    assert extensions["code"] == "INVALID_INPUT"
    assert extensions["field"] == "uscc"
    assert "18" in extensions["messageEn"] and "18 位" in extensions["messageZh"]
    assert response.json()["errors"][0]["message"] == extensions["messageEn"]


async def test_an_expected_error_names_fields_as_graphql_spells_them(
    failing_client: httpx.AsyncClient,
) -> None:
    response = await failing_client.post(
        "/graphql",
        json={"query": '{ window(needBy: "2026-01-01") }'},
        headers={"accept-language": "en"},
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["field"] == "needBy"
    assert error["extensions"]["messageEn"] == "needBy: is before earliestStart"
    assert error["extensions"]["messageZh"] == "needBy：早于 earliestStart"
    assert error["message"] == "needBy: is before earliestStart"
