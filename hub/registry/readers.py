"""Reading import files (CSV, XLSX, JSON) into numbered raw rows, and the problems an
import reports (`line 12, field uscc: ...`).

A file is read from its bytes and its name (for the format), so a file on disk
(`hub import`) and one uploaded over HTTP (`POST /import`) are read the same way.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import Any, NamedTuple

import openpyxl  # ships no type information
from openpyxl.utils.exceptions import InvalidFileException

from hub.errors import HubError, InvalidInput

REPORTED = 200  # problems listed in full; the rest are counted
HEADER_LINE = 1
# What a workbook's parts may add up to unpacked (as its zip directory declares them, which
# is also where unpacking stops): an .xlsx of a few MB must not become gigabytes in memory.
MAX_UNPACKED = 256 * 1024 * 1024

Raw = dict[str, Any]
Rows = list[tuple[int, Raw]]


class Problem(NamedTuple):
    """What is wrong, where: `line` is None for the file as a whole."""

    line: int | None
    field: str | None
    message_en: str
    message_zh: str

    @classmethod
    def of(cls, line: int | None, error: HubError) -> Problem:
        # rules.bad starts each message with the field, which the report already names.
        field = error.field
        return cls(
            line,
            field,
            _unprefixed(error.message_en, f"{field}: "),
            _unprefixed(error.message_zh, f"{field}："),
        )

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        where += [f"field {self.field}"] if self.field else []
        return f"{', '.join(where)}: {self.message_en}" if where else self.message_en


def _unprefixed(message: str, prefix: str) -> str:
    return message[len(prefix) :] if message.startswith(prefix) else message


class ImportFailed(InvalidInput):
    """The file was not imported; `problems` says why, line by line."""

    max_message = None  # the report lists at most REPORTED problems, each one bounded

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        listed = self.problems[:REPORTED]
        more = len(self.problems) - len(listed)
        super().__init__(
            "\n".join(
                [f"nothing was imported: {count(len(self.problems), 'problem')}"]
                + [str(p) for p in listed]
                + ([f"... and {count(more, 'more problem')}"] if more else [])
            ),
            "\n".join(
                [f"未导入任何数据：{len(self.problems)} 个问题"]
                + [_zh(p) for p in listed]
                + ([f"……另有 {more} 个问题"] if more else [])
            ),
        )


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _zh(problem: Problem) -> str:
    where = [f"第 {problem.line} 行"] if problem.line is not None else []
    where += [f"字段 {problem.field}"] if problem.field else []
    return f"{'，'.join(where)}：{problem.message_zh}" if where else problem.message_zh


# Reading ------------------------------------------------------------------------------


def _records(lines: Sequence[tuple[int, Sequence[Any]]]) -> Rows:
    """Rows of a sheet whose first line names the columns; blank lines are skipped."""
    if not lines:
        return []
    header = [str(c).strip().lower() if c is not None else "" for c in lines[0][1]]
    problems = _header_problems(header)
    rows: Rows = []
    for line, cells in lines[1:]:
        if all(_blank(c) for c in cells):
            continue
        stray = [n for n, c in enumerate(cells, 1) if not _blank(c) and not _named(header, n)]
        if stray:
            problems.append(
                file_problem(
                    line,
                    f"column {stray[0]} holds a value but has no name in the header",
                    f"第 {stray[0]} 列有值，但表头中没有列名",
                )
            )
        rows.append((line, {name: v for name, v in zip(header, cells, strict=False) if name}))
    if problems:
        raise ImportFailed(problems)
    return rows


def _header_problems(header: list[str]) -> list[Problem]:
    named = [n for n in header if n]
    twice = sorted({n for n in named if named.count(n) > 1})
    return [
        Problem(HEADER_LINE, n, "the column appears twice in the header", "表头中该列出现了两次")
        for n in twice
    ]


def _named(header: list[str], column: int) -> bool:
    return column <= len(header) and bool(header[column - 1])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def file_problem(line: int | None, en: str, zh: str | None = None) -> Problem:
    return Problem(line, None, en, zh or en)


def _read_csv(data: bytes) -> Rows:
    text = data.decode("utf-8-sig")
    return _records(list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1)))


def _read_xlsx(data: bytes) -> Rows:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED:
        mb = MAX_UNPACKED // (1024 * 1024)
        raise ImportFailed(
            [
                file_problem(
                    None,
                    f"the workbook unpacks to more than {mb} MB: split it, or save it as CSV",
                    f"该工作簿解压后超过 {mb} MB：请拆分文件，或另存为 CSV",
                )
            ]
        )
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return _records(list(enumerate(sheet.iter_rows(values_only=True), start=1)))
    finally:
        workbook.close()


def _read_json(data: bytes) -> Rows:
    parsed = json.loads(data.decode("utf-8-sig"))
    items = parsed.get("rows") if isinstance(parsed, dict) else parsed
    if not isinstance(items, list):
        raise ImportFailed(
            [
                file_problem(
                    None,
                    'a JSON file holds a list of objects, or {"rows": [...]}',
                    'JSON 文件应为对象列表，或 {"rows": [...]}',
                )
            ]
        )
    problems = [
        file_problem(n, "is not an object", "不是对象")
        for n, item in enumerate(items, start=1)
        if not isinstance(item, dict)
    ]
    if problems:
        raise ImportFailed(problems)
    return [(n, {k.strip().lower(): v for k, v in item.items()}) for n, item in enumerate(items, 1)]


READERS: dict[str, Callable[[bytes], Rows]] = {
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".json": _read_json,
}
HEADED = frozenset({".csv", ".xlsx"})  # formats whose line 1 names the columns


def suffix(name: str) -> str:
    """The format of a file named `name`: `.csv`, `.xlsx`, `.json` (or what else it ends in)."""
    return PurePath(name).suffix.lower()


def _cannot_read(name: str, detail: str, hint: str = "") -> ImportFailed:
    return ImportFailed(
        [file_problem(None, f"cannot read {name}: {detail}{hint}", f"无法读取 {name}：{detail}")]
    )


def _reader(name: str) -> Callable[[bytes], Rows]:
    reader = READERS.get(suffix(name))
    if reader is None:
        raise InvalidInput(
            f"path: {name} is not a .csv, .xlsx or .json file",
            f"path：{name} 不是 .csv、.xlsx 或 .json 文件",
            field="path",
        )
    return reader


def parse_rows(name: str, data: bytes) -> Rows:
    """(line, raw row) for each row of the file `name` holding `data`: CSV and XLSX by
    spreadsheet row (the header is line 1, on the first sheet), JSON by position in the
    list, from 1."""
    reader = _reader(name)
    try:
        return reader(data)
    except (
        ValueError,
        KeyError,
        SyntaxError,
        EOFError,
        zlib.error,
        csv.Error,
        zipfile.BadZipFile,
        InvalidFileException,
    ) as e:
        # ValueError: JSON that does not parse; KeyError: a zip file that is not a workbook;
        # SyntaxError: a workbook part that is not XML; EOFError, zlib.error: a damaged one.
        hint = "; save it as UTF-8" if isinstance(e, UnicodeDecodeError) else ""
        raise _cannot_read(name, str(e), hint) from e


def read_file(path: Path) -> bytes:
    """The bytes of a file on disk in a format parse_rows reads; ImportFailed if unreadable."""
    _reader(path.name)  # an unknown format is refused before the file is opened
    try:
        return path.read_bytes()
    except OSError as e:
        raise _cannot_read(path.name, e.strerror or type(e).__name__) from e
