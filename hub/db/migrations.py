"""Forward-only Cypher migrations from `graph/migrations/`, each recorded in the graph.

A file `NNNN_name.cypher` holds statements ended by `;`. Applied files are recorded as
`(:Migration {id, name, checksum, applied_at})`; a recorded file whose text changed is
refused (forward-only: write a new file instead). Every statement uses IF NOT EXISTS, so
two processes migrating at once do no harm.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from hub.db.driver import Database, Tx
from hub.errors import SetupError
from hub.paths import MIGRATIONS_DIR

FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.cypher$")


@dataclass(frozen=True)
class Migration:
    id: str
    name: str
    statements: tuple[str, ...]
    checksum: str


def _statements(text: str) -> tuple[str, ...]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return tuple(s.strip() for s in "\n".join(lines).split(";") if s.strip())


def load(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in order; a badly named file is an error, not skipped."""
    found = []
    for path in sorted(directory.glob("*.cypher")):
        match = FILE_NAME.match(path.name)
        if match is None:
            raise SetupError(f"{path.name}: migrations are named NNNN_snake_case.cypher")
        text = path.read_text(encoding="utf-8")
        checksum = hashlib.sha256(text.encode()).hexdigest()
        found.append(Migration(match[1], match[2], _statements(text), checksum))
    return found


async def _applied(tx: Tx) -> dict[str, str]:
    records = await tx.records("MATCH (m:Migration) RETURN m.id AS id, m.checksum AS checksum")
    return {record["id"]: record["checksum"] for record in records}


async def _run_statement(tx: Tx, statement: str) -> None:
    await tx.run(statement)  # trusted text from graph/migrations


async def _record(tx: Tx, migration: Migration) -> None:
    await tx.run(
        "MERGE (m:Migration {id: $id}) "
        "ON CREATE SET m.name = $name, m.checksum = $checksum, m.applied_at = datetime()",
        id=migration.id,
        name=migration.name,
        checksum=migration.checksum,
    )


def _check_unchanged(migrations: list[Migration], applied: dict[str, str]) -> None:
    for migration in migrations:
        recorded = applied.get(migration.id)
        if recorded is not None and recorded != migration.checksum:
            raise SetupError(
                f"migration {migration.id}_{migration.name} changed after it was applied; "
                "migrations are forward-only: add a new file instead"
            )


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[str]:
    """Apply what is not yet applied, in order. Returns the ids applied by this call."""
    migrations = load() if migrations is None else migrations
    applied = await db.read(_applied)
    _check_unchanged(migrations, applied)
    done = []
    for migration in migrations:
        if migration.id in applied:
            continue
        for statement in migration.statements:
            await db.write(_run_statement, statement)
        await db.write(_record, migration)
        done.append(migration.id)
    if done:
        await db.write(_run_statement, "CALL db.awaitIndexes(300)")
    return done


async def pending(db: Database, migrations: list[Migration] | None = None) -> list[str]:
    """Ids of migrations not yet applied (readiness needs none)."""
    migrations = load() if migrations is None else migrations
    applied = await db.read(_applied)
    return [m.id for m in migrations if m.id not in applied]
