"""How fast the explorer page of the fused landscape paints in headless Chromium, against the
explorer of an earlier commit (the baseline).

    .venv/bin/python bench/viz_browser.py [--view full] [--runs 3] [--baseline main]
    .venv/bin/python bench/viz_browser.py --synthetic 3800     # a synthetic landscape instead

Writes the explorer page of the fused landscape (every source, ``KG_SOURCES=all``: about
4,000 nodes and 8,700 edges in the full view) with this checkout's ``kg viz``, and the same
view with the ``kg viz`` of ``--baseline`` (a git revision, exported with ``git archive``
and run in its own process and cache folder; ``--baseline none`` skips it). Then opens each
page ``--runs`` times in Debian's Chromium (headless, every request but the page blocked)
and reports, from navigation start (``performance.now()`` in the page):

* first paint: when ``window.kgExplorer`` is set, after the first drawing of the canvas
  (goal: under 3 s);
* complete: when every node is drawn (this checkout's explorer paints the biggest nodes
  first and adds the rest in batches; the baseline draws everything at once).

It prints each run, the medians, and the ratio baseline / this checkout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: Records when the page sets window.kgExplorer (both explorers do so after the first drawing).
READY_PROBE = """
Object.defineProperty(window, "kgExplorer", {configurable: true,
  get() { return this.__kgExplorer; },
  set(value) { this.__kgExplorer = value; window.__kgReadyAt = performance.now(); }});
"""


def write_page(python: str, checkout: Path, out: Path, view: str, cache: Path | None) -> float:
    """Run ``kg viz`` of ``checkout`` in its own process; returns its wall time in seconds."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "KG_SOURCES": "all"}
    if cache is not None:
        env["KG_CACHE_DIR"] = str(cache)
    began = time.perf_counter()
    subprocess.run([python, "-m", "kg", "viz", "--view", view, "--out", str(out)],
                   cwd=checkout, env=env, check=True, stderr=subprocess.PIPE)
    return time.perf_counter() - began


def synthetic_page(models: int, out: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import synthetic_landscape  # type: ignore[import-not-found]

    from kg.analysis.projections import full_graph
    from kg.viz.explorer import centrality, write_explorer

    graph = full_graph(synthetic_landscape(models).store)
    write_explorer(graph, out, title="synthetic landscape", size_by=centrality(graph, "degree"))


def measure(browser, page_file: Path, runs: int) -> list[tuple[float, float]]:
    """(first paint, complete) in seconds from navigation start, per run."""
    url = page_file.as_uri()
    found = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        blocked: list[str] = []
        context.route("**/*", lambda r, b=blocked: r.continue_() if r.request.url == url
                      else (b.append(r.request.url), r.abort()))
        context.add_init_script(READY_PROBE)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("window.__kgReadyAt !== undefined", timeout=120000)
        page.wait_for_function("window.kgExplorer.complete !== false", timeout=120000)
        first, done, count = page.evaluate(
            "[window.__kgReadyAt, window.kgExplorer.completeAt || window.__kgReadyAt,"
            " window.kgExplorer.nodes.length]")
        found.append((first / 1000, done / 1000))
        print(f"  {page_file.name:24} first paint {first / 1000:5.2f} s, complete "
              f"{done / 1000:5.2f} s ({count} nodes drawn, {len(blocked)} requests blocked)",
              flush=True)
        context.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--view", default="full")
    parser.add_argument("--runs", type=int, default=3, help="page loads (fresh contexts)")
    parser.add_argument("--baseline", default="main",
                        help="git revision whose explorer is the baseline ('none': skip)")
    parser.add_argument("--synthetic", type=int, metavar="MODELS",
                        help="draw a synthetic landscape of MODELS models instead (no baseline)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kg-viz-bench-"))
    pages: dict[str, Path] = {}
    if args.synthetic:
        pages["this checkout"] = work / "synthetic.html"
        synthetic_page(args.synthetic, pages["this checkout"])
    else:
        pages["this checkout"] = work / "explorer-new.html"
        took = write_page(sys.executable, ROOT, pages["this checkout"], args.view, None)
        print(f"kg viz --view {args.view} (this checkout, all sources): {took:.1f} s, "
              f"{pages['this checkout'].stat().st_size / 1e6:.1f} MB")
        if args.baseline != "none":
            revision = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short",
                                       args.baseline], check=True, capture_output=True,
                                      text=True).stdout.strip()
            old = work / "baseline"
            old.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision],
                                     check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            name = f"baseline {args.baseline} ({revision})"
            pages[name] = work / "explorer-baseline.html"
            took = write_page(sys.executable, old, pages[name], args.view, work / "cache")
            print(f"kg viz --view {args.view} ({name}, all sources, cold cache): {took:.1f} s, "
                  f"{pages[name].stat().st_size / 1e6:.1f} MB")
    medians = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for name, page_file in pages.items():
            print(f"{name}:")
            runs = measure(browser, page_file, args.runs)
            medians[name] = (statistics.median(r[0] for r in runs),
                             statistics.median(r[1] for r in runs))
        browser.close()
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for name, (first, done) in medians.items():
        verdict = "meets" if first < 3 else "misses"
        print(f"{name:28} median first paint {first:5.2f} s ({verdict} the 3 s goal), "
              f"complete {done:5.2f} s")
    new = medians["this checkout"]
    for name, (first, done) in medians.items():
        if name != "this checkout":
            print(f"ratio {name} / this checkout: first paint {first / new[0]:.2f}x, "
                  f"complete {done / new[1]:.2f}x")


if __name__ == "__main__":
    main()
