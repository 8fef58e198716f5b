"""Projections of the RDF graph onto NetworkX graphs, each read through SPARQL.

Every projection returns a NetworkX graph whose nodes are compact ids (``model:gpt-2``) with
the attributes ``label``, ``type`` and, where known, ``level`` (openness), ``released``,
``developer`` and ``sources``; edges carry ``predicate`` (and ``weight`` where it means
something).

>>> from kg.landscape import Landscape
>>> g = lab_model_view(Landscape.load().store)
>>> g.nodes["model:gpt-2"]["level"], g.has_edge("org:openai", "model:gpt-2")
('open-weights', True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx

from kg.queries import load_query
from kg.store import GraphStore

#: Type precedence when a node has several classes (a lab that also invests is a Lab).
_TYPE_ORDER = ("Model", "Lab", "Investor", "CloudProvider", "Organization", "Person",
               "ModelFamily", "Licence", "Product", "FundingRound", "Investment", "Valuation",
               "Statement", "Release", "UserMetricObservation", "OpennessLevel", "Capability")


#: Openness levels from most to least open (ties between a lab's levels go to the first).
_LEVEL_ORDER = ("open-source", "open-weights", "hosted-only", "api-only", "unreleased")


def _node_table(store: GraphStore) -> dict[str, dict[str, Any]]:
    """Every entity's attributes; a lab's ``level`` is its models' most common level."""
    nodes: dict[str, dict[str, Any]] = {}
    for row in store.select(load_query("analysis/graph-nodes")):
        node = nodes.setdefault(row["node"], {"label": row.get("label") or row["node"],
                                              "type": row["type"], "sources": []})
        if _TYPE_ORDER.index(row["type"]) < _TYPE_ORDER.index(node["type"]):
            node["type"] = row["type"]
        for key in ("level", "released", "developer"):
            if row.get(key) is not None:
                node[key] = row[key]
        if row.get("source") and row["source"] not in node["sources"]:
            node["sources"].append(row["source"])
    _lab_levels(nodes)
    return nodes


def _lab_levels(nodes: dict[str, dict[str, Any]]) -> None:
    counts: dict[str, dict[str, int]] = {}
    for attrs in nodes.values():
        if attrs["type"] == "Model" and attrs.get("level") and attrs.get("developer") in nodes:
            mine = counts.setdefault(attrs["developer"], {})
            mine[attrs["level"]] = mine.get(attrs["level"], 0) + 1
    for lab, levels in counts.items():
        if "level" not in nodes[lab]:
            rank = {level: i for i, level in enumerate(_LEVEL_ORDER)}
            nodes[lab]["level"] = min(levels, key=lambda v: (-levels[v], rank.get(v, 99), v))
            nodes[lab]["levels"] = dict(sorted(levels.items(),
                                               key=lambda kv: rank.get(kv[0], 99)))


def full_graph(store: GraphStore) -> nx.MultiDiGraph:
    """Every typed entity, and every link between two of them (through the blank nodes of
    n-ary facts as ``kg:participation/investor``-style paths); sources become attributes."""
    nodes = _node_table(store)
    graph = nx.MultiDiGraph(name="full")
    graph.add_nodes_from(nodes.items())
    for row in store.select(load_query("analysis/graph-edges")):
        if row["s"] in nodes and row["o"] in nodes and row["s"] != row["o"]:
            # a link through an n-ary node reads "kg:participation/investor"
            predicate = row["p"] + (f"/{row['via'].split(':')[-1]}" if row.get("via") else "")
            graph.add_edge(row["s"], row["o"], key=predicate, predicate=predicate)
    return graph


def funding_view(store: GraphStore) -> nx.DiGraph:
    """Investors -> the organisations they fund; ``weight`` is the disclosed amount (summed,
    in the amounts' own currencies, which the ``currencies`` attribute lists), ``rounds`` how
    many events link them."""
    nodes = _node_table(store)
    graph = nx.DiGraph(name="funding")
    for row in store.select(load_query("analysis/funding-links")):
        investor, fundee = row["investor"], row["fundee"]
        for node in (investor, fundee):
            if node not in graph:
                graph.add_node(node, **nodes.get(node, {"label": node, "type": "Organization",
                                                        "sources": []}))
        edge = graph.get_edge_data(investor, fundee) or {
            "predicate": "kg:funds", "weight": 0.0, "events": 0, "currencies": []}
        edge["weight"] += float(row.get("amount") or 0)
        edge["events"] += 1
        if row.get("currency") and row["currency"] not in edge["currencies"]:
            edge["currencies"].append(row["currency"])
        graph.add_edge(investor, fundee, **edge)
    return graph


def lab_model_view(store: GraphStore) -> nx.Graph:
    """Labs and their models (bipartite: ``developer`` edges)."""
    nodes = _node_table(store)
    graph = nx.Graph(name="lab-model")
    for node, attrs in nodes.items():
        if attrs["type"] == "Model" and attrs.get("developer") in nodes:
            lab = attrs["developer"]
            graph.add_node(lab, **nodes[lab])
            graph.add_node(node, **attrs)
            graph.add_edge(lab, node, predicate="kg:developer")
    return graph


def lineage_view(store: GraphStore) -> nx.DiGraph:
    """Models -> the models they are based on or succeed (``kg:basedOn``, ``kg:successorOf``)."""
    nodes = _node_table(store)
    graph = nx.DiGraph(name="lineage")
    for node, attrs in nodes.items():
        if attrs["type"] == "Model":
            graph.add_node(node, **attrs)
    for row in store.select(load_query("analysis/model-lineage")):
        if row["model"] in graph and row["parent"] in graph:
            graph.add_edge(row["model"], row["parent"], predicate=row["p"])
    return graph


def competition_view(store: GraphStore) -> nx.Graph:
    """Labs linked when they ship models in the same segment (openness level and capability);
    ``weight`` counts the shared segments, ``segments`` names them."""
    nodes = _node_table(store)
    by_segment: dict[tuple[str, str], set[str]] = {}
    for row in store.select(load_query("analysis/lab-segments")):
        by_segment.setdefault((row["level"], row["capability"]), set()).add(row["lab"])
    graph = nx.Graph(name="competition")
    for (level, capability), labs in sorted(by_segment.items()):
        for lab in labs:
            graph.add_node(lab, **nodes.get(lab, {"label": lab, "type": "Lab", "sources": []}))
        ordered = sorted(labs)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                edge = graph.get_edge_data(a, b) or {"predicate": "kg:competesIn", "weight": 0,
                                                     "segments": []}
                edge["weight"] += 1
                edge["segments"].append(f"{level}/{capability}")
                graph.add_edge(a, b, **edge)
    return graph


def positioning_view(store: GraphStore) -> nx.Graph:
    """Models placed by openness score and licence permissiveness
    (:func:`kg.analysis.measures.positioning`; ``permissiveness`` is None when no licence
    is known) and their labs (placed at their models' mean, ``developer`` edges).

    >>> from kg.landscape import Landscape
    >>> g = positioning_view(Landscape.load().store)
    >>> g.nodes["model:llama-2"]["permissiveness"] < g.nodes["model:gpt-oss-120b"]["permissiveness"]
    True
    """
    from kg.analysis.measures import positioning

    nodes = _node_table(store)
    graph = nx.Graph(name="positioning", layout="positioning")
    for row in positioning(store):
        model = row["model"]
        attrs = {**nodes.get(model, {"label": row["label"], "type": "Model", "sources": []}),
                 "openness": row["openness"], "permissiveness": row["permissiveness"],
                 "level": row["level"], "frontier": row["frontier"]}
        graph.add_node(model, **attrs)
        lab = attrs.get("developer")
        if lab in nodes:
            if lab not in graph:
                graph.add_node(lab, **nodes[lab], placed=[])
            graph.nodes[lab]["placed"].append((row["openness"], row["permissiveness"]))
            graph.add_edge(lab, model, predicate="kg:developer")
    for _node, attrs in graph.nodes(data=True):
        placed = attrs.pop("placed", None)
        if placed is not None:
            known = [p for _, p in placed if p is not None]
            attrs["openness"] = round(sum(o for o, _ in placed) / len(placed), 3)
            attrs["permissiveness"] = round(sum(known) / len(known), 3) if known else None
    return graph


#: The views by the name ``--view`` takes.
VIEWS: dict[str, Callable[[GraphStore], nx.Graph]] = {
    "full": full_graph,
    "funding": funding_view,
    "lab-model": lab_model_view,
    "lineage": lineage_view,
    "competition": competition_view,
    "positioning": positioning_view,
}


def project(store: GraphStore, name: str) -> nx.Graph:
    """The projection called ``name`` (a key of :data:`VIEWS`)."""
    from kg.errors import KgError

    if name not in VIEWS:
        raise KgError(f"unknown view '{name}'; use one of {', '.join(VIEWS)}")
    return VIEWS[name](store)
