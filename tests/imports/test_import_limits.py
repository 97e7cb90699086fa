"""Import files are read in time linear in their size, within caps checked before the rest
is read (columns, lines, cells; a workbook's extent from its `dimension`), and stop when
the import is stopped. CSV saved by Chinese Excel or WPS (GB18030/GBK) is read as such."""

from __future__ import annotations

import asyncio
import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hub.db.driver import Database
from hub.imports import checks, file_kinds, pipeline, readers
from hub.imports.readers import ImportFailed, Stop, Stopped
from hub.imports.workers import in_worker
from tests.imports.test_import import organizations, totals
from tests.imports.test_upload import csv_bytes

Counted = list[int]


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> Counted:
    """Count the lines `readers.<name>` gives the reader (what it read of the file)."""
    seen: Counted = []
    original: Callable[..., Iterator[Any]] = getattr(readers, name)

    def counted(*args: Any) -> Iterator[Any]:
        for line in original(*args):
            seen.append(line[0])
            yield line

    monkeypatch.setattr(readers, name, counted)
    return seen


def test_a_header_of_40000_columns_is_refused_before_any_row_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = counting(monkeypatch, "csv_lines")
    header = ",".join(f"c{n}" for n in range(40_000))
    data = (header + "\n" + "1,2,3\n" * 5_000).encode()
    with pytest.raises(ImportFailed) as refused:
        readers.parse_rows("organizations.csv", data)
    [problem] = refused.value.problems
    assert problem.line == 1
    assert "40000 columns" in problem.message_en and "at most 64" in problem.message_en
    assert "40000 列" in problem.message_zh
    assert read == [1], "nothing past the header is read"


def test_a_header_naming_a_column_twice_is_reported_once_per_name() -> None:
    data = b"uscc,name_zh,uscc,kind,name_zh,uscc\n1,2,3,4,5,6\n"
    with pytest.raises(ImportFailed) as refused:
        readers.parse_rows("organizations.csv", data)
    assert [(p.line, p.field) for p in refused.value.problems] == [(1, "name_zh"), (1, "uscc")]


def far_cell_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["XFD30000"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def without_dimension(data: bytes) -> bytes:
    """The same workbook, its sheet no longer declaring its extent."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb"<dimension [^>]*/>", b"", part)
                assert b"<dimension" not in part
            copy.writestr(info, part)
    return out.getvalue()


def test_a_workbook_reaching_xfd30000_is_refused_from_its_extent_unread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = counting(monkeypatch, "sheet_lines")
    data = far_cell_workbook()
    assert len(data) < 10_000
    with pytest.raises(ImportFailed) as refused:
        readers.parse_rows("organizations.xlsx", data)
    [problem] = refused.value.problems
    assert "column XFD (16384)" in problem.message_en and "at most 64" in problem.message_en
    assert "XFD" in problem.message_zh
    assert read == [], "refused from the sheet's dimension, before any row is read"


def test_a_workbook_hiding_its_extent_is_refused_at_the_row_past_the_cap_unpadded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = without_dimension(far_cell_workbook())
    with pytest.raises(ImportFailed) as refused:
        readers.parse_rows("organizations.xlsx", data)
    [problem] = refused.value.problems
    assert problem.line == 30_000
    assert "16384 columns" in problem.message_en

    # The rows the sheet holds, as the reader sees them: never padded to the widest row.
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    monkeypatch.setattr(readers, "MAX_COLUMNS", 20_000)
    assert [(line, len(row)) for line, row in readers.sheet_lines(workbook, sheet)] == [
        (30_000, 16_384)
    ]
    workbook.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_lines_past_the_cap_are_not_read(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.setattr(readers, "MAX_LINES", 100)
    rows = organizations(500)
    if fmt == "csv":
        read = counting(monkeypatch, "csv_lines")
        data = csv_bytes(rows)
    else:
        read = []
        data = ("[" + ",".join('{"uscc": "x"}' for _ in rows) + "]").encode()
    with pytest.raises(ImportFailed) as refused:
        readers.parse_rows(f"organizations.{fmt}", data)
    [problem] = refused.value.problems
    assert "more than 100 lines" in problem.message_en
    assert "超过 100 行" in problem.message_zh
    if fmt == "csv":
        assert read[-1] == 101


def test_cells_past_the_cap_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_CELLS", 1_000)
    read = counting(monkeypatch, "csv_lines")
    data = csv_bytes(organizations(500))
    with pytest.raises(ImportFailed, match="more than 1000 cells"):
        readers.parse_rows("organizations.csv", data)
    width = len(organizations(1)[0])
    assert len(read) == 1_000 // width + 1


def test_a_wide_row_is_refused_naming_its_line() -> None:
    data = b"uscc,name_zh\n1,2\n" + b"," * 100 + b"\n"
    with pytest.raises(ImportFailed) as refused:
        readers.parse_rows("organizations.csv", data)
    [problem] = refused.value.problems
    assert problem.line == 3 and "101 columns" in problem.message_en


def test_a_stopped_reader_stops_within_a_few_hundred_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = counting(monkeypatch, "csv_lines")
    stop = Stop()
    data = csv_bytes(organizations(2_000))
    checks = 0
    original = Stop.check

    def check(self: Stop) -> None:
        nonlocal checks
        checks += 1
        if checks == 2:
            self.set()  # asked to stop while reading
        original(self)

    monkeypatch.setattr(Stop, "check", check)
    with pytest.raises(Stopped):
        readers.parse_rows("organizations.csv", data, stop)
    assert len(read) == readers.CHECK_EVERY + 1


def test_checking_rows_stops_when_asked() -> None:
    stop = Stop()
    stop.set()
    kind = file_kinds.FILE_KINDS["organizations"]
    rows = readers.parse_rows("organizations.csv", csv_bytes(organizations(3))).rows
    with pytest.raises(Stopped):
        checks.validate(kind, rows, None, stop=stop)  # type: ignore[arg-type]


async def test_a_cancelled_import_stops_its_worker_before_it_ends() -> None:
    """The coroutine awaiting a worker ends only after the worker has stopped."""
    stop = Stop()
    started, finished = threading.Event(), threading.Event()

    def work() -> None:
        started.set()
        try:
            while True:
                stop.check()
                threading.Event().wait(0.01)
        finally:
            finished.set()

    task = asyncio.create_task(in_worker(stop, work))
    assert await asyncio.to_thread(started.wait, 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert finished.is_set()


def gbk_csv(rows: list[dict[str, Any]]) -> bytes:
    return csv_bytes(rows).decode("utf-8-sig").encode("gb18030")


def test_csv_saved_by_chinese_excel_is_read_as_gb18030() -> None:
    rows = organizations(2)
    data = gbk_csv(rows)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = readers.parse_rows("organizations.csv", data)
    assert parsed.encoding == "GB18030"
    assert [r["name_zh"] for _, r in parsed.rows] == [r["name_zh"] for r in rows]
    utf8 = readers.parse_rows("organizations.csv", csv_bytes(rows))
    assert utf8.encoding == "UTF-8" and utf8.rows == parsed.rows


def test_csv_in_neither_encoding_is_refused_in_both_languages() -> None:
    with pytest.raises(ImportFailed) as refused:
        readers.parse_rows("organizations.csv", b"uscc,name_zh\n1,\x81\x20\n")
    [problem] = refused.value.problems
    assert "neither UTF-8 nor GB18030" in problem.message_en
    assert "UTF-8" in problem.message_zh and "GB18030" in problem.message_zh
    assert problem.message_zh != problem.message_en


async def test_a_gb18030_file_imports_and_its_report_says_so(
    clean: Database, tmp_path: Path
) -> None:
    before = await totals(clean)
    path = tmp_path / "organizations.csv"
    path.write_bytes(gbk_csv(organizations(2)))
    report = await pipeline.import_file(clean, path)
    assert (report.created, report.encoding) == (2, "GB18030")
    assert "read as GB18030" in str(report)
    assert await totals(clean) != before
