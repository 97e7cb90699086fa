"""Bulk import of registry files: `hub import sites.csv`, and a provider's upload.

A file (CSV, XLSX or JSON) holds rows of one kind (hub.imports.file_kinds). Every row is
checked before anything is written, every bad row is reported with its line and field,
and a file is written all or nothing: in one transaction, CHUNK rows at a time, each
chunk a constant number of queries. The steps:

    parse_rows(name, data)             -> [(line, raw row)]      hub.imports.readers
    validate(kind, rows, context, ...) -> [(line, entity)]       hub.imports.checks
    _write: the graph's checks (hub.imports.store), then the registry's writes
    import_data(db, name, data, ...)   -> ImportReport           or ImportFailed
    import_file(db, path, kind)        -> the same, for a file on disk (`hub import`)

`owners` narrows an import to the rows of some organizations (a provider's upload, see
hub.imports.upload): a row of any other is a problem of its line, and nothing is written;
its organizations keep the `active` they have (only an admin turns one on or off).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, LiteralString, TypeVar

from neo4j.exceptions import TransientError

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.errors import Conflict, InvalidInput, NotFound
from hub.imports.checks import validate
from hub.imports.file_kinds import Context, FileKind, Lined, kind_of, owner_id
from hub.imports.readers import (
    HEADED,
    UTF_8,
    ImportFailed,
    Problem,
    Raw,
    Rows,
    Stop,
    count,
    file_problem,
    parse_rows,
    read_file,
    suffix,
)
from hub.imports.store import HELD_BY_OTHERS, Failed, active_of, failed_rows
from hub.imports.workers import in_worker
from hub.reference.store import reference
from hub.registry import model
from hub.registry.store.entities import STORAGE
from hub.registry.store.reads import owner_units
from hub.registry.store.writes import Summary, apply, bulk, refresh_stale

CHUNK = 1_000  # rows per round of queries: bounded messages, a constant query count each
# All or nothing means one transaction; the server caps its memory (70% of heap by default).
OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"

Reporter = Callable[[int, int], None]  # (rows written, rows in all)
T = TypeVar("T")

# What a row that fails a graph check is told, by the field the check names.
GRAPH_MESSAGES: dict[str, tuple[str, str]] = {
    "uscc": ("no organization {} (import organizations first)", "不存在机构 {}（请先导入机构）"),
    "site": ("no site {} (import sites first)", "不存在场地 {}（请先导入场地）"),
    "equipment": (
        "no equipment {} at this site (import equipment first)",
        "该场地没有设备 {}（请先导入设备）",
    ),
    "sites": ("the organization has no site {}", "该机构没有场地 {}"),
    "offering": ("no offering {} (import offerings first)", "不存在服务 {}（请先导入服务）"),
    "total": ("is below the {} already reserved", "低于已预留的 {}"),
    "number": ("{} is held by another organization", "{} 由其他机构持有"),
}


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# Reading what the rows are checked against ---------------------------------------------


def _owner_or_none(raw: Raw) -> str | None:
    try:
        return owner_id(raw)
    except InvalidInput:
        return None  # reported when the row is validated


def owners_named(kind: FileKind, rows: Rows) -> list[str]:
    """The capacity owners (offering or equipment ids) the rows name, for load_context."""
    if not kind.needs_owner_units:
        return []
    return sorted({o for _, raw in rows if (o := _owner_or_none(raw)) is not None})


async def load_context(
    tx: Tx, kind: FileKind, rows: Rows, owners: list[str] | None = None
) -> Context:
    """Reference data, and for capacity the units of the owners the rows name (`owners`,
    if the caller has worked them out already)."""
    units: dict[str, str] = {}
    named = owners_named(kind, rows) if owners is None else owners
    for chunk in _chunks(named):
        units.update(await owner_units(tx, list(chunk)))
    return Context(await reference(tx), units)


# Writing ------------------------------------------------------------------------------


def _problem(failed: Failed) -> Problem:
    en, zh = GRAPH_MESSAGES[failed.field]
    return Problem(failed.line, failed.field, en.format(failed.value), zh.format(failed.value))


async def _graph_problems(
    tx: Tx, check: LiteralString, rows: list[dict[str, Any]], **params: Any
) -> list[Problem]:
    return [_problem(failed) for failed in await failed_rows(tx, check, rows, **params)]


async def _chunk_problems(
    tx: Tx, kind: FileKind, chunk: Lined, owners: Collection[str] | None
) -> list[Problem]:
    problems = []
    if kind.graph_check is not None and kind.check_row is not None:
        rows = [{"line": line, **kind.check_row(entity)} for line, entity in chunk]
        problems += await _graph_problems(tx, kind.graph_check, rows)
    if owners is not None and kind.name == "certificates":
        keys = [{"line": line, "key": STORAGE[type(e)].key(e)} for line, e in chunk]
        problems += await _graph_problems(tx, HELD_BY_OTHERS, keys, owners=sorted(owners))
    return problems


async def _check_graph(
    tx: Tx, kind: FileKind, entities: Lined, owners: Collection[str] | None
) -> None:
    """Parents that must exist (and reservations a total must cover, certificates no other
    organization holds), by line."""
    problems = []
    for chunk in _chunks(entities):
        problems += await _chunk_problems(tx, kind, list(chunk), owners)
    if problems:
        raise ImportFailed(problems)


async def _active_kept(tx: Tx, entities: Lined) -> Lined:
    """Organizations as the rows give them, but active as they are (new ones: active)."""
    orgs = [(line, e) for line, e in entities if isinstance(e, model.Organization)]
    stored = await active_of(tx, [e.uscc for _, e in orgs])
    return [(line, replace(e, active=stored.get(e.uscc) is not False)) for line, e in orgs]


async def _ready(tx: Tx, kind: FileKind, entities: Lined, owners: Collection[str] | None) -> Lined:
    """The entities to write, once the graph has nothing against them."""
    await _check_graph(tx, kind, entities, owners)
    if owners is not None and kind.name == "organizations":
        return await _active_kept(tx, entities)
    return entities


async def _write_chunks(
    tx: Tx,
    kind: FileKind,
    entities: Lined,
    actor: Actor,
    report: Reporter | None,
    stale: set[str],
) -> Summary:
    # The parents of every row were checked (_check_graph), in this transaction.
    checked = kind.graph_check is not None
    total, done = Summary(), 0
    for chunk in _chunks(entities):
        written = [entity for _, entity in chunk]
        total = total + await apply(tx, written, actor, parents_checked=checked, stale=stale)
        done += len(chunk)
        if report is not None:
            # Absolute counts: a retried transaction moves the bar back instead of past 100%.
            report(done, len(entities))
    return total


async def _write(
    tx: Tx,
    kind: FileKind,
    entities: Lined,
    actor: Actor,
    report: Reporter | None,
    owners: Collection[str] | None,
) -> Summary:
    entities = await _ready(tx, kind, entities, owners)
    if report is not None:
        report(0, len(entities))  # every check passed: the writing begins
    stale = set[str]()
    total = await _write_chunks(tx, kind, entities, actor, report, stale)
    # Each offering's fit summary once, however many chunks touched it.
    await refresh_stale(tx, stale)
    return total


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote: rows of which kind, created, updated, unchanged, how fast."""

    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int
    seconds: float
    encoding: str | None = None  # how a CSV file's text was read: UTF-8 or GB18030

    def read_as(self) -> tuple[str, str] | None:
        """What to tell of the encoding (English, Chinese), if it was not UTF-8."""
        if self.encoding is None or self.encoding == UTF_8:
            return None
        return (
            f"read as {self.encoding} text (the file is not UTF-8)",
            f"已按 {self.encoding} 编码读取（文件不是 UTF-8）",
        )

    def __str__(self) -> str:
        told = self.read_as()
        return (
            f"{count(self.rows, 'row')} of {self.kind}: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged in {self.seconds:.1f} s"
            + (f"; {told[0]}" if told else "")
        )


async def _checked(
    db: Database,
    kind: FileKind,
    name: str,
    rows: Rows,
    owners: Collection[str] | None,
    stop: Stop,
) -> Lined:
    """The rows as entities, checked on the imports' threads against the graph's reference
    data (and, for capacity, their owners' units)."""
    owners_of_capacity = await in_worker(stop, lambda: owners_named(kind, rows))
    context = await db.read(load_context, kind, rows, owners_of_capacity)
    headed = suffix(name) in HEADED
    return await in_worker(
        stop, lambda: validate(kind, rows, context, headed=headed, owners=owners, stop=stop)
    )


async def _written(
    db: Database,
    kind: FileKind,
    entities: Lined,
    actor: Actor,
    progress: Reporter | None,
    owners: Collection[str] | None,
) -> Summary:
    """The entities written in one transaction; what the graph refuses is the file's problem."""
    try:
        return await bulk(db, _write, kind, entities, actor, progress, owners)
    except (NotFound, Conflict) as error:
        raise ImportFailed([Problem.of(None, error)]) from error
    except TransientError as error:
        if error.code != OUT_OF_MEMORY:
            raise
        raise ImportFailed([_too_big(len(entities), error)]) from error


async def import_data(
    db: Database,
    name: str,
    data: bytes,
    kind: str | None = None,
    *,
    actor: Actor,
    progress: Reporter | None = None,
    owners: Collection[str] | None = None,
) -> ImportReport:
    """Import the file `name` holding `data`, all or nothing, as `actor` in the audit log.

    Reading and checking the rows is CPU work: it runs on the imports' own threads, so
    that a big file does not hold up the other requests a hub process serves meanwhile,
    and it stops when the import is cancelled (see hub.imports.workers).
    """
    began = time.perf_counter()
    file_kind = kind_of(name, kind)
    stop = Stop()
    parsed = await in_worker(stop, lambda: parse_rows(name, data, stop))
    entities = await _checked(db, file_kind, name, parsed.rows, owners, stop)
    summary = await _written(db, file_kind, entities, actor, progress, owners)
    return ImportReport(
        file_kind.name,
        len(parsed.rows),
        summary.created,
        summary.updated,
        summary.unchanged,
        time.perf_counter() - began,
        parsed.encoding,
    )


async def import_file(
    db: Database, path: Path, kind: str | None = None, progress: Reporter | None = None
) -> ImportReport:
    """Import one file on disk all or nothing, as `import:<file name>` in the audit log."""
    kind_of(path.name, kind)  # an unknown kind is refused before the file is read
    data = await asyncio.to_thread(read_file, path)
    actor = Actor("import:" + path.name)
    return await import_data(db, path.name, data, kind, actor=actor, progress=progress)


def _too_big(rows: int, error: TransientError) -> Problem:
    return file_problem(
        None,
        f"{rows} rows do not fit in one transaction on this server ({error.message}): "
        "split the file, or give Neo4j more memory (HUB_NEO4J_HEAP)",
        f"{rows} 行超出了服务器单个事务的内存上限：请拆分文件，或为 Neo4j 分配更多内存",
    )
