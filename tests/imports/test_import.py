"""Bulk import: CSV, XLSX and JSON files are checked row by row and written all or nothing."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hub.db.driver import Database, Tx, counting_round_trips
from hub.errors import InvalidInput
from hub.imports import pipeline
from hub.imports.pipeline import ImportReport, import_file
from hub.imports.readers import ImportFailed
from tests import factories
from tests.registry import sample

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "graph" / "templates"
ORDER = ["organizations", "sites", "equipment", "offerings", "certificates"]
Rows = list[dict[str, Any]]


def mistyped(uscc: str) -> str:
    """The code with a wrong check character."""
    return uscc[:-1] + ("1" if uscc[-1] == "0" else "0")


def write_csv(path: Path, rows: Rows) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    # utf-8-sig: with a BOM, as spreadsheet programs save CSV.
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _cell(column: str, value: Any) -> Any:
    if column in ("valid_from", "valid_to") and isinstance(value, str):
        return date.fromisoformat(value)  # a real date cell, as Excel stores it
    return value


def write_xlsx(path: Path, rows: Rows) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([_cell(c, row.get(c)) for c in columns])
    workbook.save(path)
    return path


def write_json(path: Path, rows: Rows) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}


async def _totals(tx: Tx) -> dict[str, int]:
    row = await tx.single(
        "MATCH (n) RETURN count(n) AS nodes, count{ (:AuditRecord) } AS audit, "
        "count{ ()-->() } AS relationships"
    )
    assert row is not None
    return dict(row)


async def totals(db: Database) -> dict[str, int]:
    return await db.read(_totals)


async def import_rows(
    db: Database, folder: Path, kind: str, rows: Rows, fmt: str = "csv"
) -> ImportReport:
    return await import_file(db, WRITERS[fmt](folder / f"{kind}.{fmt}", rows))


async def import_sample(db: Database, folder: Path, kinds: list[str]) -> None:
    data = sample.rows()
    for kind in kinds:
        await import_rows(db, folder, kind, data[kind])


def where(failed: pytest.ExceptionInfo[ImportFailed]) -> list[tuple[int | None, str | None]]:
    return [(p.line, p.field) for p in failed.value.problems]


def counts(report: ImportReport) -> tuple[int, int, int]:
    return report.created, report.updated, report.unchanged


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
async def test_each_format_imports_the_sample_provider_once(
    clean: Database, tmp_path: Path, fmt: str
) -> None:
    data = sample.rows()
    first = [await import_rows(clean, tmp_path, k, data[k], fmt) for k in ORDER]
    assert [counts(r) for r in first] == [(1, 0, 0)] * 5
    audit = (await totals(clean))["audit"]
    assert audit == 5

    again = [await import_rows(clean, tmp_path, k, data[k], fmt) for k in ORDER]
    assert [counts(r) for r in again] == [(0, 0, 1)] * 5
    assert (await totals(clean))["audit"] == audit, "no change, no audit record"


async def _offering(tx: Tx) -> dict[str, Any]:
    row = await tx.single(
        """
        MATCH (:Site {id: $site})-[:OFFERS]->(f:Offering)-[:RUNS_ON]->(e:Equipment)
        MATCH (a:AuditRecord {key: f.id})
        RETURN f.capability AS capability, f.unit AS unit, e.tag AS tag, a.actor AS actor""",
        site=f"{sample.USCC}/yz-1",
    )
    assert row is not None
    return dict(row)


async def test_imported_rows_form_the_graph_and_name_the_file_in_the_audit(
    clean: Database, tmp_path: Path
) -> None:
    await import_sample(clean, tmp_path, ORDER)
    assert await clean.read(_offering) == {
        "capability": "BIO.USP.FB",
        "unit": "bioreactor_l_batch",
        "tag": "SUB-2000-01",
        "actor": "import:offerings.csv",
    }


async def test_json_rows_may_sit_under_a_rows_key(clean: Database, tmp_path: Path) -> None:
    path = tmp_path / "organizations.json"
    path.write_text(json.dumps({"rows": sample.rows()["organizations"]}), encoding="utf-8")
    assert counts(await import_file(clean, path)) == (1, 0, 0)


async def test_a_json_line_is_the_position_in_the_list(clean: Database, tmp_path: Path) -> None:
    [good] = sample.rows()["organizations"]
    rows = [good, {**good, "uscc": factories.uscc(2), "kind": "seller"}]
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "organizations", rows, "json")
    assert where(failed) == [(2, "kind")]


BAD_ROWS = [
    ("organizations", {"uscc": mistyped(factories.uscc(2))}, "uscc"),
    ("offerings", {"offering": "x", "capability": "BIO.NOPE"}, "capability"),
    ("offerings", {"offering": "x", "unit": "kg_batch"}, "unit"),
    ("offerings", {"offering": "x", "scale_min": 0}, "scale_min"),
    ("offerings", {"offering": "x", "scale_max": -10}, "scale_max"),
    ("equipment", {"tag": "X-1", "count": 0}, "count"),
    ("certificates", {"number": "x", "valid_to": "2024-12-31"}, "valid_to"),
    ("certificates", {"number": "x", "valid_from": "2025-02-30"}, "valid_from"),
    ("sites", {"site": "x", "park": "BJ-NOWHERE"}, "park"),
]


@pytest.mark.parametrize(("kind", "change", "field"), BAD_ROWS)
async def test_a_bad_row_is_reported_and_nothing_is_written(
    clean: Database, tmp_path: Path, kind: str, change: dict[str, Any], field: str
) -> None:
    await import_sample(clean, tmp_path, ORDER[: ORDER.index(kind)])
    before = await totals(clean)
    [good] = sample.rows()[kind]
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, kind, [good, {**good, **change}])
    assert where(failed) == [(3, field)]
    assert await totals(clean) == before


async def test_every_bad_row_is_reported_with_its_line(clean: Database, tmp_path: Path) -> None:
    await import_sample(clean, tmp_path, ["organizations", "sites", "equipment"])
    before = await totals(clean)
    [good] = sample.rows()["offerings"]
    rows = [
        good,
        {**good, "offering": "b", "capability": "BIO.NOPE"},
        {**good, "offering": "c"},
        {**good, "offering": "d", "unit": "kg_batch"},
        {**good, "offering": "e", "scale_min": -1},
        good,
    ]
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "offerings", rows)
    assert where(failed) == [(3, "capability"), (5, "unit"), (6, "scale_min"), (7, "offering")]
    assert "duplicate of line 2" in failed.value.problems[-1].message_en
    assert "line 3, field capability: unknown capability code 'BIO.NOPE'" in str(failed.value)
    assert failed.value.problems[0].message_zh == "未知能力代码 'BIO.NOPE'"
    assert await totals(clean) == before


async def test_an_unknown_column_is_named(clean: Database, tmp_path: Path) -> None:
    [good] = sample.rows()["organizations"]
    typo = {**good, "webiste": "https://example.test"}
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "organizations", [typo])
    assert where(failed) == [(1, "webiste")]
    assert (await totals(clean))["audit"] == 0


async def test_a_header_without_a_required_column_is_refused(
    clean: Database, tmp_path: Path
) -> None:
    [good] = sample.rows()["organizations"]
    without_kind = {k: v for k, v in good.items() if k != "kind"}
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "organizations", [without_kind, without_kind])
    assert where(failed) == [(1, "kind")], "reported once, not once per row"


async def test_a_site_of_an_unknown_organization_is_reported_by_line(
    clean: Database, tmp_path: Path
) -> None:
    [good] = sample.rows()["sites"]
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "sites", [good])
    assert where(failed) == [(2, "uscc")]
    assert "import organizations first" in failed.value.problems[0].message_en
    assert (await totals(clean))["audit"] == 0


async def test_an_offering_on_unknown_equipment_is_reported_by_line(
    clean: Database, tmp_path: Path
) -> None:
    await import_sample(clean, tmp_path, ["organizations", "sites", "equipment"])
    before = await totals(clean)
    [good] = sample.rows()["offerings"]
    rows = [{**good, "offering": "a", "equipment": ""}, {**good, "equipment": "SUB-1;SUB-2"}]
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "offerings", rows)
    assert where(failed) == [(3, "equipment"), (3, "equipment")]
    assert await totals(clean) == before


CAPACITY = [
    {"uscc": sample.USCC, "site": "yz-1", "offering": "mab-usp", "grain": "week"}
    | {"start": "2027-01-04", "total": 4000, "unit": "bioreactor_l_batch"},
    {"uscc": sample.USCC, "site": "yz-1", "equipment": "SUB-2000-01", "grain": "day"}
    | {"start": "2027-01-05", "total": 20},
]


async def test_capacity_of_offerings_and_equipment_imports_once(
    clean: Database, tmp_path: Path
) -> None:
    await import_sample(clean, tmp_path, ORDER)
    assert counts(await import_rows(clean, tmp_path, "capacity", CAPACITY)) == (2, 0, 0)
    assert counts(await import_rows(clean, tmp_path, "capacity", CAPACITY)) == (0, 0, 2)


async def test_a_file_of_new_and_changed_buckets_creates_the_new_and_updates_the_changed(
    clean: Database, tmp_path: Path
) -> None:
    await import_sample(clean, tmp_path, ORDER)
    await import_rows(clean, tmp_path, "capacity", weeks(3))
    changed = [{**row, "total": 7} if n == 0 else row for n, row in enumerate(weeks(5))]
    assert counts(await import_rows(clean, tmp_path, "capacity", changed)) == (2, 1, 2)
    row = await clean.read(
        lambda tx: tx.single(
            "MATCH (f:Offering)-[:HAS_CAPACITY]->(b) WITH f, count(b) AS buckets, sum(b.total) AS t"
            " MATCH (f)-[:HAS_FIT]->(fit) RETURN buckets, t, size(fit.bucket_ids) AS fitted"
        )
    )
    assert row is not None
    assert (row["buckets"], row["fitted"]) == (5, 5)
    assert row["t"] == 7 + 4 * float(CAPACITY[0]["total"])


def weeks(n: int) -> Rows:
    """`n` weekly buckets of the sample offering, from 2027-01-04 on."""
    first = date(2027, 1, 4).toordinal()
    return [
        {**CAPACITY[0], "start": date.fromordinal(first + 7 * week).isoformat()}
        for week in range(n)
    ]


async def test_a_capacity_import_costs_a_constant_count_of_queries_per_chunk(
    clean: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_sample(clean, tmp_path, ORDER)
    monkeypatch.setattr(pipeline, "CHUNK", 40)
    with counting_round_trips() as queries:
        report = await import_rows(clean, tmp_path, "capacity", weeks(60))  # two chunks
    assert counts(report) == (60, 0, 0)
    writes = [q for q in queries if "[:HAS_CAPACITY]->(n" in q]  # MERGE, or CREATE if new
    refreshes = [q for q in queries if "MERGE (fit:Fit" in q]
    # The owners' units and the reference data (3); per chunk the graph check, the stored
    # states, the write and the audit; the offering's fit summary refreshed once for the
    # file, after both chunks.
    assert len(writes) == 2
    assert len(refreshes) == 1
    assert queries.index(refreshes[0]) > queries.index(writes[-1])
    assert len(queries) == 3 + 4 * 2 + 1


async def test_bad_capacity_rows_name_their_field(clean: Database, tmp_path: Path) -> None:
    await import_sample(clean, tmp_path, ORDER)
    offering, tag = CAPACITY
    rows = [
        {**offering, "offering": "nope"},
        {**tag, "equipment": "NOPE"},
        {**offering, "unit": "kg_batch"},
        {**offering, "start": "2027-01-05"},
        {**offering, "equipment": "SUB-2000-01"},
    ]
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "capacity", rows)
    assert where(failed) == [
        (2, "offering"),
        (3, "equipment"),
        (4, "unit"),
        (5, "start"),
        (6, "equipment"),
    ]


async def _reserve(tx: Tx) -> None:
    await tx.run("MATCH (b:CapacityBucket) SET b.reserved = 3000.0")


async def test_capacity_below_what_is_reserved_is_reported_by_line(
    clean: Database, tmp_path: Path
) -> None:
    await import_sample(clean, tmp_path, ORDER)
    await import_rows(clean, tmp_path, "capacity", CAPACITY[:1])
    await clean.write(_reserve)
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "capacity", [{**CAPACITY[0], "total": 2000}])
    assert where(failed) == [(2, "total")]


async def test_the_templates_import_in_order(clean: Database) -> None:
    kinds = ["organizations", "sites", "equipment", "offerings", "certificates", "capacity"]
    first = [await import_file(clean, TEMPLATES / f"{k}.csv") for k in kinds]
    assert all(r.created == r.rows > 0 for r in first), first
    again = [await import_file(clean, TEMPLATES / f"{k}.csv") for k in kinds]
    assert all(r.unchanged == r.rows for r in again), again


async def test_an_unknown_kind_is_a_clear_error(clean: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "firms.csv", sample.rows()["organizations"])
    with pytest.raises(InvalidInput, match="unknown kind 'firms'") as refused:
        await import_file(clean, path)
    assert refused.value.field == "kind"
    assert counts(await import_file(clean, path, "organizations")) == (1, 0, 0)


def organizations(count: int, start: int = 1) -> Rows:
    [good] = sample.rows()["organizations"]
    return [{**good, "uscc": factories.uscc(n)} for n in range(start, start + count)]


async def test_the_report_lists_200_problems_and_counts_the_rest(
    clean: Database, tmp_path: Path
) -> None:
    rows = [{**row, "kind": "seller"} for row in organizations(250)]
    with pytest.raises(ImportFailed) as failed:
        await import_rows(clean, tmp_path, "organizations", rows)
    assert len(failed.value.problems) == 250
    report = failed.value.message_en.splitlines()
    assert report[0] == "nothing was imported: 250 problems"
    assert report[-1] == "... and 50 more problems"
    assert len(report) == 202


async def test_the_number_of_queries_does_not_grow_with_the_rows(
    clean: Database, tmp_path: Path
) -> None:
    with counting_round_trips() as few:
        await import_rows(clean, tmp_path, "organizations", organizations(3))
    with counting_round_trips() as many:
        await import_rows(clean, tmp_path, "organizations", organizations(600, start=10))
    assert len(many) == len(few)


def _hub_import(path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", "import", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


async def test_hub_import_shows_progress_then_the_summary(
    clean: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = write_csv(tmp_path / "organizations.csv", organizations(400))
    done = _hub_import(path, cli_env)
    assert done.returncode == 0, done.stderr
    assert "400/400" in done.stderr
    assert "organizations.csv: 400 rows of organizations: 400 created, 0 updated" in done.stdout


async def test_hub_import_lists_the_bad_lines_and_exits_with_1(
    clean: Database, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    rows = organizations(3)
    rows[1]["uscc"] = mistyped(rows[1]["uscc"])
    rows[2]["contact_email"] = "not-an-address"
    before = await totals(clean)
    done = _hub_import(write_csv(tmp_path / "organizations.csv", rows), cli_env)
    assert done.returncode == 1
    assert "nothing was imported: 2 problems" in done.stderr
    assert "line 3, field uscc: check digit is wrong" in done.stderr
    assert "line 4, field contact_email: is not an e-mail address" in done.stderr
    assert await totals(clean) == before
