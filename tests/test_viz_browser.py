"""The explorer page in a real headless Chromium (offline, escaped, searchable), the charts,
and the errors of ``kg viz`` / ``kg plot``.

The browser tests skip when Chromium or Playwright is missing, except in CI (CI=true), where
that is a failure.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import explorer_page
import networkx as nx
import pytest
from explorer_page import assert_clean, run

from kg.analysis.projections import VIEWS
from kg.cli.drawing import MEASURE_NAMES, PLOT_NAMES, VIEW_NAMES
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

browser, visit = explorer_page.browser, explorer_page.visit  # the fixtures


@pytest.fixture(scope="module")
def xss_landscape():
    return Landscape.load([XSS])


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
    seen.page.wait_for_function("kgExplorer.complete", timeout=20000)
    assert seen.js("kgExplorer.nodes.length") == graph.number_of_nodes()
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
     "Invalid value for '{timeline|funding|positioning|users|frontier-gap}'"),
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
