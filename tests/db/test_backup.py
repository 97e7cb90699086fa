"""The documented backup and restore (`hub db backup` / `hub db restore`) brings back
exactly the data of the backup, migrations included."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.config import Mode, Settings
from hub.db.driver import Database, Tx, open_driver
from hub.db.migrations import migrate, pending
from hub.db.server import LocalServer
from tests import factories

pytestmark = pytest.mark.faults


async def _organizations(tx: Tx) -> list[str]:
    rows = await tx.records("MATCH (o:Organization) RETURN o.uscc AS uscc ORDER BY uscc")
    return [r["uscc"] for r in rows]


async def _forget(tx: Tx, uscc: str) -> None:
    await tx.run("MATCH (o:Organization {uscc: $u}) DETACH DELETE o", u=uscc)


async def test_a_restore_brings_back_the_backup(own_server: LocalServer, tmp_path: Path) -> None:
    settings = Settings(
        mode=Mode.TEST, neo4j_uri=own_server.uri, neo4j_password=own_server.password
    )
    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database)
        await migrate(db)
        kept = [await factories.organization(db, n) for n in (1, 2, 3)]

    own_server.backup(tmp_path)
    assert (tmp_path / "neo4j.dump").stat().st_size > 0

    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database)
        assert await db.read(_organizations) == kept  # the server runs again after the dump
        await db.write(_forget, kept[0])
        await factories.organization(db, 4)

    own_server.restore(tmp_path)

    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database)
        assert await db.read(_organizations) == kept
        assert await pending(db) == []
