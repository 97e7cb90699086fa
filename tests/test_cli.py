"""The `hub` command reads well and says what to install when Java or Maven is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hub.db import server
from hub.errors import SetupError

ROOT = Path(__file__).resolve().parent.parent


def _hub(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_help_lists_every_command() -> None:
    done = _hub("--help")
    assert done.returncode == 0
    for command in ("serve", "migrate", "seed", "export-schema", "db", "tokens"):
        assert command in done.stdout


def test_without_java_the_server_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(SetupError, match="HUB_NEO4J_URI") as refused:
        server.find_java()
    assert "apt-get install openjdk-17" in refused.value.message_en


def test_db_start_without_java_fails_with_that_message(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent),
        "HUB_STATE_DIR": str(tmp_path),
        "HUB_NEO4J_URI": "bolt://127.0.0.1:7999",
    }
    done = _hub("db", "start", env=env)
    assert done.returncode == 1
    assert "java was not found" in done.stderr and "HUB_NEO4J_URI" in done.stderr


def test_db_refuses_to_run_a_remote_uri(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HUB_STATE_DIR": str(tmp_path),
        "HUB_NEO4J_URI": "neo4j://db.example.test:7687",
    }
    done = _hub("db", "status", env=env)
    assert done.returncode == 1 and "nothing to run locally" in done.stderr


def test_schema_graphql_is_current() -> None:
    done = _hub("export-schema", "--check")
    assert done.returncode == 0, "schema.graphql is stale: run `hub export-schema` and commit it"
