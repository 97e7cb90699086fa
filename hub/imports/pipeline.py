"""Bulk import of registry files: `hub import sites.csv`.

A file (CSV, XLSX or JSON) holds rows of one kind under the raw field names that
`hub.registry.rules` reads. Every row is checked before anything is written, every bad
row is reported with its line and field, and a file is written all or nothing: in one
transaction, CHUNK rows at a time, each chunk a constant number of queries.

    parse_rows(name, data)             -> [(line, raw row)]      hub.imports.readers
    validate(kind, rows, context, ...) -> [(line, entity)]       or ImportFailed
    import_data(db, name, data, ...)   -> ImportReport           or ImportFailed
    import_file(db, path, kind)        -> the same, for a file on disk (`hub import`)

`owners` narrows an import to the rows of some organizations (a provider's upload, see
hub.imports.upload): a row of any other is a problem of its line, and nothing is written;
its organizations keep the `active` they have (only an admin turns one on or off).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from types import TracebackType
from typing import Any, LiteralString, TypeVar

import typer
from neo4j.exceptions import TransientError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.errors import Conflict, InvalidInput, NotFound, invalid
from hub.imports.readers import (
    CHECK_EVERY,
    HEADED,
    HEADER_LINE,
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
from hub.imports.workers import in_worker
from hub.registry import model, rules
from hub.registry.store.entities import STORAGE
from hub.registry.store.reads import owner_units, reference
from hub.registry.store.writes import Summary, apply, refresh_stale
from hub.registry.uscc import normalize_uscc

CHUNK = 1_000  # rows per round of queries: bounded messages, a constant query count each
SHOW_BAR = 300  # rows from which `hub import` draws a progress bar
# All or nothing means one transaction; the server caps its memory (70% of heap by default).
OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"

Entity = (
    model.Organization
    | model.Site
    | model.Offering
    | model.Equipment
    | model.Certificate
    | model.CapacityBucket
)
Lined = list[tuple[int, Entity]]
Reporter = Callable[[int, int], None]  # (rows written, rows in all)
T = TypeVar("T")


# Checking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What rows are checked against: reference data and, for capacity, the owners' units."""

    reference: rules.Reference
    units: Mapping[str, str]  # offering or equipment id -> capacity unit


@dataclass(frozen=True)
class FileKind:
    """One kind of registry file: its columns and how its rows become entities."""

    name: str
    columns: tuple[str, ...]  # in template order
    required: tuple[str, ...]
    key_field: str  # where a duplicate key is reported
    parse: Callable[[Raw, Context], Entity]
    # What must already hold in the graph: $rows [{line, ...}] -> line, field, value.
    graph_check: LiteralString | None = None
    check_row: Callable[[Any], dict[str, Any]] | None = None
    either: tuple[str, ...] = ()  # at least one of these columns
    needs_owner_units: bool = False


def owner_id(raw: Raw) -> str:
    """A capacity row's owner: `{uscc}/{site}/{offering}`, or an equipment's asset tag."""
    offering = rules.text(raw, "offering", required=False, max_len=64)
    tag = rules.text(raw, "equipment", required=False, max_len=64)
    if offering is not None and tag is not None:
        raise invalid(
            "equipment",
            "give an offering or an equipment tag, not both",
            "只填写 offering 或 equipment 之一",
        )
    if offering is None and tag is None:
        raise invalid(
            "offering",
            "is required (or equipment, an asset tag)",
            "必填（或填写 equipment 设备编号）",
        )
    uscc = normalize_uscc(rules.required_text(raw, "uscc", 64))
    owner = "offering" if offering is not None else "equipment"
    return f"{uscc}/{rules.code(raw, 'site')}/{rules.code(raw, owner)}"


def _bucket(raw: Raw, context: Context) -> model.CapacityBucket:
    owner = owner_id(raw)
    unit = context.units.get(owner)
    if unit is None:
        field = "offering" if rules.text(raw, "offering", required=False) else "equipment"
        raise invalid(field, f"no {field} {owner}", f"不存在 {owner}")
    return rules.bucket(raw, owner, unit)


def _of_uscc(entity: Any) -> dict[str, Any]:
    return {"uscc": entity.uscc}


def _of_site(entity: Any) -> dict[str, Any]:
    return {"site_id": entity.site_id}


def _of_offering(offering: model.Offering) -> dict[str, Any]:
    return {"site_id": offering.site_id, "equipment": list(offering.equipment)}


def _of_certificate(certificate: model.Certificate) -> dict[str, Any]:
    return {"uscc": certificate.uscc, "sites": list(certificate.sites)}


def _of_bucket(bucket: model.CapacityBucket) -> dict[str, Any]:
    owner = "equipment" if bucket.unit == model.INSTRUMENT_HOUR else "offering"
    return {"key": bucket.id, "total": bucket.total, "owner": bucket.owner_id, "field": owner}


MISSING_ORGANIZATION: LiteralString = """
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { MATCH (:Organization {uscc: row.uscc}) }
RETURN row.line AS line, 'uscc' AS field, row.uscc AS value
"""

MISSING_SITE: LiteralString = """
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { MATCH (:Site {id: row.site_id}) }
RETURN row.line AS line, 'site' AS field, row.site_id AS value
"""

MISSING_SITE_OR_EQUIPMENT: LiteralString = """
UNWIND $rows AS row
OPTIONAL MATCH (s:Site {id: row.site_id})
CALL (row, s) {
  WITH row, s WHERE s IS NULL
  RETURN 'site' AS field, row.site_id AS value
  UNION
  WITH row, s WHERE s IS NOT NULL
  UNWIND row.equipment AS tag
  WITH s, tag WHERE NOT EXISTS { MATCH (s)-[:HAS_EQUIPMENT]->(:Equipment {tag: tag}) }
  RETURN 'equipment' AS field, tag AS value
}
RETURN row.line AS line, field, value
"""

MISSING_HOLDER_OR_SITE: LiteralString = """
UNWIND $rows AS row
OPTIONAL MATCH (o:Organization {uscc: row.uscc})
CALL (row, o) {
  WITH row, o WHERE o IS NULL
  RETURN 'uscc' AS field, row.uscc AS value
  UNION
  WITH row, o WHERE o IS NOT NULL
  UNWIND row.sites AS code
  WITH o, code WHERE NOT EXISTS { MATCH (o)-[:HAS_SITE]->(:Site {code: code}) }
  RETURN 'sites' AS field, code AS value
}
RETURN row.line AS line, field, value
"""

# The owner's unit was read before the rows were checked (load_context), in another
# transaction: that it still exists is checked again here, with the reservations.
MISSING_OWNER_OR_BELOW_RESERVED: LiteralString = """
UNWIND $rows AS row
OPTIONAL MATCH (b:CapacityBucket {id: row.key})
CALL (row, b) {
  WITH row WHERE NOT EXISTS { MATCH (:Offering {id: row.owner}) }
    AND NOT EXISTS { MATCH (:Equipment {id: row.owner}) }
  RETURN row.field AS field, row.owner AS value
  UNION
  WITH b, row WHERE b.reserved > row.total
  RETURN 'total' AS field, toString(b.reserved) AS value
}
RETURN row.line AS line, field, value
"""


# A certificate is keyed by its authority and number, not by its holder: a row naming a
# number another organization holds would take that certificate over.
HELD_BY_OTHERS: LiteralString = """
UNWIND $rows AS row
MATCH (:Certificate {id: row.key})<-[:HOLDS]-(o:Organization) WHERE NOT o.uscc IN $owners
RETURN row.line AS line, 'number' AS field, row.key AS value
"""


def _names(names: str) -> tuple[str, ...]:
    return tuple(names.split())


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

FILE_KINDS: dict[str, FileKind] = {
    k.name: k
    for k in (
        FileKind(
            name="organizations",
            columns=_names(
                "uscc name_zh name_en kind parks licence_numbers fda_fei website contact_name "
                "contact_email contact_phone internal_note active fictional"
            ),
            required=("uscc", "name_zh", "name_en", "kind"),
            key_field="uscc",
            parse=lambda raw, c: rules.organization(raw, c.reference),
        ),
        FileKind(
            name="sites",
            columns=_names("uscc site name_zh name_en address city district lat lon park active"),
            required=("uscc", "site", "name_zh", "name_en", "address", "city", "lat", "lon"),
            key_field="site",
            parse=lambda raw, c: rules.site(raw, c.reference),
            graph_check=MISSING_ORGANIZATION,
            check_row=_of_uscc,
        ),
        FileKind(
            name="equipment",
            columns=_names("uscc site tag type size size_unit model grade count shareable active"),
            required=("uscc", "site", "tag", "type"),
            key_field="tag",
            parse=lambda raw, c: rules.equipment(raw),
            graph_check=MISSING_SITE,
            check_row=_of_site,
        ),
        FileKind(
            name="offerings",
            columns=_names(
                "uscc site offering capability unit gmp_grade scale_min scale_max modality "
                "lead_time_days equipment description_zh description_en active"
            ),
            required=_names("uscc site offering capability gmp_grade scale_min scale_max"),
            key_field="offering",
            parse=lambda raw, c: rules.offering(raw, c.reference),
            graph_check=MISSING_SITE_OR_EQUIPMENT,
            check_row=_of_offering,
        ),
        FileKind(
            name="certificates",
            columns=_names(
                "uscc authority number valid_from valid_to sites capabilities last_inspection "
                "outcome active"
            ),
            required=("uscc", "authority", "number", "valid_from", "sites", "capabilities"),
            key_field="number",
            parse=lambda raw, c: rules.certificate(raw, c.reference),
            graph_check=MISSING_HOLDER_OR_SITE,
            check_row=_of_certificate,
        ),
        FileKind(
            name="capacity",
            columns=_names("uscc site offering equipment grain start total unit"),
            required=("uscc", "site", "grain", "start", "total"),
            either=("offering", "equipment"),
            key_field="start",
            parse=_bucket,
            needs_owner_units=True,
            graph_check=MISSING_OWNER_OR_BELOW_RESERVED,
            check_row=_of_bucket,
        ),
    )
}


def kind_of(file_name: str, kind: str | None = None) -> FileKind:
    """The file's kind: `kind` if given, else the file name's stem (sites.csv: sites)."""
    name = (kind or PurePath(file_name).stem).strip().lower()
    found = FILE_KINDS.get(name)
    if found is None:
        known = ", ".join(FILE_KINDS)
        source = "" if kind else f" (from the file name {file_name})"
        raise InvalidInput(
            f"kind: unknown kind {name!r}{source}; use --kind with one of {known}",
            f"kind：未知类型 {name!r}；请用 --kind 指定以下之一：{known}",
            field="kind",
        )
    return found


def _column_problems(kind: FileKind, rows: Rows, headed: bool) -> list[Problem]:
    first_seen: dict[str, int] = {}
    for line, raw in rows:
        for column in raw:
            first_seen.setdefault(column, line)
    problems = [
        Problem(
            HEADER_LINE if headed else line,
            column,
            f"unknown column {column!r}; {kind.name} has {', '.join(kind.columns)}",
            f"未知列 {column!r}；{kind.name} 的列为 {', '.join(kind.columns)}",
        )
        for column, line in first_seen.items()
        if column not in kind.columns
    ]
    if headed:
        problems += _missing_columns(kind, first_seen)
    return problems


def _missing_columns(kind: FileKind, present: Mapping[str, int]) -> list[Problem]:
    missing = [c for c in kind.required if c not in present]
    problems = [
        Problem(HEADER_LINE, c, "required column is missing", "缺少必填列") for c in missing
    ]
    if kind.either and not any(c in present for c in kind.either):
        either = " or ".join(kind.either)
        problems.append(
            Problem(HEADER_LINE, kind.either[0], f"needs a column {either}", f"需要 {either} 列")
        )
    return problems


def _require_owner(raw: Raw, owners: Collection[str]) -> None:
    """A row must belong to one of `owners` (before it is parsed, so that a row of another
    organization reveals nothing of that organization's records)."""
    uscc = normalize_uscc(rules.required_text(raw, "uscc", 64))
    if uscc not in owners:
        raise invalid(
            "uscc",
            f"{uscc} is not an organization you may import for",
            f"{uscc} 不是您可以为其导入数据的机构",
        )


def _row_problems(
    kind: FileKind, rows: Rows, context: Context, owners: Collection[str] | None, stop: Stop
) -> tuple[Lined, list[Problem]]:
    entities: Lined = []
    problems: list[Problem] = []
    for n, (line, raw) in enumerate(rows):
        if n % CHECK_EVERY == 0:
            stop.check()
        try:
            if owners is not None:
                _require_owner(raw, owners)
            entities.append((line, kind.parse(raw, context)))
        except InvalidInput as error:
            problems.append(Problem.of(line, error))
    return entities, problems


def _duplicates(kind: FileKind, entities: Lined) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for line, entity in entities:
        key = STORAGE[type(entity)].key(entity)
        seen = first.setdefault(key, line)
        if seen != line:
            problems.append(
                Problem(
                    line,
                    kind.key_field,
                    f"duplicate of line {seen}: {key} appears twice",
                    f"与第 {seen} 行重复：{key} 出现了两次",
                )
            )
    return problems


def validate(
    kind: FileKind,
    rows: Rows,
    context: Context,
    *,
    headed: bool = True,
    owners: Collection[str] | None = None,
    stop: Stop | None = None,
) -> Lined:
    """Each row as an entity, with its line; ImportFailed lists every bad row (and, given
    `owners`, every row of an organization not among them). Stopped if `stop` is set."""
    if not rows:
        raise ImportFailed([file_problem(None, "the file holds no rows", "文件中没有数据行")])
    problems = _column_problems(kind, rows, headed)
    if any(p.line == HEADER_LINE and headed for p in problems):
        raise ImportFailed(problems)  # with a bad header every row would be reported too
    entities, problems = _row_problems(kind, rows, context, owners, stop or Stop())
    problems += _duplicates(kind, entities)
    if problems:
        raise ImportFailed(problems)
    return entities


def _owner_or_none(raw: Raw) -> str | None:
    try:
        return owner_id(raw)
    except InvalidInput:
        return None  # reported when the row is validated


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


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


async def _graph_problems(
    tx: Tx, query: LiteralString, rows: list[dict[str, Any]], **params: Any
) -> list[Problem]:
    problems = []
    for r in await tx.records(query, rows=rows, **params):
        en, zh = GRAPH_MESSAGES[r["field"]]
        value = r["value"]
        problems.append(Problem(r["line"], r["field"], en.format(value), zh.format(value)))
    return problems


async def _check_graph(
    tx: Tx, kind: FileKind, entities: Lined, owners: Collection[str] | None
) -> None:
    """Parents that must exist (and reservations a total must cover, certificates no other
    organization holds), by line."""
    problems = []
    for chunk in _chunks(entities):
        if kind.graph_check is not None and kind.check_row is not None:
            rows = [{"line": line, **kind.check_row(entity)} for line, entity in chunk]
            problems += await _graph_problems(tx, kind.graph_check, rows)
        if owners is not None and kind.name == "certificates":
            keys = [{"line": line, "key": STORAGE[type(e)].key(e)} for line, e in chunk]
            problems += await _graph_problems(tx, HELD_BY_OTHERS, keys, owners=sorted(owners))
    if problems:
        raise ImportFailed(problems)


ACTIVE = "UNWIND $keys AS key MATCH (o:Organization {uscc: key}) RETURN key, o.active AS active"


async def _active_kept(tx: Tx, entities: Lined) -> Lined:
    """Organizations as the rows give them, but active as they are (new ones: active)."""
    orgs = [(line, e) for line, e in entities if isinstance(e, model.Organization)]
    keys = [e.uscc for _, e in orgs]
    stored = {r["key"]: r["active"] for r in await tx.records(ACTIVE, keys=keys)}
    return [(line, replace(e, active=stored.get(e.uscc) is not False)) for line, e in orgs]


async def _write(
    tx: Tx,
    kind: FileKind,
    entities: Lined,
    actor: Actor,
    report: Reporter | None,
    owners: Collection[str] | None,
) -> Summary:
    await _check_graph(tx, kind, entities, owners)
    if owners is not None and kind.name == "organizations":
        entities = await _active_kept(tx, entities)
    if report is not None:
        report(0, len(entities))  # every check passed: the writing begins
    # The parents of every row were checked above, in this transaction.
    checked = kind.graph_check is not None
    total, done, stale = Summary(), 0, set[str]()
    for chunk in _chunks(entities):
        written = [entity for _, entity in chunk]
        total = total + await apply(tx, written, actor, parents_checked=checked, stale=stale)
        done += len(chunk)
        if report is not None:
            # Absolute counts: a retried transaction moves the bar back instead of past 100%.
            report(done, len(entities))
    # Each offering's fit summary once, however many chunks touched it.
    await refresh_stale(tx, stale)
    return total


@dataclass(frozen=True)
class ImportReport:
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
    rows = parsed.rows
    owners_of_capacity = await in_worker(stop, lambda: owners_named(file_kind, rows))
    context = await db.read(load_context, file_kind, rows, owners_of_capacity)
    headed = suffix(name) in HEADED
    entities = await in_worker(
        stop, lambda: validate(file_kind, rows, context, headed=headed, owners=owners, stop=stop)
    )
    try:
        summary = await db.write(_write, file_kind, entities, actor, progress, owners)
    except (NotFound, Conflict) as error:
        raise ImportFailed([Problem.of(None, error)]) from error
    except TransientError as error:
        if error.code != OUT_OF_MEMORY:
            raise
        raise ImportFailed([_too_big(len(rows), error)]) from error
    return ImportReport(
        file_kind.name,
        len(rows),
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


# The command --------------------------------------------------------------------------


class ProgressBar:
    """A progress bar on stderr, drawn only once a file turns out to be big."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if total < SHOW_BAR:
            return
        if self._bar is None or self._task is None:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
            )
            self._bar.start()
            self._task = self._bar.add_task(self._label, total=total)
        self._bar.update(self._task, completed=done)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()


async def cli_import(db: Database, path: Path, kind: str | None) -> None:
    """`hub import`: a progress bar for big files, then what changed.

    ImportFailed is a HubError: `hub`'s error handling prints its report and exits with 1.
    """
    with ProgressBar(path.name) as bar:
        report = await import_file(db, path, kind, progress=bar)
    typer.echo(f"{path.name}: {report}")
