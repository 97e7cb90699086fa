"""A person acting for two providers switches between them by name in the shell; every
provider page follows the choice, which outlives a reload."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from hub.db.driver import Database, Tx
from tests import factories
from tests.conftest import LiveHub
from tests.web.conftest import OTHER_PROVIDER, PROVIDER, STARTUP, Opener
from tests.web.test_requests import PROVIDER_NAME, REQUEST, SUBMIT, TITLE

SECOND_NAME = "滨海示例细胞治疗有限公司（虚构）"
SECOND_NAME_EN = "Binhai Example Cell Therapy Co. (fictional)"
ROUTE_ONE = """mutation($id: ID!) { routeRequest(id: $id, k: 1) {
  ... on RequestChanged { request { matches { providerUscc } } } } }"""


async def _rename(tx: Tx, uscc: str) -> None:
    await tx.run(
        "MATCH (o:Organization {uscc: $uscc}) SET o.name_zh = $zh, o.name_en = $en",
        uscc=uscc,
        zh=SECOND_NAME,
        en=SECOND_NAME_EN,
    )


async def _routed_to_one(live_hub: LiveHub, token: str) -> str:
    """Submits the usual request and routes it to one provider only; returns which."""
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=live_hub.url, headers=headers, timeout=30) as http:
        sent = await http.post("/graphql", json={"query": SUBMIT, "variables": {"i": REQUEST}})
        request_id = sent.json()["data"]["submitRequest"]["request"]["id"]
        routed = await http.post(
            "/graphql", json={"query": ROUTE_ONE, "variables": {"id": request_id}}
        )
        body: dict[str, Any] = routed.json()
    [match] = body["data"]["routeRequest"]["request"]["matches"]
    uscc: str = match["providerUscc"]
    return uscc


async def test_switching_organization_shows_the_other_ones_profile_and_inbox(
    network: Database, open_console: Opener, live_hub: LiveHub
) -> None:
    await network.write(_rename, OTHER_PROVIDER)
    startup = await factories.token(network, "cmc@startup.test", f"requester:{STARTUP}")
    routed_to = await _routed_to_one(live_hub, startup)
    token = await factories.token(
        network, "bd@group.test", f"provider:{PROVIDER}", f"provider:{OTHER_PROVIDER}"
    )
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page
    switcher = page.get_by_role("navigation").get_by_label("服务方机构")
    await expect(switcher.get_by_role("option")).to_have_text([PROVIDER_NAME, SECOND_NAME])

    await switcher.select_option(label=PROVIDER_NAME)
    await console.go("profile")
    await expect(page.get_by_label("中文名称")).to_have_value(PROVIDER_NAME)
    await switcher.select_option(label=SECOND_NAME)
    await expect(page.get_by_label("中文名称")).to_have_value(SECOND_NAME)
    await expect(page.get_by_label("统一社会信用代码")).to_have_value(OTHER_PROVIDER)
    await console.shot("acting-switched-profile")

    await page.reload()
    await expect(switcher).to_have_value(OTHER_PROVIDER)
    await expect(page.get_by_label("中文名称")).to_have_value(SECOND_NAME)

    await console.go("inbox")
    for uscc, name in [(OTHER_PROVIDER, SECOND_NAME), (PROVIDER, PROVIDER_NAME)]:
        await switcher.select_option(label=name)
        await expect(page.get_by_text(f"代表：{name}")).to_be_visible()
        item = page.get_by_role("article", name=TITLE)
        if uscc == routed_to:
            await expect(item.get_by_role("button", name="接受并报价")).to_be_visible()
        else:
            await expect(page.get_by_text("没有待处理的需求。")).to_be_visible()
            await expect(item).to_have_count(0)
        await console.shot(f"acting-inbox-{'routed' if uscc == routed_to else 'empty'}")

    await page.get_by_role("button", name="English").click()
    switcher = page.get_by_role("navigation").get_by_label("Provider organization")
    await expect(switcher.get_by_role("option")).to_have_text(
        ["E-Town Example Biologics Co. (fictional)", SECOND_NAME_EN]
    )


async def test_one_organization_is_named_without_a_choice(
    network: Database, open_console: Opener
) -> None:
    token = await factories.token(network, "bd@provider.test", f"provider:{PROVIDER}")
    console = await open_console("zh")
    await console.sign_in(token)
    nav = console.page.get_by_role("navigation")
    await expect(nav.get_by_role("combobox")).to_have_count(0)
    await expect(nav.get_by_text(PROVIDER_NAME)).to_be_visible()
