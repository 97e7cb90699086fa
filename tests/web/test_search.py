"""A requester finds offerings by capability (picked by Chinese text), scale and window."""

from __future__ import annotations

import re

from playwright.async_api import expect

from hub.db.driver import Database
from tests import factories
from tests.web.conftest import STARTUP, Opener


async def test_search_finds_offerings_and_starts_a_request(
    network: Database, open_console: Opener
) -> None:
    token = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page
    await console.go("search")
    await page.get_by_role("button", name="浏览分类").click()
    await page.get_by_role("button", name="展开 生物药原液").click()
    await page.get_by_role("button", name="展开 上游").click()
    await console.shot("capability-tree")
    await page.get_by_role("button", name="流加", exact=True).click()
    await expect(page.get_by_test_id("chosen-capability")).to_have_text("流加 (BIO.USP.FB)")
    await page.get_by_label("能力", exact=True).fill("流加")  # the same node, found by text
    await page.get_by_role("option", name=re.compile(r"BIO\.USP\.FB$")).click()
    await page.get_by_label("规模").fill("2000")
    await page.get_by_label("药品生产许可证（NMPA）").check()
    await page.get_by_label("时间窗开始").fill("2027-01-04")
    await page.get_by_label("时间窗结束").fill("2027-01-31")
    await page.get_by_label("每期所需空闲产能").fill("2000")
    await page.get_by_role("button", name="搜索").click()
    results = page.get_by_role("table", name="找到 2 项服务")
    await expect(results.get_by_role("row")).to_have_count(3)
    await console.shot("search")
    await results.get_by_role("link", name="据此发需求").first.click()
    await expect(page.get_by_role("heading", name="发布需求")).to_be_visible()
    await expect(page.get_by_test_id("chosen-capability")).to_contain_text("BIO.USP.FB")
