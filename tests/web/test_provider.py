"""A provider keeps its records in the browser: profile, sites, offerings, equipment,
certificates (expiry warning) and the weekly capacity calendar."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.async_api import expect

from hub.db.driver import Database
from tests import factories
from tests.web.conftest import PROVIDER, Opener


async def test_provider_edits_profile_and_sees_its_records(
    network: Database, open_console: Opener
) -> None:
    token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page

    await console.go("profile")
    await expect(page.get_by_label("中文名称")).to_have_value("亦庄示例生物制剂有限公司（虚构）")
    email = page.get_by_label("联系邮箱")
    await email.fill("not-an-address")
    await page.get_by_role("button", name="保存").click()
    await expect(email).to_have_accessible_description("不是有效的电子邮件地址")
    await email.fill("bd@example.test")
    await page.get_by_label("网站").fill("https://example.test")
    await page.get_by_role("button", name="保存").click()
    await expect(page.get_by_role("status").filter(has_text="已保存")).to_be_visible()
    await console.shot("provider-profile")

    for path, shown in [
        ("sites", "亦庄一厂"),
        ("offerings", "mab-usp"),
        ("equipment", "SUB-2000-01"),
    ]:
        await console.go(path)
        await expect(page.get_by_role("table").get_by_text(shown).first).to_be_visible()
        await console.shot(f"provider-{path}")


async def test_certificate_ending_soon_shows_a_warning(
    network: Database, open_console: Opener
) -> None:
    token = await factories.token(network, "qa@provider.test", f"provider:{PROVIDER}")
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page
    await console.go("certificates")
    await expect(page.get_by_role("table", name="资质证书")).to_contain_text("有效")
    await page.get_by_role("button", name="新增").click()
    await page.get_by_label("发证机构").select_option("EU_GMP")
    await page.get_by_label("证书编号").fill("EU-GMP-2026-001")
    await page.get_by_label("生效日期").fill("2024-01-01")
    await page.get_by_label("失效日期").fill((date.today() + timedelta(days=30)).isoformat())
    await page.get_by_label("yz-1 · 亦庄一厂").check()
    await page.get_by_label("能力代码").fill("BIO.USP")
    await page.get_by_role("button", name="保存").click()
    await expect(page.get_by_role("alert")).to_contain_text("1 张证书将在 90 天内到期")
    row = page.get_by_role("row").filter(has_text="EU-GMP-2026-001")
    await expect(row).to_contain_text("即将到期")
    await console.shot("provider-certificates")


async def test_capacity_calendar_adjusts_and_publishes_weeks(
    network: Database, open_console: Opener
) -> None:
    token = await factories.token(network, "plan@provider.test", f"provider:{PROVIDER}")
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page
    await console.go("capacity")
    await page.get_by_label("起始周").fill("2027-01-04")
    first = page.get_by_label("2027-01-04 当周")
    await expect(first).to_have_value("4000")
    await first.fill("3000")
    await page.get_by_label("2027-03-01 当周").fill("500")
    await page.get_by_role("button", name=re.compile("保存 2 处更改")).click()
    await expect(page.get_by_role("status").filter(has_text="已保存")).to_be_visible()
    await expect(page.get_by_label("2027-01-04 当周")).to_have_value("3000")
    await expect(page.get_by_label("2027-03-01 当周")).to_have_value("500")
    await console.shot("provider-capacity")
