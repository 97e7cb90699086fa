"""Seconds the import's reader takes to read (or refuse) two small hostile files.

    .venv/bin/python -m bench.hostile_files

A CSV whose header has 40,000 columns (about 260 KB) and a 5 KB workbook whose only cell
is at XFD30000: each is read by `hub.registry.readers.parse_rows` as an upload would be,
and the time to its answer (rows, or the refusal) is printed.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import openpyxl

from hub.registry import readers

COLUMNS = 40_000


def wide_csv() -> bytes:
    return (",".join(f"c{n}" for n in range(COLUMNS)) + "\n1,2\n").encode()


def far_cell_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["XFD30000"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed(name: str, data: bytes, read: Callable[[str, bytes], object]) -> None:
    began = time.perf_counter()
    try:
        read(name, data)
        outcome = "read"
    except readers.ImportFailed as failed:
        outcome = "refused: " + str(failed.problems[0])
    seconds = time.perf_counter() - began
    print(f"{name:18} {len(data) / 1024:7.0f} KB {seconds:8.3f} s  {outcome[:90]}")


def main() -> None:
    timed("organizations.csv", wide_csv(), readers.parse_rows)
    timed("organizations.xlsx", far_cell_workbook(), readers.parse_rows)


if __name__ == "__main__":
    main()
