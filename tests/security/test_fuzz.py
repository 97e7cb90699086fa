"""Schema fuzzing against the live hub, per kind of caller: queries and mutations built
from schema.graphql by hypothesis-graphql. The bar: no server error, and no internals
(traceback, Cypher, Bolt URI, file path) in any body."""

from __future__ import annotations

import os
import re

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from hub.db.driver import Database
from tests import factories
from tests.conftest import FIGURES, ROOT, LiveHub
from tests.registry import sample
from tests.routing.common import REQUESTER

SCHEMA = (ROOT / "schema.graphql").read_text()
# `make test` runs 40 cases per role (a smoke test); `make fuzz` runs 1,000 (the bar).
CASES = int(os.environ.get("HUB_FUZZ_CASES", "40"))
INTERNALS = re.compile(
    r"Traceback|File \"|\.py\b|bolt://|neo4j://|MATCH \(|MERGE \(|/work/|/tmp/|site-packages"
)
SCALARS = {
    "Date": st.dates().map(lambda d: nodes.String(d.isoformat())),
    "DateTime": st.datetimes().map(lambda d: nodes.String(d.isoformat() + "+08:00")),
    "JSON": st.just(nodes.String("{}")),
}
ROLES = {
    "anonymous": (),
    "admin": ("admin",),
    "provider": (f"provider:{sample.USCC}",),
    "requester": (f"requester:{REQUESTER}",),
    "operator": ("operator:BJ-ETOWN",),
}


@pytest.fixture(scope="module")
async def callers(live_hub: LiveHub, db: Database) -> dict[str, str | None]:
    """A provider with capacity, a startup, and a token for every kind of caller."""
    await sample.load(db, capacity_weeks=2)
    await factories.organization(db, 8)
    return {
        role: (await factories.token(db, f"fuzz-{role}@hub", *scopes) if scopes else None)
        for role, scopes in ROLES.items()
    }


def _operations() -> st.SearchStrategy[object]:
    return queries(SCHEMA, custom_scalars=SCALARS) | mutations(SCHEMA, custom_scalars=SCALARS)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_input_makes_a_server_error_or_leaks_internals(
    live_hub: LiveHub, callers: dict[str, str | None], role: str
) -> None:
    token = callers[role]
    headers = {} if token is None else {"authorization": f"Bearer {token}"}
    seen: dict[int, int] = {}
    with httpx.Client(base_url=live_hub.url, headers=headers, timeout=30) as http:

        @settings(
            max_examples=CASES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(document=_operations())
        def fuzz(document: str) -> None:
            response = http.post("/graphql", json={"query": document})
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
            assert response.status_code < 500 or response.status_code == 503, response.text
            assert not INTERNALS.search(response.text), response.text
            codes = [e.get("extensions", {}).get("code") for e in response.json().get("errors", [])]
            assert "INTERNAL" not in codes, (document, response.text)

        fuzz()
    FIGURES.append(f"fuzz {role}: {sum(seen.values())} cases, statuses {seen}")
