"""A provider imports a registry file in the browser: the progress bar follows the rows
being written to the end, then the report; a broken file shows its problems by line, in
the language chosen."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.async_api import expect

from hub.db.driver import Database, Tx
from hub.imports.pipeline import CHUNK
from tests import factories
from tests.imports.test_import import write_csv
from tests.registry import sample
from tests.web.conftest import OTHER_PROVIDER, PROVIDER, Opener

DAYS = 2 * CHUNK + 500  # three chunks: the bar stops twice on the way
# Every text the progress line shows, as the page shows it (set before the upload).
RECORD_STATUS = """() => {
  window.seenStatus = [];
  new MutationObserver(() => {
    const status = document.querySelector('.import-progress [role="status"]');
    if (status) window.seenStatus.push(status.textContent);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def capacity_rows() -> list[dict[str, object]]:
    first = date(2028, 1, 3)
    return [
        {"uscc": PROVIDER, "site": "yz-1", "equipment": "SUB-2000-01", "grain": "day"}
        | {"start": (first + timedelta(days=n)).isoformat(), "total": 20}
        for n in range(DAYS)
    ]


async def _sites(tx: Tx) -> list[str]:
    rows = await tx.records("MATCH (s:Site) RETURN s.id AS id ORDER BY id")
    return [r["id"] for r in rows]


async def test_a_provider_imports_a_file_and_watches_it_written(
    network: Database, open_console: Opener, tmp_path: Path
) -> None:
    token = await factories.token(network, "plan@provider.test", f"provider:{PROVIDER}")
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page
    await page.get_by_role("navigation").get_by_role("link", name="导入文件").click()
    await expect(page.get_by_role("heading", name="导入登记文件")).to_be_visible()

    await page.get_by_label("文件").set_input_files(
        write_csv(tmp_path / "capacity.csv", capacity_rows())
    )
    await expect(page.get_by_label("数据类型")).to_have_value("capacity")  # from the name
    await page.evaluate(RECORD_STATUS)
    await page.get_by_role("button", name="上传并导入").click()

    total = f"{DAYS:,}"
    bar = page.get_by_role("progressbar", name="导入进度")
    await expect(page.get_by_text(f"已写入：{total} / {total} 行")).to_be_visible(timeout=90_000)
    await expect(bar).to_have_js_property("value", DAYS)
    await expect(bar).to_have_js_property("max", DAYS)
    report = page.get_by_role("status").filter(has_text="导入完成")
    await expect(report).to_contain_text(f"导入完成：{total} 行产能")
    await expect(report.locator("dd").first).to_have_text(total)  # created
    seen: list[str] = await page.evaluate("window.seenStatus")
    between = [s for s in seen if re.fullmatch(rf"正在写入：(?!0 )[\d,]+ / {total} 行", s)]
    assert between, f"the bar should stop on the way to the end; it showed {seen}"
    await console.shot("import-report")


async def test_a_broken_file_shows_its_problems_by_line_and_writes_nothing(
    network: Database, open_console: Opener, tmp_path: Path
) -> None:
    token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    [own] = sample.rows()["sites"]
    [foreign] = sample.rows(OTHER_PROVIDER)["sites"]
    rows = [{**own, "site": "yz-9"}, {**foreign, "site": "tj-1"}, {**own, "site": "yz-8"}]
    rows[2]["lat"] = "north"
    before = await network.read(_sites)
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page
    await console.go("import")
    await page.get_by_label("数据类型").select_option("sites")
    await page.get_by_label("文件").set_input_files(write_csv(tmp_path / "new-sites.csv", rows))
    await page.get_by_role("button", name="上传并导入").click()

    await expect(page.get_by_role("alert")).to_contain_text("未导入任何数据：2 个问题")
    table = page.get_by_role("table", name="导入问题")
    foreign_row = table.get_by_role("row").filter(has_text=OTHER_PROVIDER)
    await expect(foreign_row.get_by_role("cell").first).to_have_text("3")
    await expect(foreign_row).to_contain_text("不是您可以为其导入数据的机构")
    lat_row = table.get_by_role("row").filter(has=page.get_by_role("cell", name="lat"))
    await expect(lat_row.get_by_role("cell").first).to_have_text("4")
    await expect(page.get_by_role("progressbar")).to_have_count(0)
    await console.shot("import-problems")

    await page.get_by_role("button", name="English").click()
    table = page.get_by_role("table", name="Import problems")
    await expect(table).to_contain_text("is not an organization you may import for")
    assert await network.read(_sites) == before
