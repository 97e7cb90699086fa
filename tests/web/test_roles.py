"""Signing in: each role sees its own navigation; a bad token is refused next to the field."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from hub.db.driver import Database
from tests import factories
from tests.web.conftest import PROVIDER, STARTUP, Opener

NAV = {
    "provider": [
        "需求收件箱",
        "机构资料",
        "场地",
        "服务项目",
        "设备",
        "资质证书",
        "产能日历",
        "导入文件",
    ],
    "requester": ["查找服务", "发布需求", "我的需求"],
    "operator": ["园区一览"],
    "admin": ["审计日志"],
}
ROLES = {
    "provider": f"provider:{PROVIDER}",
    "requester": f"requester:{STARTUP}",
    "operator": "operator:BJ-ETOWN",
    "admin": "admin",
}


@pytest.mark.parametrize("role", ["provider", "requester", "operator", "admin"])
async def test_each_role_sees_its_navigation(
    network: Database, open_console: Opener, role: str
) -> None:
    token = await factories.token(network, f"{role}@example.test", ROLES[role])
    console = await open_console("zh")
    await console.sign_in(token)
    nav = console.page.get_by_role("navigation", name="主导航")
    for other, links in NAV.items():
        for link in links:
            shown = other == role or role == "admin"
            await expect(nav.get_by_role("link", name=link, exact=True)).to_have_count(int(shown))
    await expect(
        console.page.get_by_role("heading", name=f"您好，{role}@example.test")
    ).to_be_visible()
    await console.shot(f"home-{role}")
    if role == "operator":
        await console.go("parks")
        await expect(
            console.page.get_by_role("cell", name="北京经济技术开发区", exact=False)
        ).not_to_have_count(0)
        await console.shot("parks")
    if role == "admin":
        await console.go("audit")
        await expect(console.page.get_by_role("table", name="审计日志")).to_be_visible()
        await console.shot("audit-log")
        await console.go("sites")
        await console.page.get_by_label("统一社会信用代码").fill(PROVIDER)
        await console.page.get_by_role("button", name="进入").click()
        await expect(console.page.get_by_role("table", name="场地")).to_contain_text("亦庄一厂")


async def test_bad_token_is_refused_next_to_the_field(
    network: Database, open_console: Opener
) -> None:
    console = await open_console("zh")
    await console.page.goto(console.base_url + "/")
    await console.shot("sign-in")
    await console.open_token_sign_in()
    token = console.page.get_by_label("API 令牌")
    await token.fill("hub_not-a-real-token")
    await console.page.get_by_role("button", name="用令牌进入").click()
    await expect(token).to_have_accessible_description(
        "请登录：以 'Authorization: Bearer <令牌>' 发送有效的 API 令牌"
    )
    await console.page.get_by_role("button", name="English").click()
    await expect(console.page.get_by_label("API token")).to_have_accessible_description(
        "Sign in: send a valid API token as 'Authorization: Bearer <token>'"
    )


async def test_sign_out_forgets_the_token(network: Database, open_console: Opener) -> None:
    token = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    console = await open_console("en")
    await console.sign_in(token)
    await console.page.get_by_role("button", name="Sign out").click()
    await expect(console.page.get_by_label("E-mail address")).to_be_visible()
    await console.page.reload()
    await expect(console.page.get_by_label("E-mail address")).to_be_visible()
    await console.open_token_sign_in()
    await expect(console.page.get_by_label("API token")).to_have_value("")
