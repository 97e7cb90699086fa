"""Checking a file's rows before anything is written: columns, each row, duplicate keys.

Every problem is collected, with its line and field, and all are reported at once
(ImportFailed). This needs no database: it runs on the imports' own threads
(hub.imports.workers), and stops when the import is cancelled (`stop`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from hub import values
from hub.errors import InvalidInput, invalid
from hub.imports.file_kinds import Context, Entity, FileKind, Lined
from hub.imports.readers import (
    CHECK_EVERY,
    HEADER_LINE,
    ImportFailed,
    Problem,
    Raw,
    Rows,
    Stop,
    file_problem,
)
from hub.registry.store.entities import STORAGE
from hub.registry.uscc import normalize_uscc


def _column_problems(kind: FileKind, rows: Rows, headed: bool) -> list[Problem]:
    first_seen = _first_seen(rows)
    problems = [
        _unknown_column(kind, column, HEADER_LINE if headed else line)
        for column, line in first_seen.items()
        if column not in kind.columns
    ]
    if headed:
        problems += _missing_columns(kind, first_seen)
    return problems


def _first_seen(rows: Rows) -> dict[str, int]:
    """Each column a row gives, with the line of the first row that gives it."""
    first_seen: dict[str, int] = {}
    for line, raw in rows:
        for column in raw:
            first_seen.setdefault(column, line)
    return first_seen


def _unknown_column(kind: FileKind, column: str, line: int) -> Problem:
    known = ", ".join(kind.columns)
    return Problem(
        line,
        column,
        f"unknown column {column!r}; {kind.name} has {known}",
        f"未知列 {column!r}；{kind.name} 的列为 {known}",
    )


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
    uscc = normalize_uscc(values.required_text(raw, "uscc", 64))
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
            entities.append((line, _entity(kind, raw, context, owners)))
        except InvalidInput as error:
            problems.append(Problem.of(line, error))
    return entities, problems


def _entity(kind: FileKind, raw: Raw, context: Context, owners: Collection[str] | None) -> Entity:
    if owners is not None:
        _require_owner(raw, owners)
    return kind.parse(raw, context)


def _duplicates(kind: FileKind, entities: Lined) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for line, entity in entities:
        key = STORAGE[type(entity)].key(entity)
        seen = first.setdefault(key, line)
        if seen != line:
            problems.append(_duplicate(kind, line, seen, key))
    return problems


def _duplicate(kind: FileKind, line: int, seen: int, key: str) -> Problem:
    return Problem(
        line,
        kind.key_field,
        f"duplicate of line {seen}: {key} appears twice",
        f"与第 {seen} 行重复：{key} 出现了两次",
    )


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
