"""A Neo4j of the test's own, for tests that kill or pause it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from hub.db.server import LocalServer
from tests.conftest import throwaway_server


@pytest.fixture
def own_server() -> Iterator[LocalServer]:
    server = throwaway_server("faults")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)
