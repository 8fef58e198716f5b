"""Positioning analyses over the graph's NetworkX projections and its licence terms.

Scores are documented in docs/analysis.md; every function reads the graph through SPARQL
(directly or through kg.analysis.projections) and calls NetworkX's public algorithms, so NetworkX
backends (e.g. nx-parallel) apply unchanged.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.policy.restrictions import kind_of
from kg.queries import load_query
from kg.store import GraphStore
from kg.store.terms import first_day

#: Weight of each openness component in a model's openness score (they sum to 1).
COMPONENT_WEIGHTS: dict[str, float] = {
    "weights": 0.30, "inference-code": 0.10, "training-code": 0.15, "training-data": 0.15,
    "data-documentation": 0.05, "architecture": 0.10, "paper": 0.05, "model-card": 0.05,
    "evaluation": 0.05,
}
#: Value of each grade.
GRADE_VALUES: dict[str, float] = {"open": 1.0, "partial": 0.5, "closed": 0.0}
#: Rights a licence may grant directly, and what it costs in permissiveness to lack each.
MISSING_RIGHT_PENALTY: dict[str, float] = {
    "odrl:reproduce": 0.05, "odrl:distribute": 0.10, "odrl:modify": 0.10, "odrl:derive": 0.05,
}
#: Permissiveness lost per prohibition, by what it restricts.
PROHIBITION_PENALTY: dict[str, float] = {
    "non-commercial": 0.50, "use": 0.50, "user threshold": 0.20, "region": 0.10,
    "train other models": 0.10, "purpose": 0.05,
}
#: Permissiveness lost per duty.
DUTY_PENALTY: dict[str, float] = {"odrl:attribute": 0.02,
                                  "kg:complyWithAcceptableUsePolicy": 0.05}


def centrality(graph: nx.Graph) -> list[dict[str, Any]]:
    """Degree, betweenness (estimated from 500 sample sources above 1,000 nodes) and
    PageRank of every node, highest PageRank first."""
    simple = nx.Graph(graph) if graph.is_multigraph() else graph
    degree = nx.degree_centrality(simple)
    # exact up to 1,000 nodes; beyond, networkx's estimate from 500 seeded sample sources
    sample = {"k": 500, "seed": 42} if len(simple) > 1000 else {}
    betweenness = nx.betweenness_centrality(simple, **sample)
    pagerank = nx.pagerank(simple, weight="weight" if _weighted(simple) else None)
    rows = [{"node": n, "label": simple.nodes[n].get("label", n),
             "type": simple.nodes[n].get("type"), "degree": round(degree[n], 4),
             "betweenness": round(betweenness[n], 4), "pagerank": round(pagerank[n], 4)}
            for n in simple]
    return sorted(rows, key=lambda r: (-r["pagerank"], r["node"]))


def communities(graph: nx.Graph, seed: int = 42) -> list[dict[str, Any]]:
    """Louvain communities (seeded, so repeatable), largest first."""
    undirected = nx.Graph(graph.to_undirected()) if graph.is_directed() or \
        graph.is_multigraph() else graph
    found = nx.community.louvain_communities(
        undirected, seed=seed, weight="weight" if _weighted(undirected) else None)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return [{"community": i + 1, "size": len(members),
             "members": [undirected.nodes[m].get("label", m) for m in members]}
            for i, members in enumerate(ordered)]


def _weighted(graph: nx.Graph) -> bool:
    return any("weight" in d for _, _, d in graph.edges(data=True))


def openness_scores(store: GraphStore) -> list[dict[str, Any]]:
    """Each model's openness score in [0, 1]: the weighted grades of its components. A
    component the graph does not grade takes the default of the model's openness level
    (what the level releases or withholds), else counts as closed; ``graded`` says how
    much of the weight rests on explicit grades."""
    defaults: dict[str, dict[str, str]] = {}
    for row in store.select(load_query("analysis/level-default-grades")):
        defaults.setdefault(row["level"], {})[row["component"]] = row["grade"]
    models: dict[str, dict[str, Any]] = {}
    for row in store.select(load_query("analysis/component-grades")):
        model = models.setdefault(row["model"], {"model": row["model"], "label": row["label"],
                                                 "lab": row["lab"], "level": row["level"],
                                                 "grades": {}})
        if row.get("component"):
            # several grades for one component (per size): keep the most open
            old = model["grades"].get(row["component"])
            if old is None or GRADE_VALUES[row["grade"]] > GRADE_VALUES[old]:
                model["grades"][row["component"]] = row["grade"]
    rows = []
    for model in models.values():
        score = graded = 0.0
        for component, weight in COMPONENT_WEIGHTS.items():
            grade = model["grades"].get(component)
            if grade is not None:
                graded += weight
            else:
                grade = defaults.get(model["level"], {}).get(component, "closed")
            score += weight * GRADE_VALUES[grade]
        rows.append({"model": model["model"], "label": model["label"], "lab": model["lab"],
                     "level": model["level"], "openness": round(score, 3),
                     "graded": round(graded, 3)})
    return sorted(rows, key=lambda r: (-r["openness"], r["label"]))


def lab_openness(store: GraphStore) -> list[dict[str, Any]]:
    """Each lab's mean, minimum and maximum model openness score."""
    by_lab: dict[str, list[float]] = {}
    for row in openness_scores(store):
        by_lab.setdefault(row["lab"], []).append(row["openness"])
    rows = [{"lab": lab, "models": len(s), "mean": round(sum(s) / len(s), 3),
             "min": min(s), "max": max(s)} for lab, s in by_lab.items()]
    return sorted(rows, key=lambda r: (-r["mean"], r["lab"]))


def permissiveness(store: GraphStore) -> list[dict[str, Any]]:
    """Each licence's permissiveness in [0, 1] from its terms: 1, less a penalty for each
    core right it does not grant, each prohibition (by what it restricts) and each duty."""
    licences: dict[str, dict[str, Any]] = {}
    for row in store.select(load_query("policy/licence-rules")):
        entry = licences.setdefault(row["licence"], {"label": row["licenceLabel"],
                                                     "granted": set(), "rules": {}})
        rule = entry["rules"].setdefault(row["rule"], {"kind": row["kind"], "actions": set(),
                                                       "left": set()})
        rule["actions"].add(row["action"])
        if row.get("left"):
            rule["left"].add(row["left"])
        if row["kind"] == "odrl:permission":
            entry["granted"].add(row["action"])
    rows = []
    for iri, entry in licences.items():
        score = 1.0
        notes = []
        for right, penalty in MISSING_RIGHT_PENALTY.items():
            if right not in entry["granted"]:
                score -= penalty
                notes.append(f"no {right.split(':')[1]} right")
        for rule in entry["rules"].values():
            if rule["kind"] == "odrl:prohibition":
                what = kind_of(rule["actions"], rule["left"])
                score -= PROHIBITION_PENALTY[what]
                notes.append(what)
            elif rule["kind"] == "odrl:obligation":
                for action in rule["actions"]:
                    score -= DUTY_PENALTY.get(action, 0.02)
        rows.append({"licence": iri, "label": entry["label"],
                     "permissiveness": round(max(score, 0.0), 3),
                     "restrictions": sorted(set(notes))})
    return sorted(rows, key=lambda r: (-r["permissiveness"], r["label"]))


def positioning(store: GraphStore) -> list[dict[str, Any]]:
    """Each model's openness score, its licence's permissiveness (its most permissive licence)
    and recency (release date scaled to [0, 1] over the graph's range, the capability proxy
    the graph supports), with whether it lies on the Pareto frontier of the three."""
    licence_scores = {r["licence"]: r["permissiveness"] for r in permissiveness(store)}
    facts: dict[str, dict[str, Any]] = {}
    for row in store.select(load_query("analysis/model-positioning-facts")):
        day = first_day(row["released"])
        if day is None:
            continue
        fact = facts.setdefault(row["model"], {"released": day, "licences": set(),
                                               "capabilities": set()})
        if row.get("licence"):
            fact["licences"].add(row["licence"])
        if row.get("capability"):
            fact["capabilities"].add(row["capability"])
    dates = [f["released"].toordinal() for f in facts.values()]
    first, last = (min(dates), max(dates)) if dates else (0, 0)
    rows = []
    for score in openness_scores(store):
        found = facts.get(score["model"])
        if found is None:
            continue
        fact = found
        known = [licence_scores[lic] for lic in fact["licences"] if lic in licence_scores]
        rows.append({**{k: score[k] for k in ("model", "label", "lab", "level", "openness")},
                     "permissiveness": max(known) if known else None,
                     "recency": round((fact["released"].toordinal() - first)
                                      / max(last - first, 1), 3),
                     "released": fact["released"],
                     "capabilities": sorted(fact["capabilities"])})
    placed = [r for r in rows if r["permissiveness"] is not None]
    for row in rows:
        row["frontier"] = row["permissiveness"] is not None and not any(
            _dominates(other, row) for other in placed)
    return sorted(rows, key=lambda r: (not r["frontier"], -r["openness"], r["label"]))


def _dominates(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("openness", "permissiveness", "recency")
    return all(a[k] >= b[k] for k in keys) and any(a[k] > b[k] for k in keys)


#: The bins of the niche map: (name, lower bound inclusive, upper bound exclusive).
BINS = (("low", 0.0, 1 / 3), ("mid", 1 / 3, 2 / 3), ("high", 2 / 3, 1.01))


def niches(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The openness x permissiveness map in 3 x 3 cells, with the models in each; empty
    cells are the empty niches."""
    cells = []
    for o_name, o_low, o_high in BINS:
        for p_name, p_low, p_high in BINS:
            members = [r["label"] for r in rows if r["permissiveness"] is not None
                       and o_low <= r["openness"] < o_high
                       and p_low <= r["permissiveness"] < p_high]
            cells.append({"openness": o_name, "permissiveness": p_name, "models": len(members),
                          "examples": sorted(members)[:5], "empty": not members})
    return cells


def nearest_competitors(store: GraphStore, entity: str, top: int = 5) -> list[dict[str, Any]]:
    """The models (for a model) or labs (for a lab) most similar to ``entity`` (a compact
    id): similarity over openness components, licence permissiveness, openness level and
    capabilities; a model's own lab is left out."""
    placed = positioning(store)
    if any(r["model"] == entity for r in placed):
        items = {r["model"]: _vector(r) for r in placed}
        own = next(r["lab"] for r in placed if r["model"] == entity)
        labels = {r["model"]: (r["label"], r["lab"]) for r in placed}
        candidates = [m for m in items if m != entity and labels[m][1] != own]
    else:
        labs: dict[str, list[dict[str, Any]]] = {}
        for row in placed:
            labs.setdefault(row["lab"], []).append(row)
        lab_label = _label_of(store, entity)
        if lab_label not in labs:
            return []
        items = {lab: _mean_vector([_vector(r) for r in models])
                 for lab, models in labs.items()}
        entity = lab_label
        labels = {lab: (lab, lab) for lab in labs}
        candidates = [lab for lab in labs if lab != lab_label]
    target = items[entity]
    scored = [{"candidate": c, "label": labels[c][0], "lab": labels[c][1],
               "similarity": round(_similarity(target, items[c]), 3)} for c in candidates]
    return sorted(scored, key=lambda r: (-r["similarity"], r["label"]))[:top]


def _label_of(store: GraphStore, compact_id: str) -> str | None:
    import pyoxigraph as ox

    from kg.reports.entities import to_iri

    rows = store.select(load_query("analysis/entity-label"),
                        {"entity": ox.NamedNode(to_iri(compact_id))})
    return rows[0]["label"] if rows else None


def _vector(row: dict[str, Any]) -> dict[str, Any]:
    return {"openness": row["openness"], "permissiveness": row["permissiveness"] or 0.0,
            "levels": {row["level"]}, "capabilities": set(row["capabilities"])}


def _mean_vector(vectors: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(vectors)
    return {"openness": sum(v["openness"] for v in vectors) / n,
            "permissiveness": sum(v["permissiveness"] for v in vectors) / n,
            "levels": set().union(*(v["levels"] for v in vectors)),
            "capabilities": set().union(*(v["capabilities"] for v in vectors))}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _similarity(a: dict[str, Any], b: dict[str, Any]) -> float:
    """0.3 openness + 0.2 permissiveness closeness + 0.25 shared levels + 0.25 capabilities."""
    return (0.3 * (1 - abs(a["openness"] - b["openness"]))
            + 0.2 * (1 - abs(a["permissiveness"] - b["permissiveness"]))
            + 0.25 * _jaccard(a["levels"], b["levels"])
            + 0.25 * _jaccard(a["capabilities"], b["capabilities"]))


def path_between(graph: nx.Graph, source: str, target: str) -> list[dict[str, Any]]:
    """The shortest chain of links between two entities (compact ids) in ``graph`` (the
    full projection, :func:`kg.analysis.projections.full_graph`), one row per step with the
    predicate that links it and its direction."""
    undirected = nx.Graph()
    for u, v, data in graph.edges(data=True):
        undirected.add_edge(u, v, predicate=data["predicate"], forward=(u, v))
    for node in (source, target):
        if node not in undirected:
            return []
    try:
        nodes = nx.shortest_path(undirected, source, target)
    except nx.NetworkXNoPath:
        return []
    steps = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        edge = undirected.edges[u, v]
        steps.append({"from": graph.nodes[u]["label"], "link": edge["predicate"],
                      "direction": "->" if edge["forward"] == (u, v) else "<-",
                      "to": graph.nodes[v]["label"], "to_id": v})
    return steps


#: The analyses :func:`run` offers, with what each needs: a projection (``graph``), the
#: store, an entity, or two.
ANALYSES = ("centrality", "communities", "openness", "lab-openness", "permissiveness",
            "positioning", "niches", "competitors", "path", "frontier-gap")


def run(analysis: str, store: GraphStore, *, graph: nx.Graph | None = None,
        entity: str | None = None, target: str | None = None,
        **options: Any) -> list[dict[str, Any]]:
    """The rows of ``analysis`` (one of :data:`ANALYSES`): centrality and communities over
    ``graph``; competitors of ``entity``; the path from ``entity`` to ``target`` (compact
    ids) in ``graph`` (the full view); the others over the whole store. ``options``:
    ``top`` (centrality, competitors),
    ``seed`` (communities), ``include_unreleased`` (frontier-gap: count unreleased models as
    closed; :mod:`kg.analysis.frontier`).
    """
    from kg.errors import KgError

    if analysis in ("centrality", "communities") and graph is None:
        raise KgError(f"the {analysis} analysis needs a view")
    if analysis in ("competitors", "path") and entity is None:
        raise KgError(f"the {analysis} analysis needs an entity")
    top = options.get("top")
    if analysis == "centrality":
        assert graph is not None
        return centrality(graph)[:top]
    if analysis == "communities":
        assert graph is not None
        return communities(graph, seed=options.get("seed", 42))
    if analysis == "openness":
        return openness_scores(store)
    if analysis == "lab-openness":
        return lab_openness(store)
    if analysis == "permissiveness":
        return permissiveness(store)
    if analysis == "positioning":
        return positioning(store)
    if analysis == "niches":
        return niches(positioning(store))
    if analysis == "competitors":
        assert entity is not None
        return nearest_competitors(store, entity, top or 5)
    if analysis == "path":
        if target is None:
            raise KgError("the path analysis needs a target")
        assert entity is not None
        if graph is None:
            raise KgError("the path analysis needs the full view")
        return path_between(graph, entity, target)
    if analysis == "frontier-gap":
        from kg.analysis.frontier import frontier_gap

        return frontier_gap(store, include_unreleased=options.get("include_unreleased", False))
    raise KgError(f"unknown analysis '{analysis}'; use one of {', '.join(ANALYSES)}")
