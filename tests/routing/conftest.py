"""A small network for routing: two providers (the sample, twice) and a startup."""

from __future__ import annotations

import pytest

from hub.db.driver import Database
from tests import factories
from tests.registry import sample
from tests.routing.common import OTHER_PROVIDER


@pytest.fixture
async def network(clean: Database) -> Database:
    await sample.load(clean, capacity_weeks=8)
    await sample.load(clean, OTHER_PROVIDER, capacity_weeks=8)
    await factories.organization(clean, 8, "示例初创生物（虚构）")
    return clean
