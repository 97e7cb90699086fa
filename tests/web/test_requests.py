"""Requests in the browser: submit, see it routed and explained, quote, award, complete;
answer an inbox; server field errors next to their fields in Chinese and English."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.async_api import Page, expect

from hub.db.driver import Database
from tests import factories
from tests.conftest import LiveHub
from tests.web.conftest import PROVIDER, STARTUP, Opener

TITLE = "2,000 L 抗体临床批次"
REQUEST = {
    "requester": STARTUP,
    "title": TITLE,
    "capability": "BIO.USP",
    "quantity": 2000,
    "earliestStart": "2027-01-04",
    "needBy": "2027-01-31",
    "gmpGrade": "GMP_CLINICAL",
    "authorities": ["NMPA_LICENCE"],
}
PROVIDER_NAME = "亦庄示例生物制剂有限公司（虚构）"
SUBMIT = """mutation($i: RequestInput!) { submitRequest(input: $i) {
  ... on RequestChanged { request { id } } } }"""
ROUTE = "mutation($id: ID!) { routeRequest(id: $id) { __typename } }"


async def fill_request(page: Page, title: str, earliest: str, need_by: str) -> None:
    await page.get_by_label("需求标题").fill(title)
    await page.get_by_label("能力", exact=True).fill("上游")
    await page.get_by_role("option", name=re.compile(r"BIO\.USP$")).click()
    await page.get_by_label("数量", exact=True).fill("2000")
    await page.get_by_label("最早开始日期").fill(earliest)
    await page.get_by_label("需求截止日期").fill(need_by)
    await page.get_by_label("药品生产许可证（NMPA）").check()
    await page.get_by_label("预算上限").fill("3000000")


async def submitted_by_api(live_hub: LiveHub, token: str) -> str:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=live_hub.url, headers=headers, timeout=30) as http:
        sent = await http.post("/graphql", json={"query": SUBMIT, "variables": {"i": REQUEST}})
        request_id: str = sent.json()["data"]["submitRequest"]["request"]["id"]
        body: dict[str, Any] = (
            await http.post("/graphql", json={"query": ROUTE, "variables": {"id": request_id}})
        ).json()
        assert body["data"]["routeRequest"]["__typename"] == "RequestChanged", body
    return request_id


async def test_requester_submits_sees_routing_and_awards(
    network: Database, open_console: Opener
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    provider_token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    requester = await open_console("zh")
    await requester.sign_in(startup)
    await requester.go("requests/new")
    page = requester.page
    await fill_request(page, TITLE, "2027-01-04", "2027-01-31")
    await requester.shot("request-new")
    await page.get_by_role("button", name="提交并路由").click()

    await expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    progress = page.get_by_role("list", name="进度").locator("[aria-current=step]")
    await expect(progress).to_have_text("已路由")
    candidates = page.get_by_role("table", name="候选服务方")
    await expect(candidates.get_by_role("row")).to_have_count(3)
    await candidates.get_by_text("查看依据与得分").first.click()
    await expect(page.get_by_role("list", name="匹配路径").first).to_contain_text("BIO.USP")
    parts = page.get_by_role("table", name="得分构成").first
    await expect(parts.get_by_role("row").filter(has_text="尚无合作")).to_have_count(1)
    near_misses = page.get_by_role("table", name="差一点匹配的服务方")
    await expect(near_misses.get_by_role("row").filter(has_text="产能")).to_have_count(1)
    await requester.shot("request-routed")

    provider = await open_console("zh")
    await provider.sign_in(provider_token)
    await provider.go("inbox")
    item = provider.page.get_by_role("article", name=TITLE)
    await item.get_by_role("button", name="接受并报价").click()
    await item.get_by_label("报价金额").fill("1500000")
    await item.get_by_label("交付周期（天）").fill("45")
    await item.get_by_role("button", name="发送报价").click()
    await expect(provider.page.get_by_role("status").filter(has_text="已答复")).to_be_visible()

    # The requester's page updates by itself (live), then the quote is awarded.
    award = page.get_by_role("button", name=f"授予 {PROVIDER_NAME}")
    await expect(award).to_be_visible(timeout=10_000)
    await requester.shot("request-quotes")
    await award.click()
    await expect(progress).to_have_text("已授予")
    await page.get_by_label("按时交付").uncheck()
    await page.get_by_label("评分", exact=True).select_option("4")
    await page.get_by_label("评价", exact=True).fill("晚了一周，质量很好")
    await page.get_by_role("button", name="完成并评价").click()
    await expect(progress).to_have_text("已完成")
    outcome = page.get_by_role("definition").filter(has_text="未按时交付")
    await expect(outcome).to_be_visible()
    await expect(page.get_by_text("4 / 5")).to_be_visible()
    await expect(page.get_by_text("晚了一周，质量很好")).to_be_visible()
    await requester.shot("request-completed")
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_text("Delivered late")).to_be_visible()
    parts = page.get_by_role("table", name="Score in parts", include_hidden=True).first
    await expect(parts).to_contain_text("no engagement together yet")
    await page.get_by_role("button", name="中文").click()

    await requester.go("requests")
    await expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    await requester.shot("requests")


async def test_provider_answers_its_inbox(
    network: Database, open_console: Opener, live_hub: LiveHub
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    provider_token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    await submitted_by_api(live_hub, startup)
    console = await open_console("zh")
    await console.sign_in(provider_token)
    await console.go("inbox")
    item = console.page.get_by_role("article", name=TITLE)
    await expect(item.get_by_text("剩余")).to_be_visible()
    await item.get_by_role("button", name="接受并报价").click()
    price = item.get_by_label("报价金额")
    await price.fill("-5")
    await item.get_by_label("交付周期（天）").fill("30")
    await item.get_by_role("button", name="发送报价").click()
    await expect(price).to_have_accessible_description("不能为负数")
    await console.shot("inbox-field-error")

    await item.get_by_role("button", name="拒绝").click()
    await item.get_by_label("拒绝原因").fill("该时段产线已满")
    await item.get_by_role("button", name="确认拒绝").click()
    await expect(console.page.get_by_text("没有待处理的需求。")).to_be_visible()
    await console.page.get_by_label("状态").select_option("DECLINED")
    await expect(console.page.get_by_role("article", name=TITLE)).to_contain_text("该时段产线已满")
    await console.shot("inbox")


async def test_request_form_shows_server_field_error_in_both_languages(
    network: Database, open_console: Opener
) -> None:
    startup = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    console = await open_console("zh")
    await console.sign_in(startup)
    await console.go("requests/new")
    page = console.page
    await fill_request(page, "日期填反了", "2027-01-31", "2027-01-04")
    await page.get_by_role("button", name="提交并路由").click()
    need_by = page.get_by_label("需求截止日期")
    await expect(need_by).to_have_accessible_description("早于 earliestStart")
    await expect(need_by).to_have_attribute("aria-invalid", "true")
    await console.shot("request-field-error-zh")

    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_label("Need by")).to_have_accessible_description(
        "is before earliestStart"
    )
    await console.shot("request-field-error-en")
