"""The local server: auth is on, and a throwaway one dies with the process that made it."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from hub.config import Settings

CRASHING_PARENT = """
import os, signal
from hub.db.server import throwaway
server = throwaway("orphan", {version!r})
server.start()
print(server.pid(), server.home, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_auth_is_enabled(settings: Settings) -> None:
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=("neo4j", "not-the-password"))
    with driver, pytest.raises(AuthError):
        driver.verify_connectivity()


def test_a_throwaway_server_stops_when_its_parent_crashes() -> None:
    code = CRASHING_PARENT.format(version=Settings().neo4j_version)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, check=False
    )
    pid_text, home = done.stdout.split()
    pid = int(pid_text)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.5)
    else:
        os.kill(pid, 9)
        pytest.fail("the server outlived the process that started it")
    subprocess.run(["rm", "-rf", home], check=True)
