"""Reading import files (CSV, XLSX, JSON) into numbered raw rows, and the problems an
import reports (`line 12, field uscc: ...`).

A file is read from its bytes and its name (for the format), so a file on disk
(`hub import`) and one uploaded over HTTP (`POST /import`) are read the same way.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePath
from typing import Any, NamedTuple

import openpyxl  # ships no type information
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

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
#
# A file is read as a stream of (line, cells), each bounded before the next is read: the
# header's width, each row's width, the lines and the cells in all. A refusal names the
# bound; what lies past it is never read. The reader looks at its Stop every CHECK_EVERY
# lines, so an import whose caller went away (or whose time ran out) stops reading too.

MAX_COLUMNS = 64  # the widest template has 14
MAX_LINES = 200_000  # header included: far above what one transaction holds (see README)
MAX_CELLS = 4_000_000  # blank ones included
CHECK_EVERY = 256  # lines read between two looks at the Stop

Lines = Iterator[tuple[int, Sequence[Any]]]


class Stopped(Exception):
    """The import was stopped (its caller went away, or its time ran out) while its file
    was being read or checked."""


class Stop:
    """Tells a reader working in another thread to stop; thread-safe."""

    def __init__(self) -> None:
        self._asked = threading.Event()

    def set(self) -> None:
        self._asked.set()

    def is_set(self) -> bool:
        return self._asked.is_set()

    def check(self) -> None:
        """Raise Stopped if the import was asked to stop."""
        if self._asked.is_set():
            raise Stopped


class Parsed(NamedTuple):
    rows: Rows
    encoding: str | None  # how a CSV file's text was read: UTF-8 or GB18030


def _refused(line: int, en: str, zh: str) -> ImportFailed:
    return ImportFailed([file_problem(line, en, zh)])


def _too_wide(line: int, width: int) -> ImportFailed:
    what_en = "the header has" if line == HEADER_LINE else "the line has"
    what_zh = "表头有" if line == HEADER_LINE else "该行有"
    return _refused(
        line,
        f"{what_en} {width} columns; a registry file has at most {MAX_COLUMNS}",
        f"{what_zh} {width} 列；登记文件最多 {MAX_COLUMNS} 列",
    )


def _too_long(line: int) -> ImportFailed:
    return _refused(
        line,
        f"the file has more than {MAX_LINES} lines: split it",
        f"文件超过 {MAX_LINES} 行：请拆分",
    )


def _too_many_cells(line: int) -> ImportFailed:
    return _refused(
        line,
        f"the file has more than {MAX_CELLS} cells: split it",
        f"文件超过 {MAX_CELLS} 个单元格：请拆分",
    )


def _bounded(lines: Lines, stop: Stop) -> Lines:
    """The lines, each checked against the caps before the next one is read."""
    cells = 0
    for n, (line, row) in enumerate(lines):
        if n % CHECK_EVERY == 0:
            stop.check()
        if line > MAX_LINES:
            raise _too_long(line)
        if len(row) > MAX_COLUMNS:
            raise _too_wide(line, len(row))
        cells += len(row)
        if cells > MAX_CELLS:
            raise _too_many_cells(line)
        yield line, row


def _records(lines: Lines, stop: Stop) -> Rows:
    """Rows of a sheet whose first line names the columns; blank lines are skipped."""
    bounded = _bounded(lines, stop)
    first = next(bounded, None)
    if first is None:
        return []
    header = [str(c).strip().lower() if c is not None else "" for c in first[1]]
    problems = _header_problems(header)
    rows: Rows = []
    for line, cells in bounded:
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
    seen = Counter(n for n in header if n)
    return [
        Problem(HEADER_LINE, n, "the column appears twice in the header", "表头中该列出现了两次")
        for n in sorted(n for n, times in seen.items() if times > 1)
    ]


def _named(header: list[str], column: int) -> bool:
    return column <= len(header) and bool(header[column - 1])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def file_problem(line: int | None, en: str, zh: str | None = None) -> Problem:
    return Problem(line, None, en, zh or en)


# Chinese Excel and WPS save "CSV" in the system's code page (GBK), which GB18030 extends.
# UTF-8 is tried first: text that decodes as UTF-8 is almost never meant otherwise. A
# detector would guess among dozens of code pages on a short file; the two encodings our
# users' programs write are known.
UTF_8 = "UTF-8"
GB18030 = "GB18030"


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in (UTF-8, else GB18030)."""
    try:
        return data.decode("utf-8-sig"), UTF_8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), GB18030
    except UnicodeDecodeError as e:
        raise ImportFailed(
            [
                file_problem(
                    None,
                    f"the file is neither UTF-8 nor GB18030 (GBK) text (byte {e.start}): "
                    "save it as CSV UTF-8",
                    f"文件既不是 UTF-8 也不是 GB18030（GBK）编码的文本（第 {e.start} 字节）："
                    "请另存为“CSV UTF-8”",
                )
            ]
        ) from e


def csv_lines(text: str) -> Lines:
    return enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def _read_csv(data: bytes, stop: Stop) -> Parsed:
    text, encoding = decode(data)
    return Parsed(_records(csv_lines(text), stop), encoding)


def _refuse_big_archive(data: bytes) -> None:
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


def _refuse_big_extent(sheet: Any) -> None:
    """The sheet's extent as it declares it (its `dimension`), checked before reading."""
    columns, lines = sheet.max_column, sheet.max_row
    if columns is not None and columns > MAX_COLUMNS:
        letter = get_column_letter(columns)
        raise ImportFailed(
            [
                file_problem(
                    None,
                    f"the sheet reaches column {letter} ({columns}); a registry file has at "
                    f"most {MAX_COLUMNS} columns: delete the cells past them",
                    f"工作表用到了第 {letter} 列（{columns}）；登记文件最多 {MAX_COLUMNS} 列："
                    "请删除其后的单元格",
                )
            ]
        )
    if lines is not None and lines > MAX_LINES:
        raise _too_long(lines)


def sheet_lines(workbook: Any, sheet: Any) -> Lines:
    """The cells of each row that holds any, up to the last one, by row number.

    openpyxl's own rows are padded to the sheet's widest column (16,384 for a cell in
    XFD): its row parser gives the cells a row holds, so a row costs what its XML does.
    """
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for line, cells in parser.parse():
            if not cells:
                yield line, ()
                continue
            last = max(cell["column"] for cell in cells)
            if last > MAX_COLUMNS:
                raise _too_wide(line, last)
            row: list[Any] = [None] * last
            for cell in cells:
                row[cell["column"] - 1] = cell["value"]
            yield line, row


def _read_xlsx(data: bytes, stop: Stop) -> Parsed:
    _refuse_big_archive(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        _refuse_big_extent(sheet)
        return Parsed(_records(sheet_lines(workbook, sheet), stop), None)
    finally:
        workbook.close()


def _read_json(data: bytes, stop: Stop) -> Parsed:
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
    if len(items) > MAX_LINES:
        raise _too_long(len(items))
    problems = [
        file_problem(n, "is not an object", "不是对象")
        for n, item in enumerate(items, start=1)
        if not isinstance(item, dict)
    ]
    if problems:
        raise ImportFailed(problems)
    rows: Rows = []
    pairs = ((n, list(item.items())) for n, item in enumerate(items, start=1))
    for n, fields in _bounded(pairs, stop):
        rows.append((n, {str(k).strip().lower(): v for k, v in fields}))
    return Parsed(rows, None)


READERS: dict[str, Callable[[bytes, Stop], Parsed]] = {
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".json": _read_json,
}
HEADED = frozenset({".csv", ".xlsx"})  # formats whose line 1 names the columns


def suffix(name: str) -> str:
    """The format of a file named `name`: `.csv`, `.xlsx`, `.json` (or what else it ends in)."""
    return PurePath(name).suffix.lower()


def _cannot_read(name: str, detail: str, hint: tuple[str, str] = ("", "")) -> ImportFailed:
    en, zh = hint
    return ImportFailed(
        [file_problem(None, f"cannot read {name}: {detail}{en}", f"无法读取 {name}：{detail}{zh}")]
    )


def _reader(name: str) -> Callable[[bytes, Stop], Parsed]:
    reader = READERS.get(suffix(name))
    if reader is None:
        raise InvalidInput(
            f"path: {name} is not a .csv, .xlsx or .json file",
            f"path：{name} 不是 .csv、.xlsx 或 .json 文件",
            field="path",
        )
    return reader


def parse_rows(name: str, data: bytes, stop: Stop | None = None) -> Parsed:
    """(line, raw row) for each row of the file `name` holding `data`: CSV and XLSX by
    spreadsheet row (the header is line 1, on the first sheet), JSON by position in the
    list, from 1. Stopped if `stop` is set meanwhile."""
    reader = _reader(name)
    try:
        return reader(data, stop or Stop())
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
        hint = (
            ("; save it as UTF-8", "；请另存为 UTF-8")
            if isinstance(e, UnicodeDecodeError)
            else ("", "")
        )
        raise _cannot_read(name, str(e), hint) from e


def read_file(path: Path) -> bytes:
    """The bytes of a file on disk in a format parse_rows reads; ImportFailed if unreadable."""
    _reader(path.name)  # an unknown format is refused before the file is opened
    try:
        return path.read_bytes()
    except OSError as e:
        raise _cannot_read(path.name, e.strerror or type(e).__name__) from e
