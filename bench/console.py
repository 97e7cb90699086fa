"""Console benchmark: how long the park page takes to draw a park of ~2,000 firms.

    .venv/bin/python -m bench.console --park-orgs 2000 --park BJ-ETOWN --runs 5

Loads the same synthetic park as bench/network.py (its firms, partners outside, past
engagements), signs in a park operator, then opens `/console/#/parks/<park>` in headless
Debian chromium (Playwright, never `playwright install`) `--runs` times per layout, each
in a fresh browser context (cold page: bundle, sign-in check, the network query, the
Cytoscape.js chunk, layout, first paint). A run ends when the graph's container says
`data-state="ready"` (layout done and two frames drawn); the time is the page's own
`performance.now()` then, i.e. from the start of the navigation. Then a tap on the park's
node as soon as the graph is ready, timed in the page from the press to its details shown:
the page answers (its main thread is free again).
`--data uncached` touches the data before each visit (bench/network.py's `_uncache`), so
the hub computes everything the page asks for, figures included; `cached` visits the
same data again. A first visit per layout and mode warms the hub up and is printed but not
counted. Prints each run and the median and max per layout and mode; "data" = when the
network's answer reached the page (the page's `park:graph-data` mark; the page before it
had none), "layout and draw" = from the graph component's start to ready (building the
elements, the layout, the first frames; with the Cytoscape.js chunk's loading when it was
not fetched earlier).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from bench.common import live_hub, neo4j
from bench.network import _uncache, build, operator_token
from hub.db.driver import Database, open_driver
from hub.web.console import CONSOLE_DIR

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY = "[data-testid=network-graph][data-state=ready]"


# Where the park's node is drawn on the page (the middle of the ring layout).
PARK_NODE = """() => {
  const cy = window.__hubGraph;
  const node = cy.nodes('[kind = "PARK"]')[0] ?? cy.nodes()[0];
  const at = node.renderedPosition();
  const box = document.querySelector('[data-testid=network-graph]').getBoundingClientRect();
  return [box.left + at.x, box.top + at.y];
}"""
# What a visit found, read once the tap was answered (the page before had no marks).
FOUND = """() => {
  const box = document.querySelector('[data-testid=network-graph]').dataset;
  return {
    ready: Number(box.readyAt), draw: Number(box.layoutMs),
    nodes: Number(box.nodes), edges: Number(box.edges),
    data: performance.getEntriesByName('park:graph-data')[0]?.startTime ?? null,
    pressed: window.__pressedAt, tap: performance.now() - window.__pressedAt,
  };
}"""


async def _visit(
    browser: Browser, url: str, token: str, park: str, layout: str, shot: Path | None
) -> dict[str, float | None]:
    """One cold page (fresh context): ready, its parts, and a tap on the park's node as
    soon as it is ready, timed from the press (in the page) to its details shown."""
    context = await browser.new_context(viewport={"width": 1280, "height": 860})
    await context.add_init_script(
        f"sessionStorage.setItem('hub.token', '{token}');localStorage.setItem('hub.lang', 'zh');"
        "addEventListener('pointerdown', () => { window.__pressedAt ??= performance.now(); },"
        " true);"
    )
    try:
        page = await context.new_page()
        await page.goto(f"{url}/console/#/parks/{park}?layout={layout}")
        graph = page.locator(READY)
        await graph.wait_for(state="attached", timeout=600_000)
        x, y = await page.evaluate(PARK_NODE)
        await page.mouse.click(x, y)
        await page.locator("dl.node-detail").wait_for(timeout=600_000)
        found: dict[str, float | None] = await page.evaluate(FOUND)
        if shot:
            await graph.screenshot(path=shot)
        return found
    finally:
        await context.close()


def _line(found: dict[str, float | None]) -> str:
    def s(key: str) -> str:
        value = found[key]
        return "—" if value is None else f"{value / 1000:.2f} s"

    return (
        f"drawn {s('ready')} from navigation (data {s('data')}, layout and draw {s('draw')}); "
        f"a tap pressed at {s('pressed')} answered in {s('tap')}; "
        f"{found['nodes']:.0f} nodes, {found['edges']:.0f} edges"
    )


async def draw(
    url: str,
    db: Database,
    token: str,
    park: str,
    layouts: list[str],
    modes: list[str],
    runs: int,
    shots: Path | None,
) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for layout, mode in ((layout, mode) for layout in layouts for mode in modes):
                seen = []
                for run in range(-1, runs):  # run -1: the first visit (cold hub), not counted
                    if mode == "uncached":
                        await db.write(_uncache)
                    shot = shots / f"bench-park-{layout}.png" if shots and run == runs - 1 else None
                    found = await _visit(browser, url, token, park, layout, shot)
                    name = "warm-up" if run < 0 else f"run {run + 1}"
                    print(f"  {layout:6} {mode:8} {name}: {_line(found)}", flush=True)
                    if run >= 0:
                        seen.append(found)
                _summary(layout, mode, seen)
        finally:
            await browser.close()


def _summary(layout: str, mode: str, seen: list[dict[str, float | None]]) -> None:
    def seconds(key: str) -> str:
        values = [v / 1000 for v in (f[key] for f in seen) if v is not None]
        if not values:
            return "—"
        return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s"

    print(
        f"{layout} ({mode} data): navigation to drawn: n={len(seen)} {seconds('ready')}; "
        f"data in the page {seconds('data')}; layout and draw {seconds('draw')}; "
        f"a tap pressed {seconds('pressed')}, answered in {seconds('tap')}",
        flush=True,
    )


async def main(a: argparse.Namespace) -> None:
    with neo4j() as settings:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database)
            await build(db, a.park_orgs, a.outside, a.park, a.engagements, a.seed)
            token = await operator_token(db, a.park)
            with live_hub(settings) as url:
                layouts, modes = a.layouts.split(","), a.data.split(",")
                await draw(url, db, token, a.park, layouts, modes, a.runs, a.shots)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--park-orgs", type=int, default=2_000, help="firms of the park")
    parser.add_argument("--outside", type=float, default=0.2, help="share of other firms")
    parser.add_argument("--park", default="BJ-ETOWN")
    parser.add_argument("--engagements", type=int, default=2, help="per firm of the park")
    parser.add_argument(
        "--layouts", default="auto,fcose", help="comma-separated: auto (the default), fcose, rings"
    )
    parser.add_argument(
        "--data", default="uncached,cached", help="comma-separated: uncached, cached (see above)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shots", type=Path, help="folder for a screenshot of each layout")
    a = parser.parse_args()
    if not (CONSOLE_DIR / "index.html").exists():
        sys.exit("the console is not built: `make assets`")
    if not CHROMIUM.exists():
        sys.exit("no /usr/bin/chromium: apt-get install chromium fonts-wqy-zenhei")
    if a.shots:
        a.shots.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(a))
