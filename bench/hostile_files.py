"""Seconds the import's reader takes to read (or refuse) two small hostile files.

    .venv/bin/python -m bench.hostile_files

A CSV whose header has 40,000 columns (about 260 KB) and a 5 KB workbook whose only cell
is at XFD30000: each is read by `hub.imports.readers.parse_rows` as an upload would be,
and the time to its answer (rows, or the refusal) is printed.

Then a hang-up: a legitimate but long CSV (199,999 rows of 14 columns: the line cap, 9 MB,
under the upload limit) is read on the import workers as an upload is; its awaiting
coroutine is cancelled (what a client hanging up does) after HANG_UP_S. Printed: how long
reading the whole file takes when nobody stops it, how long the worker took to stop after
the cancel, and the process's CPU seconds in the two seconds after (idle is ~0).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from collections.abc import Callable

import openpyxl

from hub.imports import readers
from hub.imports.workers import in_worker

COLUMNS = 40_000
LONG_ROWS = readers.MAX_LINES - 1
HANG_UP_S = 0.5


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


def long_csv() -> bytes:
    header = ",".join(f"c{n}" for n in range(14))
    row = ",".join(f"v{n}" for n in range(14))
    return (header + "\n" + "\n".join(row for _ in range(LONG_ROWS)) + "\n").encode()


async def hang_up(data: bytes) -> None:
    began = time.perf_counter()
    readers.parse_rows("organizations.csv", data)
    whole = time.perf_counter() - began
    stop = readers.Stop()
    reading = asyncio.create_task(
        in_worker(stop, lambda: readers.parse_rows("organizations.csv", data, stop))
    )
    await asyncio.sleep(HANG_UP_S)
    hung_up = time.perf_counter()
    reading.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await reading
    stopped = time.perf_counter() - hung_up
    cpu = time.process_time()
    await asyncio.sleep(2.0)
    burning = time.process_time() - cpu
    print(
        f"long CSV {len(data) / 1024 / 1024:.0f} MB: read whole in {whole:.2f} s; "
        f"hung up after {HANG_UP_S} s, the worker stopped {stopped:.3f} s later; "
        f"CPU in the next 2 s: {burning:.3f} s"
    )


def main() -> None:
    timed("organizations.csv", wide_csv(), readers.parse_rows)
    timed("organizations.xlsx", far_cell_workbook(), readers.parse_rows)
    asyncio.run(hang_up(long_csv()))


if __name__ == "__main__":
    main()
