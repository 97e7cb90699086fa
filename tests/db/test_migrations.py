"""Migrations are forward-only, recorded, idempotent; every natural key is unique."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.db import migrations
from hub.db.driver import Database, Tx
from hub.errors import SetupError
from tests import factories

NATURAL_KEYS = {
    ("Migration", "id"),
    ("Park", "code"),
    ("Unit", "code"),
    ("Capability", "code"),
    ("Organization", "uscc"),
    ("Principal", "id"),
    ("Principal", "handle"),
    ("ApiToken", "id"),
    ("ApiToken", "hash"),
}


async def _uniqueness(tx: Tx) -> set[tuple[str, str]]:
    rows = await tx.records(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes, properties"
    )
    return {(r["labelsOrTypes"][0], r["properties"][0]) for r in rows}


async def _recorded(tx: Tx) -> list[str]:
    rows = await tx.records("MATCH (m:Migration) RETURN m.id AS id ORDER BY id")
    return [r["id"] for r in rows]


async def test_every_file_is_recorded_in_order(db: Database) -> None:
    files = [m.id for m in migrations.load()]
    assert files == sorted(files)
    assert await db.read(_recorded) == files


async def test_running_again_applies_nothing(db: Database) -> None:
    before = await db.read(_uniqueness)
    assert await migrations.migrate(db) == []
    assert await db.read(_recorded) == [m.id for m in migrations.load()]
    assert await db.read(_uniqueness) == before


async def test_a_changed_applied_file_is_refused(db: Database) -> None:
    first, *rest = migrations.load()
    edited = migrations.Migration(first.id, first.name, first.statements, "0" * 64)
    with pytest.raises(SetupError, match="forward-only"):
        await migrations.migrate(db, [edited, *rest])


def test_a_badly_named_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "add_things.cypher").write_text("RETURN 1;")
    with pytest.raises(SetupError, match="NNNN_snake_case"):
        migrations.load(tmp_path)


def test_statements_split_on_semicolons_and_skip_comments(tmp_path: Path) -> None:
    (tmp_path / "0001_two.cypher").write_text("// note\nRETURN 1;\n\nRETURN\n 2;\n")
    assert migrations.load(tmp_path)[0].statements == ("RETURN 1", "RETURN\n 2")


async def test_every_natural_key_is_unique(db: Database) -> None:
    assert await db.read(_uniqueness) >= NATURAL_KEYS


async def test_a_duplicate_registry_number_is_refused(clean: Database) -> None:
    async def duplicate(tx: Tx) -> None:
        await tx.run(
            "CREATE (:Organization {uscc: $u}), (:Organization {uscc: $u})", u=factories.uscc(1)
        )

    with pytest.raises(Exception, match="already exists"):
        await clean.write(duplicate)


async def _analyzers(tx: Tx) -> dict[str, str]:
    rows = await tx.records(
        "SHOW FULLTEXT INDEXES YIELD name, options "
        "RETURN name, options.indexConfig['fulltext.analyzer'] AS analyzer"
    )
    return {r["name"]: r["analyzer"] for r in rows}


async def test_fulltext_indexes_use_the_cjk_analyzer(db: Database) -> None:
    analyzers = await db.read(_analyzers)
    assert analyzers == {"capability_text": "cjk", "organization_text": "cjk", "park_text": "cjk"}


async def _search_orgs(tx: Tx, query: str) -> list[str]:
    rows = await tx.records(
        "CALL db.index.fulltext.queryNodes('organization_text', $q) "
        "YIELD node RETURN node.uscc AS uscc",
        q=query,
    )
    return [r["uscc"] for r in rows]


async def test_a_two_character_chinese_query_finds_an_organization(clean: Database) -> None:
    lyo = await factories.organization(clean, 1, "北京示例冻干灌装有限公司（虚构）")
    await factories.organization(clean, 2, "天津示例原料药有限公司（虚构）")
    assert await clean.read(_search_orgs, "冻干") == [lyo]
    assert await clean.read(_search_orgs, "灌装") == [lyo]
    # A lone character is no bigram: as a plain term it finds nothing (hub.search adds *).
    assert await clean.read(_search_orgs, "冻") == []
    assert await clean.read(_search_orgs, "冻*") == [lyo]
