"""The explorer page in a real headless Chromium (offline, escaped, searchable), the charts,
and the errors of ``kg viz`` / ``kg plot``.

The browser tests skip when Chromium or Playwright is missing, except in CI (CI=true), where
that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analysis.projections import VIEWS
from kg.cli.drawing import MEASURE_NAMES, PLOT_NAMES, VIEW_NAMES, plot, viz
from kg.cli.main import KgGroup, Settings
from kg.landscape import Landscape
from kg.viz.explorer import LARGE, MEASURES, explorer_html, positions, write_explorer
from kg.viz.plots import PLOTS

XSS = Path(__file__).parent / "fixtures" / "viz" / "xss.ttl"
#: Extra settings a chart needs to have something to draw: the frontier-gap chart needs models
#: with a training compute, which the fixture holds whatever the shipped graph does.
CHART_SETTINGS = {"frontier-gap": {"data": [Path(__file__).parent / "fixtures" / "frontier"
                                            / "frontier-gap.ttl"]}}
XSS_LABEL = "<img src=x onerror=alert(1)>"
SCRIPT_LABEL = "</script><script>alert('lab')</script>"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def run(*args: str, **settings) -> tuple[int, str]:
    """Run ``kg viz`` / ``kg plot`` under a KgGroup, as the ``kg`` command does."""
    group = KgGroup(commands={"viz": viz, "plot": plot})
    result = CliRunner().invoke(group, list(args), obj=Settings(**settings))
    if result.exit_code not in (0, 1, 2):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def xss_landscape():
    return Landscape.load([XSS])


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"chromium is missing ({CHROMIUM}); scripts/test.sh installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """An open explorer page and everything it tried: requests, errors, dialogs."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)


@pytest.fixture
def visit(browser):
    """Open a page with the network blocked: only the page's own file:// URL may load."""
    contexts = []

    def open_page(path: Path) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 800},
                                      service_workers="block")
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        url = path.resolve().as_uri()

        def route(request_route):
            if request_route.request.url == url:
                request_route.continue_()
            else:
                seen.requests.append(request_route.request.url)
                request_route.abort()

        context.route("**/*", route)
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_function("window.kgExplorer && window.kgExplorer.ready", timeout=20000)
        return seen

    yield open_page
    for context in contexts:
        context.close()


def assert_clean(seen: Visit) -> None:
    assert seen.requests == [], "the page tried to fetch something"
    assert seen.errors == []
    assert seen.dialogs == []
    assert seen.js("document.querySelectorAll('img').length") == 0


# --------------------------------------------------------------------------- in the browser
@pytest.mark.parametrize("view", VIEW_NAMES)
def test_each_view_renders_offline(view, tmp_path, visit, xss_landscape):
    out = tmp_path / f"{view}.html"
    assert run("viz", "--view", view, "--out", str(out), data=[XSS])[0] == 0
    seen = visit(out)
    assert seen.js("document.querySelectorAll('#kg-network canvas').length") == 1
    expected = VIEWS[view](xss_landscape.store).number_of_nodes()
    assert seen.js("kgExplorer.nodeCount") == expected > 0
    assert_clean(seen)


def test_html_labels_stay_text(tmp_path, visit):
    out = tmp_path / "xss.html"
    run("viz", "--view", "lab-model", "--out", str(out), data=[XSS])
    seen = visit(out)
    assert seen.js("q => kgExplorer.search(q)", "img src=x") == "model:xss-model"
    results = seen.js("[...document.querySelectorAll('#kg-results button')]"
                      ".map(b => b.textContent)")
    assert XSS_LABEL in results
    assert seen.js("q => kgExplorer.search(q)", SCRIPT_LABEL) == "org:xss-lab"
    # hover the node (held still): vis-network shows its tooltip as text
    seen.js("kgExplorer.network.setOptions({physics: false})")
    seen.js("id => kgExplorer.select(id)", "model:xss-model")
    x, y = seen.js("""id => {
        const net = kgExplorer.network, p = net.canvasToDOM(net.getPosition(id));
        const box = document.getElementById('kg-network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""", "model:xss-model")
    seen.page.mouse.move(x + 3, y + 3)
    seen.page.mouse.move(x, y)
    tooltip = seen.page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert XSS_LABEL in tooltip.inner_text()
    assert "src:xss-source" in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert_clean(seen)


def test_focus_title_is_escaped(tmp_path, visit):
    out = tmp_path / "focus.html"
    code, _ = run("viz", "--focus", "model:xss-model", "--depth", "1", "--out", str(out),
                  data=[XSS])
    assert code == 0
    seen = visit(out)
    assert XSS_LABEL in seen.js("document.title")
    assert XSS_LABEL in seen.js("document.querySelector('h1').textContent")
    assert seen.js("kgExplorer.nodeCount") > 1
    assert_clean(seen)


def test_search_selects_and_filter_hides(tmp_path, visit):
    out = tmp_path / "full.html"
    run("viz", "--out", str(out))
    seen = visit(out)
    seen.page.fill("#kg-query", "llama 2")
    seen.page.click("#kg-search button")
    assert seen.js("kgExplorer.network.getSelectedNodes()") == ["model:llama-2"]
    assert seen.js("q => kgExplorer.search(q)", "no such thing at all") is None
    models = seen.js("kgExplorer.nodes.get({filter: n => n.type === 'Model'}).length")
    seen.page.uncheck('#kg-legend input[data-type="Model"]')
    assert seen.js("kgExplorer.nodes.get({filter: n => n.hidden}).length") == models
    seen.js("q => kgExplorer.search(q)", "gpt-2")  # finding a hidden model shows its type
    assert seen.js("kgExplorer.nodes.get({filter: n => n.hidden}).length") == 0
    assert_clean(seen)


def test_large_graph_has_fixed_positions(tmp_path, visit):
    graph = nx.path_graph([f"model:m{i}" for i in range(LARGE + 100)])
    for node in graph:
        graph.nodes[node].update(label=node, type="Model", level="open-weights", sources=[])
    out = tmp_path / "large.html"
    write_explorer(graph, out, title="large")
    seen = visit(out)
    assert seen.js("kgExplorer.nodeCount") == graph.number_of_nodes()
    assert seen.js("kgExplorer.network.physics.physicsEnabled") is False
    assert_clean(seen)


# --------------------------------------------------------------------------- the page as text
def test_page_references_nothing_outside(landscape):
    html = explorer_html(VIEWS["full"](landscape.store), title="t")
    assert not re.search(r"""<(script|link|img|iframe)[^>]*\s(src|href)\s*=\s*["']?(https?:)?//""",
                         html, re.I)
    assert "@import" not in html
    assert all(u.startswith(("data:", '"data:', "'data:"))
               for u in re.findall(r"url\(\s*([^)]*)\)", html))
    assert "default-src 'none'" in html


def test_labels_are_escaped_in_the_html(xss_landscape):
    html = explorer_html(VIEWS["full"](xss_landscape.store), title=XSS_LABEL)
    assert XSS_LABEL not in html
    assert "</script><script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the title


def test_positions_are_seeded_and_complete():
    graph = nx.gnm_random_graph(LARGE + 50, 1500, seed=1)
    graph.add_nodes_from(["isolated-a", "isolated-b"])
    first = positions(graph)
    assert set(first) == set(graph) and first == positions(graph)


# --------------------------------------------------------------------------- charts
def distinct_colours(path: Path) -> int:
    import matplotlib.image

    pixels = matplotlib.image.imread(path)
    return len({tuple(p) for p in pixels.reshape(-1, pixels.shape[-1])[::7]})


@pytest.mark.parametrize("chart", PLOT_NAMES)
def test_png_charts(chart, tmp_path):
    out = tmp_path / f"{chart}.png"
    code, message = run("plot", chart, "--out", str(out), **CHART_SETTINGS.get(chart, {}))
    assert code == 0 and "wrote" in message
    content = out.read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    assert 10_000 < len(content) < 2_000_000
    assert distinct_colours(out) > 50


@pytest.mark.parametrize("chart", PLOT_NAMES)
def test_svg_charts(chart, tmp_path):
    out = tmp_path / f"{chart}.svg"
    assert run("plot", chart, "--out", str(out), **CHART_SETTINGS.get(chart, {}))[0] == 0
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert 10_000 < out.stat().st_size < 5_000_000
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 20


# --------------------------------------------------------------------------- CLI errors
def test_choices_match_the_api():
    assert VIEW_NAMES == tuple(VIEWS)
    assert PLOT_NAMES == tuple(PLOTS)
    assert MEASURE_NAMES == MEASURES


@pytest.mark.parametrize("args, code, message", [
    (("viz", "--focus", "no such entity anywhere"), 1, "no entity named"),
    (("viz", "--view", "competition", "--focus", "gpt-2"), 1, "not in the competition view"),
    (("viz", "--view", "nope"), 2, "Invalid value for '--view'"),
    (("viz", "--depth", "-1"), 2, "Invalid value for '--depth'"),
    (("plot", "timeline", "--out", "chart.gif"), 2, "must end in .png or .svg"),
    (("plot", "histogram", "--out", "x.png"), 2,
     "Invalid value for '{timeline|funding|positioning|frontier-gap}'"),
    (("plot", "funding"), 2, "Missing option '--out'"),
])
def test_usage_errors(args, code, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got, output = run(*args)
    assert (got, message in output) == (code, True), output
    assert "Traceback" not in output


@pytest.mark.parametrize("command", [("viz",), ("plot", "timeline")])
def test_unwritable_out_is_one_line(command, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, output = run(*command, "--out", str(blocker / "out.png"))
    assert code == 2
    assert output.count("\n") == 1 and output.startswith("Error: ") and "cannot write" in output


@pytest.mark.parametrize("command", [("viz", "--view", "funding"), ("plot", "funding")])
def test_nothing_to_show_as_of_long_ago(command, tmp_path):
    from datetime import date

    code, output = run(*command, "--out", str(tmp_path / "x.svg"), as_of=date(2010, 1, 1))
    assert code == 1 and "nothing to" in output
