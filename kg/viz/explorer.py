"""An interactive explorer of a NetworkX projection: one self-contained HTML page (pyvis's
bundled vis-network, inlined) that works offline.

Nodes are coloured by type (models by openness level) and sized by a centrality; tooltips give
a node's key facts and sources; the page has a legend, a search box and a filter by type.

Safety: the page loads nothing. Its Content-Security-Policy forbids every fetch and every
script but its own two (pinned by hash), so even a label written as HTML cannot run. Labels
and tooltips are data in a JSON block, drawn on the canvas or set as ``innerText`` /
``textContent``; the HTML around them is escaped by the template.
"""

from __future__ import annotations

import base64
import hashlib
import random
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import EXIT_FAILED, KgError
from kg.reports.entities import EntityNotFound
from kg.store.export import write_atomically

#: Colours by node type; models are coloured by their openness level instead, if known.
TYPE_COLOURS = {
    "Model": "#9467bd", "Lab": "#1f77b4", "Investor": "#17becf", "CloudProvider": "#0b5394",
    "Organization": "#7f7f7f", "Person": "#e377c2", "ModelFamily": "#bcbd22",
    "Licence": "#8c564b", "Product": "#ff7f0e", "FundingRound": "#ffd966",
    "Investment": "#f6b26b", "Valuation": "#b6d7a8", "Statement": "#f4cccc",
    "Release": "#c9b3e6", "UserMetricObservation": "#dbdb8d", "OpennessLevel": "#9edae5",
    "Capability": "#d9d2e9",
}
LEVEL_COLOURS = {
    "open-source": "#1b7a2e", "open-weights": "#5cb85c", "hosted-only": "#f0ad4e",
    "api-only": "#d9534f", "unreleased": "#555555",
}
OTHER_COLOUR = "#b0b0b0"
#: Node sizes can follow these centralities.
MEASURES = ("degree", "betweenness", "pagerank")
#: Above this many nodes the page gets fixed positions computed here and no physics.
LARGE = 500
#: How many best-connected nodes of a large graph get a spring layout (NetworkX's dense
#: solver, fast below 500 nodes); the others are placed near them.
_CORE = 400
_SEED = 7


class NothingToShow(KgError):
    """The graph holds nothing to draw."""

    exit_code = EXIT_FAILED


def centrality(graph: nx.Graph, measure: str) -> dict[str, float]:
    """A centrality of every node (one of :data:`MEASURES`), on the undirected simple graph."""
    simple = nx.Graph(graph)
    if measure == "degree":
        return dict(simple.degree())
    if measure == "betweenness":
        return nx.betweenness_centrality(simple)
    if measure == "pagerank":
        return nx.pagerank(simple)
    raise ValueError(f"unknown centrality {measure!r}; use one of {', '.join(MEASURES)}")


def focus(graph: nx.Graph, node: str, depth: int) -> nx.Graph:
    """The part of ``graph`` within ``depth`` links of ``node``, in either direction."""
    if node not in graph:
        raise EntityNotFound(f"{node} is not in the {graph.name or 'chosen'} view")
    return nx.ego_graph(graph, node, radius=depth, undirected=True)


def colour(attrs: dict[str, Any]) -> str:
    """A node's colour: its openness level's for a model, else its type's."""
    if attrs.get("type") == "Model" and attrs.get("level") in LEVEL_COLOURS:
        return LEVEL_COLOURS[attrs["level"]]
    return TYPE_COLOURS.get(attrs.get("type", ""), OTHER_COLOUR)


def tooltip(node: str, attrs: dict[str, Any], labels: dict[str, str]) -> str:
    """A node's key facts and sources as plain text, one per line."""
    lines = [str(attrs.get("label", node)), f"id: {node}", f"type: {attrs.get('type', '?')}"]
    for key in ("level", "released", "developer"):
        if attrs.get(key) is not None:
            value = attrs[key]
            lines.append(f"{key}: {labels.get(value, value) if key == 'developer' else value}")
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
    return {node: 10 + 30 * (values.get(node, low) - low) / span for node in graph}


def positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fixed pixel positions for a large graph: a seeded spring layout of its best-connected
    nodes, then every other node scattered near its placed neighbours, breadth first."""
    simple = nx.Graph(graph)
    core = sorted(simple, key=lambda n: (-simple.degree(n), n))[:_CORE]
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


def _network_data(graph: nx.Graph, size_by: dict[str, float] | None
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes and edges as pyvis builds them for vis-network."""
    from pyvis.network import Network

    large = graph.number_of_nodes() > LARGE
    fixed = positions(graph) if large else {}
    sizes = _sizes(graph, size_by)
    labels = {node: str(attrs.get("label", node)) for node, attrs in graph.nodes(data=True)}
    # pyvis compares each new edge with every earlier one on undirected networks (quadratic);
    # a networkx graph has no duplicates, so the network is directed and arrows explicit.
    net = Network(directed=True, cdn_resources="in_line")
    for node, attrs in graph.nodes(data=True):
        extra = {"x": fixed[node][0], "y": fixed[node][1]} if large else {}
        net.add_node(node, label=labels[node], title=tooltip(node, attrs, labels),
                     color=colour(attrs), size=sizes[node], type=attrs.get("type", "?"),
                     level=attrs.get("level"), **extra)
    arrows = "to" if graph.is_directed() else ""
    for source, target, attrs in graph.edges(data=True):
        net.add_edge(source, target, title=_edge_title(attrs), arrows=arrows)
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges


def _options(large: bool) -> dict[str, Any]:
    return {
        "nodes": {"shape": "dot", "font": {"size": 14}},
        "edges": {"color": {"color": "#9a9a9a", "highlight": "#333333"}, "smooth": False,
                  "width": 1, "arrows": {"to": {"scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large},
        "layout": {"improvedLayout": False, "randomSeed": _SEED},
        "physics": {"enabled": False} if large else {
            "solver": "forceAtlas2Based", "stabilization": {"iterations": 150}},
    }


def _legend(graph: nx.Graph) -> tuple[list[tuple[str, str, int]], list[tuple[str, str]]]:
    """The node types present (name, colour, count) and the models' openness levels."""
    types: dict[str, int] = {}
    levels: set[str] = set()
    for _, attrs in graph.nodes(data=True):
        types[attrs.get("type", "?")] = types.get(attrs.get("type", "?"), 0) + 1
        if attrs.get("type") == "Model" and attrs.get("level"):
            levels.add(attrs["level"])
    return ([(t, TYPE_COLOURS.get(t, OTHER_COLOUR), n) for t, n in sorted(types.items())],
            [(level, LEVEL_COLOURS.get(level, TYPE_COLOURS["Model"])) for level in sorted(levels)])


def _vis_asset(name: str) -> str:
    """A file of the vis-network release that pyvis bundles (what ``in_line`` inlines)."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")
    if spec is None or spec.origin is None:
        from kg.errors import ResourceMissing

        raise ResourceMissing("pyvis is not installed: reinstall ai-landscape-kg")
    folder = Path(spec.origin).parent / "templates" / "lib" / "vis-9.1.2"
    return (folder / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def explorer_html(graph: nx.Graph, *, title: str,
                  size_by: dict[str, float] | None = None) -> str:
    """The explorer page of ``graph``; ``size_by`` maps nodes to a centrality (default:
    degree)."""
    from jinja2 import Environment, PackageLoader
    from markupsafe import Markup

    env = Environment(loader=PackageLoader("kg.viz", "templates"), autoescape=True)
    nodes, edges = _network_data(graph, size_by)
    vis_js = _vis_asset("vis-network.min.js")
    app_js = env.get_template("explorer.js").render(
        nodes=nodes, edges=edges, options=_options(graph.number_of_nodes() > LARGE))
    types, levels = _legend(graph)
    return env.get_template("explorer.html").render(
        title=title, types=types, levels=levels, vis_css=Markup(_vis_asset("vis-network.css")),
        vis_js=Markup(vis_js), app_js=Markup(app_js),
        script_hashes=f"{_csp_hash(vis_js)} {_csp_hash(app_js)}")


def write_explorer(graph: nx.Graph, out: Path, *, title: str,
                   size_by: dict[str, float] | None = None) -> int:
    """Write the explorer page of ``graph`` to ``out`` atomically; returns its size in bytes."""
    content = explorer_html(graph, title=title, size_by=size_by).encode("utf-8")
    write_atomically(out, content)
    return len(content)
