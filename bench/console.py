"""Console benchmark: how long the park page takes to draw a park of ~2,000 firms.

    .venv/bin/python -m bench.console --park-orgs 2000 --park BJ-ETOWN --runs 5

Loads the same synthetic park as bench/network.py (its firms, partners outside, past
engagements), signs in a park operator, then opens `/console/#/parks/<park>` in headless
Debian chromium (Playwright, never `playwright install`) `--runs` times per layout, each
in a fresh browser context (cold page: bundle, sign-in check, the network query, the
Cytoscape.js chunk, layout, first paint). A run ends when the graph's container says
`data-state="ready"` (layout done and two frames drawn); the time is the page's own
`performance.now()` then, i.e. from the start of the navigation. A first visit per layout
warms the hub up and is printed but not counted. Prints each run and the median and max
per layout; "layout and draw" = from the network's arrival in the page to ready (loading
the Cytoscape.js chunk, building the elements, the layout, the first frames).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import async_playwright

from bench.common import live_hub, neo4j
from bench.network import build
from hub.db.driver import Database, open_driver
from hub.identity import service as identity
from hub.identity.model import Role
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


async def operator_token(db: Database, park: str) -> str:
    token, _ = await identity.issue_token(
        db, f"ops@{park.lower()}.test", frozenset({Role.parse(f"operator:{park}")}), "bench"
    )
    return token


async def draw(
    url: str, token: str, park: str, layouts: list[str], runs: int, shots: Path | None
) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for layout in layouts:
                total, drawing = [], []
                for run in range(-1, runs):  # run -1: the first visit (cold hub), not counted
                    context = await browser.new_context(viewport={"width": 1280, "height": 860})
                    await context.add_init_script(
                        f"sessionStorage.setItem('hub.token', '{token}');"
                        "localStorage.setItem('hub.lang', 'zh');"
                    )
                    page = await context.new_page()
                    began = time.perf_counter()
                    await page.goto(f"{url}/console/#/parks/{park}?layout={layout}")
                    graph = page.locator(READY)
                    await graph.wait_for(state="attached", timeout=600_000)
                    wall = time.perf_counter() - began
                    ready_at = float(await graph.get_attribute("data-ready-at") or "nan")
                    layout_ms = float(await graph.get_attribute("data-layout-ms") or "nan")
                    nodes = await graph.get_attribute("data-nodes")
                    edges = await graph.get_attribute("data-edges")
                    used = await graph.get_attribute("data-layout")
                    name = "warm-up" if run < 0 else f"run {run + 1}"
                    print(
                        f"  {layout:6} {name}: {ready_at / 1000:.2f} s from navigation "
                        f"(layout and draw {layout_ms / 1000:.2f} s; wall {wall:.2f} s); "
                        f"{nodes} nodes, {edges} edges drawn ({used})",
                        flush=True,
                    )
                    if run >= 0:
                        total.append(ready_at / 1000)
                        drawing.append(layout_ms / 1000)
                    if shots and run == runs - 1:
                        await graph.screenshot(path=shots / f"bench-park-{layout}.png")
                    await context.close()
                print(
                    f"{layout}: navigation to layout done: n={runs} "
                    f"median {statistics.median(total):.2f} s, max {max(total):.2f} s; "
                    f"of which layout and draw: median {statistics.median(drawing):.2f} s, "
                    f"max {max(drawing):.2f} s"
                )
        finally:
            await browser.close()


async def main(
    target: int,
    outside: float,
    park: str,
    per_firm: int,
    layouts: list[str],
    runs: int,
    seed: int,
    shots: Path | None,
) -> None:
    with neo4j() as settings:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database)
            await build(db, target, outside, park, per_firm, seed)
            token = await operator_token(db, park)
        with live_hub(settings) as url:
            await draw(url, token, park, layouts, runs, shots)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--park-orgs", type=int, default=2_000, help="firms of the park")
    parser.add_argument("--outside", type=float, default=0.2, help="share of other firms")
    parser.add_argument("--park", default="BJ-ETOWN")
    parser.add_argument("--engagements", type=int, default=2, help="per firm of the park")
    parser.add_argument(
        "--layouts", default="auto,fcose", help="comma-separated: auto (the default), fcose, rings"
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
    asyncio.run(
        main(
            a.park_orgs,
            a.outside,
            a.park,
            a.engagements,
            a.layouts.split(","),
            a.runs,
            a.seed,
            a.shots,
        )
    )
