"""An operator downloads the park network's exports: a bar says how far each is (the hub
preparing the file, with the seconds counted, then the bytes received of Content-Length),
the file is saved and valid; a failed download says why next to the buttons, in the
language chosen.

The sample park is small, so the test makes the two phases last long enough to be seen:
the request is held back two seconds before it reaches the hub (a slow build), and
Chromium's network emulation slows the body to about three seconds.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
from playwright.async_api import Route, expect

from hub.db.driver import Database
from tests import factories
from tests.conftest import LiveHub
from tests.network import sample
from tests.web.conftest import Console, Opener

GRAPHML = re.compile(r"/network/network\.graphml\?")
JSON = re.compile(r"/network/network\.json\?")
UNTHROTTLED = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
# Every state of the export bar, as the page shows it (set before the click).
RECORD_BAR = """() => {
  window.seenBar = [];
  new MutationObserver(() => {
    const box = document.querySelector('.export-progress');
    if (!box) return;
    const bar = box.querySelector('progress');
    window.seenBar.push({
      text: box.querySelector('[role=status]').textContent,
      indeterminate: bar.matches(':indeterminate'),
      value: bar.value,
      max: bar.max,
    });
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ['value', 'max']});
}"""


def _contents(path: Path) -> bytes:
    return path.read_bytes()


async def _held_back(route: Route) -> None:
    await asyncio.sleep(2)
    await route.continue_()


async def _open_park(parks: Database, open_console: Opener, lang: str) -> tuple[Console, str]:
    token = await factories.token(parks, f"ops-{lang}@park.test", f"operator:{sample.A}")
    console = await open_console(lang)
    await console.sign_in(token)
    await console.go(f"parks/{sample.A}")
    await expect(console.page.get_by_test_id("network-graph")).to_have_attribute(
        "data-state", "ready"
    )
    return console, token


async def test_an_export_shows_its_progress_then_saves_a_valid_file(
    parks: Database, open_console: Opener, live_hub: LiveHub
) -> None:
    console, token = await _open_park(parks, open_console, "zh")
    page = console.page
    async with httpx.AsyncClient(base_url=live_hub.url) as client:
        direct = await client.get(
            "/network/network.graphml",
            params={"parks": sample.A},
            headers={"authorization": f"Bearer {token}"},
        )
    # A plain answer of the whole file: its size is known before the body is read.
    assert direct.headers["content-length"] == str(len(direct.content))
    group = page.get_by_role("group", name="导出网络")
    status = group.get_by_role("status")
    bar = group.get_by_role("progressbar", name="导出进度")
    await page.evaluate(RECORD_BAR)
    await page.route(GRAPHML, _held_back)
    network = await page.context.new_cdp_session(page)
    await network.send("Network.enable")
    await network.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": max(len(direct.content) // 3, 1_000),
            "uploadThroughput": -1,
        },
    )
    filename = f"{sample.A}-network.graphml"

    async with page.expect_download(timeout=30_000) as downloading:
        await group.get_by_role("button", name="下载 GraphML").click()
        await expect(status).to_have_text(f"平台正在生成 {filename}… 已等待 1 秒")
        await expect(group.locator("progress:indeterminate")).to_be_visible()
        await expect(group.get_by_role("button", name="下载 JSON")).to_be_disabled()
        await console.shot("park-export-preparing")
        await expect(status).to_contain_text(f"正在接收 {filename}：")
        await console.shot("park-export-receiving")
    saved = await downloading.value
    await network.send("Network.emulateNetworkConditions", UNTHROTTLED)
    await page.unroute(GRAPHML)

    content = _contents(await saved.path())
    size = len(content)
    assert saved.suggested_filename == filename
    graph = nx.parse_graphml(content)
    assert graph.number_of_nodes() >= 8, graph.number_of_nodes()
    await expect(status).to_have_text(re.compile(rf"已保存 {re.escape(filename)}（[\d.]+ KB）"))
    await expect(bar).to_have_js_property("value", size)
    await expect(bar).to_have_js_property("max", size)
    await expect(group.get_by_role("button", name="下载 JSON")).to_be_enabled()
    seen: list[dict[str, Any]] = await page.evaluate("window.seenBar")
    assert any(s["indeterminate"] and "已等待 0 秒" in s["text"] for s in seen), seen
    on_the_way = [s for s in seen if not s["indeterminate"] and 0 < s["value"] < s["max"]]
    assert on_the_way, f"the bar should stop on the way to the end; it showed {seen}"
    assert all(s["max"] == size for s in on_the_way), seen  # out of Content-Length

    async with page.expect_download() as downloading:
        await group.get_by_role("button", name="下载 JSON").click()
    elements = json.loads(_contents(await (await downloading.value).path()))
    assert len(elements["elements"]["nodes"]) == graph.number_of_nodes()
    await expect(status).to_contain_text(f"已保存 {sample.A}-network.json")
    await console.shot("park-export-saved")


async def test_a_failed_export_says_why_next_to_the_buttons(
    parks: Database, open_console: Opener, live_hub: LiveHub
) -> None:
    console, token = await _open_park(parks, open_console, "en")
    page = console.page
    group = page.get_by_role("group", name="Export the network")

    # Another park's file: the hub's own "not found", in the language chosen.
    async def elsewhere(route: Route) -> None:
        await route.continue_(url=route.request.url.replace(sample.A, sample.B))

    await page.route(GRAPHML, elsewhere)
    async with httpx.AsyncClient(base_url=live_hub.url) as client:
        answer = await client.get(
            "/network/network.graphml",
            params={"parks": sample.B},
            headers={"authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 404
    said = answer.json()
    await group.get_by_role("button", name="Download GraphML").click()
    await expect(group.get_by_role("alert")).to_have_text(said["messageEn"])
    await expect(group.get_by_role("progressbar")).to_have_count(0)
    await expect(group.get_by_role("button", name="Download GraphML")).to_be_enabled()
    await console.shot("park-export-failed")
    await page.get_by_role("button", name="中文").click()
    await expect(page.get_by_role("group", name="导出网络").get_by_role("alert")).to_have_text(
        said["messageZh"]
    )
    await page.get_by_role("button", name="English").click()

    # No answer at all.
    await page.route(JSON, lambda route: route.abort())
    await group.get_by_role("button", name="Download JSON").click()
    await expect(group.get_by_role("alert")).to_have_text("Cannot reach the hub; check the network")
