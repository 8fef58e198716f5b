"""An interactive explorer of a NetworkX projection: one self-contained HTML page (the
vis-network release pyvis bundles, inlined) that works offline.

Every view is coloured by openness level (models by their own, labs by their models' most
common one; shapes tell the types apart); nodes are sized by a centrality or, around a
focus, by relevance to it (:func:`relevance`); labels appear as you zoom in (the biggest
nodes' first); clicking a node opens a details panel with its facts, its sources and a
link to its page (``/id/...``, which ``kg serve`` answers). The positioning view places
models and labs by openness score and licence permissiveness.

Safety: the page loads nothing. Its Content-Security-Policy forbids every fetch and every
script but its own two (pinned by hash), so even a label written as HTML cannot run. Labels
and facts are data in a JSON block, drawn on the canvas or set as ``textContent``; the HTML
around them is escaped by the template, and only http(s) addresses become links.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import EXIT_FAILED, KgError
from kg.namespaces import ID, PREFIXES
from kg.reports.entities import EntityNotFound
from kg.store.export import write_atomically

#: Colours of the openness levels, told apart by hue and lightness (Okabe-Ito palette).
LEVEL_COLOURS = {
    "open-source": "#009e73", "open-weights": "#56b4e9", "hosted-only": "#e69f00",
    "api-only": "#d55e00", "unreleased": "#000000",
}
#: Colours by node type for everything without an openness level (muted, unlike the levels).
TYPE_COLOURS = {
    "Model": "#a89bb9", "Lab": "#8a8ab8", "Investor": "#7fa7a7", "CloudProvider": "#6d8fa8",
    "Organization": "#9a9a9a", "Person": "#d4a6c8", "ModelFamily": "#c2c28a",
    "Licence": "#a68b7a", "Product": "#e7c79a", "FundingRound": "#e8dc9a",
    "Investment": "#e6c8a8", "Valuation": "#b8cfb0", "Statement": "#efc9c9",
    "Release": "#cfc2e3", "UserMetricObservation": "#d8d8b0", "OpennessLevel": "#b9dfe6",
    "Capability": "#dcd6e6",
}
OTHER_COLOUR = "#b0b0b0"
#: Shapes by node type (vis-network shapes that keep the label below the node).
TYPE_SHAPES = {
    "Model": "dot", "Lab": "diamond", "Investor": "triangle", "CloudProvider": "triangle",
    "Organization": "triangle", "Person": "triangleDown", "Licence": "square",
    "Product": "star", "ModelFamily": "hexagon",
}
#: Node sizes can follow these centralities.
MEASURES = ("degree", "betweenness", "pagerank")
#: Above this many nodes the page gets fixed positions computed here and no physics.
LARGE = 500
#: How many best-connected nodes of a large graph get a spring layout (NetworkX's dense
#: solver, fast below 500 nodes); the others are placed near them.
_CORE = 400
_SEED = 7
#: How many of the biggest nodes a large page draws first, then how many at a time after.
FIRST_PAINT = 500
BATCH = 2000
#: How many of the biggest nodes keep their label at every zoom.
TOP_LABELS = 25
#: The positioning view's plane, in canvas units: openness 0..1 -> x, permissiveness 1..0 -> y.
PLANE = 3000.0


class NothingToShow(KgError):
    """The graph holds nothing to draw."""

    exit_code = EXIT_FAILED


def centrality(graph: nx.Graph, measure: str) -> dict[str, float]:
    """A centrality of every node (one of :data:`MEASURES`), on the undirected simple graph.

    >>> centrality(nx.path_graph(3), "degree")
    {0: 1, 1: 2, 2: 1}
    """
    simple = nx.Graph(graph)
    if measure == "degree":
        return dict(simple.degree())
    if measure == "betweenness":
        return nx.betweenness_centrality(simple)
    if measure == "pagerank":
        return nx.pagerank(simple)
    raise ValueError(f"unknown centrality {measure!r}; use one of {', '.join(MEASURES)}")


def focus(graph: nx.Graph, node: str, depth: int) -> nx.Graph:
    """The part of ``graph`` within ``depth`` links of ``node``, in either direction.

    >>> sorted(focus(nx.path_graph(5), 0, 2))
    [0, 1, 2]
    """
    if node not in graph:
        raise EntityNotFound(f"{node} is not in the {graph.name or 'chosen'} view")
    return nx.ego_graph(graph, node, radius=depth, undirected=True)


def relevance(graph: nx.Graph, node: str) -> dict[str, float]:
    """How relevant each node is to ``node``: distance first (``node`` 1, its neighbours in
    (0.25, 0.5], the next ring in (0.125, 0.25], ...), then within a ring how strongly it is
    tied to the ring closer in (the links to it, or their ``weight``). Unreachable nodes get 0.

    >>> g = nx.Graph([("meta", "llama"), ("meta", "openai"), ("openai", "gpt")])
    >>> g.add_edge("meta", "llama2", weight=3)
    >>> r = relevance(g, "meta")
    >>> r["meta"] > r["llama2"] > r["llama"] == r["openai"] > r["gpt"]
    True
    """
    distance = nx.single_source_shortest_path_length(nx.Graph(graph).to_undirected(), node)
    ties: dict[str, float] = {}
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    for other, d in distance.items():
        if d == 0:
            continue
        tie = 0.0
        for inner in undirected.neighbors(other):
            if distance.get(inner) == d - 1:
                data = undirected.get_edge_data(other, inner) or {}
                links = data.values() if graph.is_multigraph() else [data]
                tie += sum(_weight(e) for e in links)
        ties[other] = tie
    strongest: dict[int, float] = {}
    for other, tie in ties.items():
        strongest[distance[other]] = max(strongest.get(distance[other], 0.0), tie)
    scores = {n: 0.0 for n in graph}
    scores[node] = 1.0
    for other, tie in ties.items():
        d = distance[other]
        scores[other] = 0.5 ** d * (0.5 + 0.5 * tie / (strongest[d] or 1))
    return scores


def _weight(edge: dict[str, Any]) -> float:
    weight = edge.get("weight", 1)
    return float(weight) if isinstance(weight, (int, float)) and weight > 0 else 1.0


def colour(attrs: dict[str, Any]) -> str:
    """A node's colour: its openness level's if it has one (a model's own, a lab's models'
    most common), else its type's.

    >>> colour({"type": "Lab", "level": "open-weights"}), colour({"type": "Person"})
    ('#56b4e9', '#d4a6c8')
    """
    if attrs.get("level") in LEVEL_COLOURS:
        return LEVEL_COLOURS[attrs["level"]]
    return TYPE_COLOURS.get(attrs.get("type", ""), OTHER_COLOUR)


def tooltip(node: str, attrs: dict[str, Any], labels: dict[str, str]) -> str:
    """A node's key facts and sources as plain text, one per line.

    >>> print(tooltip("model:m", {"label": "M", "type": "Model", "sources": ["src:s"]}, {}))
    M
    id: model:m
    type: Model
    sources:
    - src:s
    """
    lines = [str(attrs.get("label", node)), f"id: {node}", f"type: {attrs.get('type', '?')}"]
    for key in ("level", "released", "developer"):
        if attrs.get(key) is not None:
            value = attrs[key]
            name = "models mostly" if key == "level" and attrs.get("type") != "Model" else key
            lines.append(f"{name}: {labels.get(value, value) if key == 'developer' else value}")
    sources = attrs.get("sources") or []
    if sources:
        lines.append("sources:")
        lines += [f"- {source}" for source in sources[:8]]
        if len(sources) > 8:
            lines.append(f"- ... and {len(sources) - 8} more")
    return "\n".join(lines)


def _edge_title(attrs: dict[str, Any]) -> str:
    extra = [f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
             for key, value in attrs.items() if key != "predicate" and value not in ([], None)]
    return "\n".join([str(attrs.get("predicate", "")), *extra])


def _sizes(graph: nx.Graph, size_by: dict[str, float] | None) -> dict[str, float]:
    values = size_by if size_by is not None else centrality(graph, "degree")
    low, high = min(values.values(), default=0), max(values.values(), default=0)
    span = (high - low) or 1
    return {node: round(8 + 32 * math.sqrt(max(values.get(node, low) - low, 0) / span), 2)
            for node in graph}


def positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fixed pixel positions for a large graph: a seeded spring layout of its best-connected
    nodes, then every other node scattered near its placed neighbours, breadth first.

    >>> sorted(positions(nx.path_graph(3)))
    [0, 1, 2]
    """
    simple = nx.Graph(graph)
    core = sorted(simple, key=lambda n: (-simple.degree(n), str(n)))[:_CORE]
    pos = {n: tuple(xy) for n, xy in nx.spring_layout(simple.subgraph(core), seed=_SEED).items()}
    rng = random.Random(_SEED)
    pending = [n for n in simple if n not in pos]
    while pending:
        left = []
        for node in pending:
            placed = [pos[m] for m in simple[node] if m in pos]
            if placed:
                x = sum(p[0] for p in placed) / len(placed) + rng.uniform(-0.08, 0.08)
                y = sum(p[1] for p in placed) / len(placed) + rng.uniform(-0.08, 0.08)
                pos[node] = (x, y)
            else:
                left.append(node)
        if len(left) == len(pending):  # not linked to any placed node: anywhere
            pos.update({n: (rng.uniform(-1, 1), rng.uniform(-1, 1)) for n in left})
            break
        pending = left
    scale = 40 * len(simple) ** 0.5
    return {n: (round(x * scale, 1), round(y * scale, 1)) for n, (x, y) in pos.items()}


def plane_positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions on the positioning plane: ``openness`` along x (0 to :data:`PLANE`),
    ``permissiveness`` up y; nodes without a permissiveness in a band below the plane
    ("licence unknown"). Nodes at the same point spread on a sunflower spiral, labs first.

    >>> g = nx.Graph()
    >>> g.add_node("a", openness=1.0, permissiveness=1.0)
    >>> g.add_node("b", openness=0.0, permissiveness=None)
    >>> plane_positions(g)
    {'a': (3000.0, 0.0), 'b': (0.0, 3400.0)}
    """
    groups: dict[tuple[float, float], list[str]] = {}
    for node, attrs in graph.nodes(data=True):
        o = float(attrs.get("openness") or 0.0)
        p = attrs.get("permissiveness")
        point = (o * PLANE, PLANE + 400 if p is None else (1 - float(p)) * PLANE)
        groups.setdefault(point, []).append(node)
    golden = math.pi * (3 - math.sqrt(5))
    placed = {}
    for (x, y), members in groups.items():
        members.sort(key=lambda n: (graph.nodes[n].get("type") != "Lab", str(n)))
        for i, node in enumerate(members):
            r = 16 * math.sqrt(i)
            placed[node] = (round(x + r * math.cos(i * golden), 1),
                            round(y + r * math.sin(i * golden), 1))
    return placed


def page_href(node: str, base: str = "") -> str | None:
    """The address of an entity's page: ``base`` + the ``/id/...`` path of a project IRI, the
    IRI itself for another http(s) IRI, else None.

    >>> page_href("model:llama-2", "http://127.0.0.1:7878")
    'http://127.0.0.1:7878/id/model/llama-2'
    >>> page_href("https://example.org/acme"), page_href("urn:x:1")
    ('https://example.org/acme', None)
    """
    iri = node
    prefix, _, local = node.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        iri = PREFIXES[prefix] + local
    if iri.startswith(ID):
        return base.rstrip("/") + "/id/" + iri[len(ID):]
    return iri if iri.startswith(("https://", "http://")) else None


def _text(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def entity_details(store: Any, nodes: Iterable[str]) -> dict[str, Any]:
    """The facts of ``nodes`` for the details panel (``facts``: node -> [property, value]
    pairs) and the sources they cite (``sources``: id -> [title, url, issued]).

    >>> from kg.landscape import Landscape
    >>> found = entity_details(Landscape.load().store, ["model:llama-2"])
    >>> ["release date", "2023-07-18"] in found["facts"]["model:llama-2"]
    True
    """
    from kg.queries import load_query

    wanted = set(nodes)
    facts: dict[str, list[list[str]]] = {}
    for row in store.select(load_query("viz/entity-facts")):
        if row["node"] not in wanted:
            continue
        if row.get("literal"):
            value = _text(row["value"])
        elif row.get("valueLabel") is not None:
            value = str(row["valueLabel"])
        else:
            continue
        name = str(row.get("pLabel") or str(row["p"]).split(":")[-1].split("#")[-1])
        mine = facts.setdefault(row["node"], [])
        if [name, value] not in mine:
            mine.append([name, value])
    for mine in facts.values():
        mine.sort()
    sources = {row["source"]: [_text(row.get("title") or row["source"]),
                               str(row.get("url") or ""), _text(row.get("issued") or "")]
               for row in store.select(load_query("viz/source-titles"))}
    return {"facts": facts, "sources": sources}


def _network_data(graph: nx.Graph, size_by: dict[str, float] | None, focus_on: str | None,
                  page_base: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                           dict[str, str]]:
    """The nodes and edges as vis-network takes them, and each node's page address."""
    if graph.graph.get("layout") == "positioning":
        fixed = plane_positions(graph)
    elif graph.number_of_nodes() > LARGE:
        fixed = positions(graph)
        if focus_on in fixed:  # the focus at the centre
            fx, fy = fixed[focus_on]
            fixed = {n: (round(x - fx, 1), round(y - fy, 1)) for n, (x, y) in fixed.items()}
    else:
        fixed = {}
    sizes = _sizes(graph, size_by)
    ranked = sorted(graph, key=lambda n: (-sizes[n], str(n)))
    rank = {node: i for i, node in enumerate(ranked)}
    labels = {node: str(attrs.get("label", node)) for node, attrs in graph.nodes(data=True)}
    nodes, hrefs = [], {}
    for node, attrs in graph.nodes(data=True):
        item: dict[str, Any] = {
            "id": node, "name": labels[node], "label": "",  # set by zoom (level of detail)
            "title": tooltip(node, attrs, labels), "color": colour(attrs),
            "shape": TYPE_SHAPES.get(attrs.get("type", ""), "dot"), "size": sizes[node],
            "rank": rank[node], "type": attrs.get("type", "?"), "level": attrs.get("level"),
            "sources": list(attrs.get("sources") or [])}
        for key in ("released", "developer", "openness", "permissiveness"):
            if attrs.get(key) is not None:
                item[key] = _text(attrs[key]) if key == "released" else attrs[key]
        if node in fixed:
            item["x"], item["y"] = fixed[node]
        if node == focus_on:
            item.update(x=fixed.get(node, (0, 0))[0], y=fixed.get(node, (0, 0))[1],
                        fixed=True, focus=True)
        href = page_href(str(node), page_base)
        if href:
            hrefs[node] = href
        nodes.append(item)
    # arrows cost a third of a large graph's drawing time: only small graphs get them
    arrows = "to" if graph.is_directed() and graph.number_of_nodes() <= LARGE else ""
    edges = [{"from": a, "to": b, "title": _edge_title(attrs), "arrows": arrows}
             for a, b, attrs in graph.edges(data=True)]
    return nodes, edges, hrefs


def _options(large: bool, fixed: bool) -> dict[str, Any]:
    return {
        "nodes": {"shape": "dot", "font": {"size": 14, "strokeWidth": 3,
                                           "strokeColor": "#ffffff"},
                  "borderWidth": 1, "color": {"border": "#444444"}},
        "edges": {"color": {"color": "#b5b5b5", "highlight": "#333333"}, "smooth": False,
                  "width": 1, "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large},
        "layout": {"improvedLayout": False, "randomSeed": _SEED},
        "physics": {"enabled": False} if large or fixed else {
            "solver": "forceAtlas2Based", "stabilization": {"iterations": 150}},
    }


def _legend(graph: nx.Graph) -> tuple[list[tuple[str, str, str, int]], list[tuple[str, str]]]:
    """The node types present (name, colour, shape, count) and the openness levels present."""
    types: dict[str, int] = {}
    levels: set[str] = set()
    for _, attrs in graph.nodes(data=True):
        types[attrs.get("type", "?")] = types.get(attrs.get("type", "?"), 0) + 1
        if attrs.get("level"):
            levels.add(attrs["level"])
    ordered = [level for level in LEVEL_COLOURS if level in levels]
    return ([(t, TYPE_COLOURS.get(t, OTHER_COLOUR), TYPE_SHAPES.get(t, "dot"), n)
             for t, n in sorted(types.items())],
            [(level, LEVEL_COLOURS.get(level, OTHER_COLOUR))
             for level in ordered + sorted(levels - set(ordered))])


def _vis_asset(name: str) -> str:
    """A file of the vis-network release that pyvis bundles (what ``in_line`` inlines)."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or spec.origin is None:
        from kg.errors import ResourceMissing

        raise ResourceMissing("pyvis is not installed: reinstall ai-landscape-kg")
    folder = Path(spec.origin).parent / "templates" / "lib" / "vis-9.1.2"
    return (folder / name).read_text(encoding="utf-8")


def _json_for_html(value: Any) -> str:
    """JSON safe inside a <script> block: <, >, & and ' as \\u escapes (as Jinja's tojson).

    >>> _json_for_html({"a": "</script>"})
    '{"a":"\\\\u003c/script\\\\u003e"}'
    """
    import json

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def explorer_html(graph: nx.Graph, *, title: str, size_by: dict[str, float] | None = None,
                  focus_on: str | None = None, details: dict[str, Any] | None = None,
                  page_base: str = "") -> str:
    """The explorer page of ``graph``; ``size_by`` maps nodes to a centrality (default:
    degree; with ``focus_on``, :func:`relevance` to it), ``details`` holds the facts and
    sources of :func:`entity_details`, ``page_base`` prefixes the entity pages' ``/id/...``
    paths (empty: the page is served by ``kg serve``).

    >>> html = explorer_html(nx.Graph([("org:a", "model:b")]), title="<t>")
    >>> "&lt;t&gt;" in html and "<t>" not in html
    True
    """
    from jinja2 import Environment, PackageLoader
    from markupsafe import Markup

    if focus_on is not None and size_by is None:
        size_by = relevance(graph, focus_on)
    env = Environment(loader=PackageLoader("kg.viz", "templates"), autoescape=True)
    positioned = graph.graph.get("layout") == "positioning"
    nodes, edges, hrefs = _network_data(graph, size_by, focus_on, page_base)
    found = details or {"facts": {}, "sources": {}}
    cited = {s for n in nodes for s in n["sources"]}
    vis_js = _vis_asset("vis-network.min.js")
    app_js = env.get_template("explorer.js").render()
    data = {"nodes": nodes, "edges": edges, "hrefs": hrefs,
            "facts": {n: f for n, f in found["facts"].items() if n in graph},
            "sources": {k: v for k, v in found["sources"].items() if k in cited},
            "options": _options(graph.number_of_nodes() > LARGE, positioned),
            "settings": {"topLabels": TOP_LABELS, "labelPx": 9, "overlayBelow": 1.5,
                         "firstPaint": FIRST_PAINT,
                         "batch": BATCH,
                         "plane": PLANE if positioned else None, "focus": focus_on}}
    types, levels = _legend(graph)
    return env.get_template("explorer.html").render(
        title=title, types=types, levels=levels, positioned=positioned,
        data=Markup(_json_for_html(data)),
        vis_css=Markup(_vis_asset("vis-network.css")),
        vis_js=Markup(vis_js), app_js=Markup(app_js),
        script_hashes=f"{_csp_hash(vis_js)} {_csp_hash(app_js)}")


def write_explorer(graph: nx.Graph, out: Path, *, title: str,
                   size_by: dict[str, float] | None = None, focus_on: str | None = None,
                   details: dict[str, Any] | None = None, page_base: str = "") -> int:
    """Write the explorer page of ``graph`` to ``out`` atomically (the options of
    :func:`explorer_html`); returns its size in bytes.

    >>> import tempfile
    >>> write_explorer(nx.Graph([(1, 2)]), Path(tempfile.mkdtemp()) / "e.html", title="t") > 0
    True
    """
    content = explorer_html(graph, title=title, size_by=size_by, focus_on=focus_on,
                            details=details, page_base=page_base).encode("utf-8")
    write_atomically(out, content)
    return len(content)
