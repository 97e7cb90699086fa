"""The park view of an operator: the network drawn with Cytoscape.js, filters, coverage
and gaps, unmet demand, whom to recruit, capacity use, the map, exports; another park's
operator sees nothing of it."""

from __future__ import annotations

from playwright.async_api import expect

from hub.db.driver import Database
from tests import factories
from tests.network import sample
from tests.web.conftest import Opener

# The graph has been redrawn for the branch: ready, and every capability in the branch.
BRANCH_DRAWN = """branch => {
  const box = document.querySelector('[data-testid=network-graph]');
  const caps = window.__hubGraph?.nodes('[kind = "CAPABILITY"]');
  return box?.dataset.state === 'ready' && caps.length > 0
    && caps.every(n => n.data('key').startsWith(branch));
}"""
KINDS_DRAWN = """() => {
  const box = document.querySelector('[data-testid=network-graph]');
  const firms = window.__hubGraph?.nodes('[kind = "ORGANIZATION"][!external]');
  return box?.dataset.state === 'ready' && firms.length > 0
    && firms.every(n => n.data('colour') !== '#0b5cab');
}"""


async def test_operator_sees_its_park_network(parks: Database, open_console: Opener) -> None:
    token = await factories.token(parks, "ops-a@park.test", f"operator:{sample.A}")
    console = await open_console("zh")
    await console.sign_in(token)
    page = console.page
    await console.go("parks")
    park_map = page.get_by_role("group", name="京津冀生物医药园区地图")
    await expect(park_map.locator("circle")).not_to_have_count(0)
    await console.shot("parks-map")
    await park_map.get_by_role("link", name="北京经济技术开发区").click()

    graph = page.get_by_test_id("network-graph")
    await expect(graph).to_have_attribute("data-state", "ready")
    drawn = await page.evaluate("window.__hubGraph.nodes().length")
    # a1..a5, their partners b1 and c1 outside, the capabilities offered, the park
    assert drawn >= 8
    await expect(graph).to_have_attribute("data-nodes", str(drawn))
    await expect(graph).to_have_attribute("data-layout", "fcose")
    labels = await page.evaluate("window.__hubGraph.nodes().map(n => n.data('label'))")
    assert "Firm a1（虚构）" in labels
    assert any("北京经济技术开发区" in label for label in labels), labels

    coverage = page.get_by_role("table", name="能力覆盖与缺口")
    missing = coverage.get_by_role("row").filter(has_text="BIO.USP.PRF")
    await expect(missing.locator("[data-status=MISSING]")).to_have_text("缺失")
    single = coverage.get_by_role("row").filter(has_text="BIO.DSP.CAP")
    await expect(single).to_contain_text("Firm a3（虚构）")
    await expect(single).to_have_class("row-single")
    await expect(
        page.get_by_role("table", name="未满足的需求").get_by_role("row").filter(has_text="Firm a2")
    ).not_to_have_count(0)
    await expect(page.get_by_role("table", name="招商建议")).to_contain_text("CGT.VEC.AAV")
    await expect(
        page.get_by_role("img", name="产能利用率柱状图").locator("rect")
    ).not_to_have_count(0)
    await expect(page.locator("dl.figures dt").filter(has_text="合作社群")).to_be_visible()
    await expect(page.get_by_role("button", name="下载 指标 CSV")).to_be_visible()
    await console.shot("park-network")

    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="下载 GraphML").click()
    graphml = await downloading.value
    assert graphml.suggested_filename == f"{sample.A}-network.graphml"
    assert "<graphml" in (await graphml.path()).read_text(encoding="utf-8")
    async with page.expect_download() as downloading:
        await page.get_by_role("group", name="能力覆盖与缺口").get_by_role("button").click()
    assert (await downloading.value).suggested_filename == f"{sample.A}-coverage.csv"

    # Filter by a capability branch: only BIO capabilities are left, in the graph and tables.
    await page.get_by_label("能力分支", exact=True).select_option("BIO")
    await page.wait_for_function(BRANCH_DRAWN, arg="BIO")
    codes = await page.evaluate(
        "window.__hubGraph.nodes('[kind = \"CAPABILITY\"]').map(n => n.data('key'))"
    )
    assert codes and all(c.startswith("BIO") for c in codes), codes
    await expect(coverage).to_contain_text("BIO.USP.FB")
    await expect(coverage).not_to_contain_text("DIS.CHM.MED")
    await page.get_by_label("显示", exact=True).select_option("SINGLE")
    await expect(coverage.locator("tbody tr")).to_have_count(
        await coverage.locator("tbody tr.row-single").count()
    )
    await console.shot("park-network-bio")

    # Only requesters (and firms that are both): no pure provider of the park is drawn.
    await page.get_by_label("需求方", exact=True).check()
    await page.wait_for_function(KINDS_DRAWN)
    await console.shot("park-network-requesters")


async def test_another_parks_operator_sees_nothing_of_it(
    parks: Database, open_console: Opener
) -> None:
    token = await factories.token(parks, "ops-b@park.test", f"operator:{sample.B}")
    console = await open_console("en")
    await console.sign_in(token)
    page = console.page
    await console.go("parks")
    await expect(page.get_by_role("table", name="Parks")).to_be_visible()
    park_map = page.get_by_role("group", name="Map of the biomedical parks")
    await expect(park_map.get_by_role("link")).to_have_count(1)  # its own park only
    await console.go(f"parks/{sample.A}")
    await expect(page.get_by_role("alert")).to_be_visible()
    await expect(page.get_by_test_id("network-graph")).to_have_count(0)
    await expect(page.get_by_role("table")).to_have_count(0)
    assert await page.evaluate("window.__hubGraph === undefined")
    await expect(page.locator("main")).not_to_contain_text("Firm a")
    await console.shot("park-network-other-operator")
