"""The explorer's positioning view, openness colours, focus, details panel, level of detail
and user data from another namespace, in a real headless Chromium with the network blocked
(every test also checks that the page requested nothing and raised nothing)."""

from __future__ import annotations

from pathlib import Path

import explorer_page
import pytest
from explorer_page import assert_clean, run

from kg.analysis.projections import VIEWS
from kg.landscape import Landscape
from kg.viz.explorer import LEVEL_COLOURS, PLANE, TOP_LABELS, colour

FIXTURES = Path(__file__).parent / "fixtures" / "viz"
ACME = FIXTURES / "acme.ttl"
XSS = FIXTURES / "xss.ttl"
XSS_LABEL = "<img src=x onerror=alert(1)>"
browser, visit = explorer_page.browser, explorer_page.visit  # the fixtures


@pytest.fixture(scope="module")
def acme():
    return Landscape.load([ACME])


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Each page written once by ``kg viz`` (name -> path)."""
    folder = tmp_path_factory.mktemp("explorer")
    commands = {
        "positioning": (("--view", "positioning"), {"data": [ACME]}),
        "focus-meta": (("--focus", "Meta", "--depth", "2"), {}),
        "full": (("--pages", "http://127.0.0.1:8123"), {}),
        "competition": (("--view", "competition"), {}),
        "full-acme": ((), {"data": [ACME]}),  # kg --data acme.ttl viz
        "xss": (("--view", "lab-model", "--focus", "org:xss-lab"), {"data": [XSS]}),
    }
    written = {}
    for name, (args, settings) in commands.items():
        out = folder / f"{name}.html"
        code, output = run("viz", *args, "--out", str(out), **settings)
        assert code == 0, output
        written[name] = out
    return written


def dom_point(seen, node: str) -> tuple[float, float]:
    """Where ``node`` is on the screen (page coordinates)."""
    return tuple(seen.js("""id => {
        const net = kgExplorer.network, p = net.canvasToDOM(net.getPosition(id));
        const box = document.getElementById('kg-network').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""", node))


def click_node(seen, node: str) -> None:
    """Bring ``node`` on screen and click it with the mouse."""
    seen.js("id => kgExplorer.network.moveTo({position: kgExplorer.network.getPosition(id),"
            " scale: 1.5, animation: false})", node)
    x, y = dom_point(seen, node)
    seen.page.mouse.click(x, y)
    seen.page.wait_for_selector("#kg-details:not([hidden])", timeout=5000)


def details(seen) -> dict:
    """The details panel as text: name, facts (dt -> dd), sources, links, page address."""
    return seen.js("""() => {
        const facts = {}, dts = [...document.querySelectorAll('#kg-details-facts dt')];
        dts.forEach(dt => { facts[dt.textContent] = dt.nextElementSibling.textContent; });
        const page = document.getElementById('kg-details-page');
        return {name: document.getElementById('kg-details-name').textContent, facts,
                sources: [...document.querySelectorAll('#kg-details-sources li')]
                    .map(li => li.textContent),
                links: [...document.querySelectorAll('#kg-details-links button')]
                    .map(b => b.textContent),
                page: page.hidden ? null : page.getAttribute('href'),
                elements: [...document.querySelectorAll('#kg-details *')]
                    .map(e => e.tagName.toLowerCase())}; }""")


def test_levels_have_distinct_colours():
    assert len(set(LEVEL_COLOURS.values())) == len(LEVEL_COLOURS)


def test_positioning_view_places_and_colours_by_openness(pages, visit, acme):
    seen = visit(pages["positioning"])
    found = seen.js("""() => {
        const models = kgExplorer.nodes.get({filter: n => n.type === 'Model'});
        const at = kgExplorer.network.getPositions(models.map(n => n.id));
        let wrongX = 0, wrongY = 0, pairs = 0;
        for (const a of models) for (const b of models) {
            if (a.openness - b.openness > 0.2) {
                pairs++;
                if (!(at[a.id].x > at[b.id].x)) wrongX++;
            }
            if (a.permissiveness !== undefined && b.permissiveness !== undefined
                && a.permissiveness - b.permissiveness > 0.2
                && !(at[a.id].y < at[b.id].y)) wrongY++;
        }
        const unknown = models.filter(n => n.permissiveness === undefined);
        return {pairs, wrongX, wrongY, models: models.length,
                unknownAbove: unknown.filter(n => at[n.id].y <= PLANE).length}; }"""
                    .replace("PLANE", str(PLANE)))
    assert found["pairs"] > 1000
    assert (found["wrongX"], found["wrongY"], found["unknownAbove"]) == (0, 0, 0)
    graph = VIEWS["positioning"](acme.store)
    assert found["models"] == sum(1 for _, a in graph.nodes(data=True) if a["type"] == "Model")
    gpt_oss, llama = dom_point(seen, "model:gpt-oss-120b"), dom_point(seen, "model:llama-2")
    assert gpt_oss[1] < llama[1]  # Apache-2.0 is more permissive than the Llama 2 licence
    drawn = {n["id"]: n for n in seen.js("kgExplorer.nodes.get()")}
    assert {n: d["color"] for n, d in drawn.items()} == {
        n: colour(a) for n, a in graph.nodes(data=True)}
    assert {d["color"] for d in drawn.values() if d["type"] == "Model"} <= set(
        LEVEL_COLOURS.values())
    assert drawn["org:meta"]["shape"] == "diamond"
    assert drawn["https://example.org/acme"]["color"] == LEVEL_COLOURS["open-weights"]
    assert_clean(seen)


def test_competition_view_is_coloured_by_openness(pages, visit):
    seen = visit(pages["competition"])
    drawn = {n["id"]: n["color"] for n in seen.js("kgExplorer.nodes.get()")}
    graph = VIEWS["competition"](Landscape.load().store)
    levels = {a.get("level") for _, a in graph.nodes(data=True)}
    assert drawn == {n: colour(a) for n, a in graph.nodes(data=True)}
    assert len(set(drawn.values())) == len(levels) >= 3
    assert_clean(seen)


def test_focus_centres_on_the_entity_and_sizes_by_relevance(pages, visit):
    seen = visit(pages["focus-meta"])
    box = seen.js("""(() => { const b = document.getElementById('kg-network')
        .getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; })()""")
    x, y = dom_point(seen, "org:meta")
    assert abs(x - box[0]) < 3 and abs(y - box[1]) < 3
    nodes = {n["id"]: n for n in seen.js("kgExplorer.nodes.get()")}
    assert max(nodes.values(), key=lambda n: n["size"])["id"] == "org:meta"
    assert nodes["org:openai"]["size"] < nodes["org:meta"]["size"]
    meta = [n["size"] for n in nodes.values() if n.get("developer") == "org:meta"]
    openai = [n["size"] for n in nodes.values() if n.get("developer") == "org:openai"]
    assert meta and openai and min(meta) > max(openai)
    assert "org:meta" in seen.js("kgExplorer.labelled()")
    assert_clean(seen)


def test_details_panel_shows_facts_sources_and_page_link(pages, visit):
    seen = visit(pages["full"])
    seen.page.fill("#kg-query", "llama 2")
    seen.page.click("#kg-search button")
    shown = details(seen)
    assert shown["name"] == "Llama 2"
    assert shown["facts"]["release date"] == "2023-07-18"
    assert shown["facts"]["openness level"] == "open-weights"
    assert shown["page"] == "http://127.0.0.1:8123/id/model/llama-2"
    assert "Meta" in shown["links"]
    assert len(shown["sources"]) == len(Landscape.load().view("full").nodes["model:llama-2"]
                                         ["sources"]) > 0
    assert all("src:" not in text for text in shown["sources"])  # titles, not ids
    assert_clean(seen)


def test_a_lab_in_the_users_namespace_is_drawn_with_its_page(pages, visit):
    seen = visit(pages["full-acme"])
    assert seen.js("q => kgExplorer.search(q)", "Acme Research") == "https://example.org/acme"
    click_node(seen, "https://example.org/rocket-1")
    shown = details(seen)
    assert (shown["name"], shown["page"]) == ("Acme Rocket 1", "https://example.org/rocket-1")
    assert "Acme Research" in shown["links"]
    assert shown["sources"] == ["Acme's own notes (2025-09-02)"]
    assert shown["facts"]["release date"] == "2025-09-01"
    assert_clean(seen)


def test_details_panel_keeps_labels_as_text(pages, visit):
    seen = visit(pages["xss"])
    click_node(seen, "model:xss-model")
    shown = details(seen)
    assert shown["name"] == XSS_LABEL
    assert shown["sources"] == ["<b onmouseover=alert(2)>source</b> (2025-06-01)"]
    assert "</script><script>alert('lab')</script>" in shown["links"]
    assert not {"img", "b", "script"} & set(shown["elements"])
    assert_clean(seen)


def test_labels_appear_as_you_zoom_in(pages, visit):
    seen = visit(pages["full"])
    count = seen.js("kgExplorer.nodeCount")
    labelled = seen.js("kgExplorer.labelled()")
    assert 0 < len(labelled) < count / 4
    boxes = seen.js("kgExplorer.overlayBoxes()")  # the biggest nodes' labels, zoomed out
    assert 0 < len(boxes) <= TOP_LABELS
    assert [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]] == []
    small = seen.js("kgExplorer.nodes.get().sort((a, b) => b.rank - a.rank)[0].id")
    assert small not in labelled
    seen.js("id => kgExplorer.network.moveTo({position: kgExplorer.network.getPosition(id),"
            " animation: false})", small)
    x, y = dom_point(seen, small)
    seen.page.mouse.move(x, y)
    while seen.js("kgExplorer.network.getScale()") < 2:
        seen.page.mouse.wheel(0, -300)
        seen.page.wait_for_timeout(30)
    seen.page.wait_for_function(f"kgExplorer.labelled().includes({small!r})", timeout=5000)
    while seen.js("kgExplorer.network.getScale()") > 0.3:
        seen.page.mouse.wheel(0, 300)
        seen.page.wait_for_timeout(30)
    seen.page.wait_for_function(f"!kgExplorer.labelled().includes({small!r})", timeout=5000)
    assert_clean(seen)
