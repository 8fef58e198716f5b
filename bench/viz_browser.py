"""How fast the explorer page of a 5,000-node graph is usable in headless Chromium.

    .venv/bin/python bench/viz_browser.py [--models 3800] [--runs 3]

Loads the ontology plus a synthetic landscape (bench/synthetic.py; 3,800 models give about
5,000 nodes in the full view), writes its explorer page (fixed positions, no physics, as for
every graph above kg.viz.explorer.LARGE nodes), then opens it in Debian's Chromium (headless,
network blocked) and reports the time from navigation until ``window.kgExplorer.ready``
(goal: under 3 s), and the time of each step before it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from synthetic import synthetic_landscape  # noqa: E402

from kg.analysis.projections import full_graph  # noqa: E402
from kg.viz.explorer import centrality, explorer_html, positions  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def step(name: str, start: float) -> float:
    now = time.perf_counter()
    print(f"{name:34} {now - start:7.2f} s", flush=True)
    return now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=3800)
    parser.add_argument("--runs", type=int, default=3, help="page loads (fresh contexts)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    store = synthetic_landscape(args.models).store
    start = step(f"generate + load ({len(store)} quads)", start)
    graph = full_graph(store)
    start = step(f"full view ({graph.number_of_nodes()} nodes, "
                 f"{graph.number_of_edges()} edges)", start)
    sizes = centrality(graph, "degree")
    start = step("degree centrality", start)
    positions(graph)
    start = step("layout alone (kg.viz.explorer.positions)", start)
    html = explorer_html(graph, title="synthetic landscape", size_by=sizes)
    page_file = Path(tempfile.mkdtemp(prefix="kg-viz-bench-")) / "explorer.html"
    page_file.write_text(html, encoding="utf-8")
    start = step(f"page incl. layout ({len(html) / 1e6:.1f} MB)", start)

    url = page_file.as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        start = step("launch chromium", start)
        loads = []
        for _ in range(args.runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            blocked: list[str] = []
            context.route("**/*", lambda r, b=blocked: r.continue_() if r.request.url == url
                          else (b.append(r.request.url), r.abort()))
            page = context.new_page()
            began = time.perf_counter()
            page.goto(url)
            page.wait_for_function("window.kgExplorer && window.kgExplorer.ready",
                                   polling="raf", timeout=60000)
            loads.append(time.perf_counter() - began)
            count = page.evaluate("kgExplorer.nodeCount")
            print(f"{'  page load -> kgExplorer.ready':34} {loads[-1]:7.2f} s  "
                  f"({count} nodes drawn, {len(blocked)} requests blocked)", flush=True)
            context.close()
        browser.close()
    verdict = "meets" if statistics.median(loads) < 3 else "misses"
    print(f"median time to ready {statistics.median(loads):.2f} s ({verdict} the 3 s goal)")


if __name__ == "__main__":
    main()
