"""The fused landscape: the curated entities and every source's records, resolved into
canonical organisations and models, each fact chosen by a documented precedence.

:func:`fuse` reads the loaded quads and returns the quads of the ``graph/fusion`` graph:

- each record is linked to its canonical model (``kg:recordOf``), with the evidence and score
  of the link (``kg:match``, a ``kg:Match``);
- a canonical model that no curated entity stands for is minted (``id/model/...``) and
  carries, for each fact, the value of the first source in :data:`PRECEDENCE` that states
  it, citing the records' sources; a curated model keeps its facts and takes from the
  sources only facts it lacks (parameters, training compute);
- organisations the sources name and the curated graph lacks are minted (``id/org/...``);
- a variant ("Llama 2-70B") is linked to its release (``kg:variantOf``);
- pairs of names too close to call are listed as ``kg:ReviewCandidate`` for ``kg review``.

A user's decisions are ``owl:sameAs`` / ``owl:differentFrom`` statements between two ids
(records' or models') in any loaded file outside the sources' graphs; they win.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.fusion.names import (
    VARIANT_WORDS,
    compact_key,
    is_size,
    model_tokens,
    nominal_size,
    normalise_label,
    org_words,
    slug,
)
from kg.fusion.resolve import Item, Org, Resolution, resolve_models, resolve_organisations
from kg.namespaces import BASE, ID, KG, PREFIXES

GRAPH_BASE = BASE + "graph/"
FUSION_GRAPH = ox.NamedNode(GRAPH_BASE + "fusion")

#: For each fact, the sources in the order their value wins ("curated" first; a source not
#: listed comes after the listed ones, in alphabetical order). Epoch AI specialises in dates,
#: sizes and compute; the Model Openness Tool and the Open Source AI Index in openness; the
#: project's model-card records (each model's licence as its developer's card names it) in
#: licences.
PRECEDENCE: dict[str, tuple[str, ...]] = {
    "label": ("curated", "epoch", "osai", "mof", "ecosystem-graphs"),
    "developer": ("curated", "epoch", "osai", "mof", "ecosystem-graphs"),
    "releaseDate": ("curated", "epoch", "osai", "ecosystem-graphs", "mof"),
    "parameterCount": ("curated", "epoch", "mof", "osai", "ecosystem-graphs"),
    "trainingCompute": ("curated", "epoch"),
    "opennessLevel": ("curated", "mof", "osai", "epoch", "ecosystem-graphs"),
    "componentOpenness": ("curated", "mof", "osai", "epoch", "ecosystem-graphs"),
    "licence": ("curated", "model-cards", "mof", "osai", "ecosystem-graphs", "epoch"),
}
#: Facts a curated model takes from the sources when it states none itself.
FILLED_FOR_CURATED = ("parameterCount", "trainingCompute")

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
TYPE = ox.NamedNode(_RDF + "type")
LABEL = ox.NamedNode(_RDFS + "label")
ALT = ox.NamedNode(PREFIXES["skos"] + "altLabel")
SOURCE = ox.NamedNode(PREFIXES["dcterms"] + "source")
SAME = ox.NamedNode(PREFIXES["owl"] + "sameAs")
DIFFERENT = ox.NamedNode(PREFIXES["owl"] + "differentFrom")
SUBCLASS = ox.NamedNode(_RDFS + "subClassOf")
COMMENT = ox.NamedNode(_RDFS + "comment")


def k(local: str) -> ox.NamedNode:
    """A term of the project's ontology."""
    return ox.NamedNode(KG + local)


MODEL, RECORD, ORGANIZATION, LAB = k("Model"), k("ModelRecord"), k("Organization"), k("Lab")


def source_of_graph(graph: Any) -> str | None:
    """The source name of a dataset's named graph (``graph/epoch`` -> "epoch")."""
    if isinstance(graph, ox.NamedNode) and graph.value.startswith(GRAPH_BASE):
        name = graph.value[len(GRAPH_BASE):]
        return None if name == "fusion" else name
    return None


def _rank(fact: str, source: str) -> tuple[int, str]:
    order = PRECEDENCE[fact]
    return (order.index(source), "") if source in order else (len(order), source)


class _Graph:
    """The loaded quads indexed by subject: what fusion reads."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.props: dict[Any, dict[ox.NamedNode, list[Any]]] = defaultdict(
            lambda: defaultdict(list))
        self.types: dict[Any, set[ox.NamedNode]] = defaultdict(set)
        self.graph_of: dict[Any, Any] = {}
        self.pins_same: list[tuple[str, str]] = []
        self.pins_different: list[tuple[str, str]] = []
        for q in quads:
            s, p, o = q.subject, q.predicate, q.object
            self.props[s][p].append(o)
            if p == TYPE and isinstance(o, ox.NamedNode):
                self.types[s].add(o)
                if o == RECORD:
                    self.graph_of[s] = q.graph_name
            elif p in (SAME, DIFFERENT) and source_of_graph(q.graph_name) is None \
                    and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                (self.pins_same if p == SAME else self.pins_different).append((s.value, o.value))

    def values(self, s: Any, p: ox.NamedNode) -> list[Any]:
        return self.props.get(s, {}).get(p, [])

    def first(self, s: Any, p: ox.NamedNode) -> Any:
        found = self.values(s, p)
        return found[0] if found else None

    def subclasses(self, root: ox.NamedNode) -> set[ox.NamedNode]:
        found, pending = {root}, [root]
        children: dict[Any, list[Any]] = defaultdict(list)
        for s, props in self.props.items():
            for parent in props.get(SUBCLASS, ()):
                children[parent].append(s)
        while pending:
            for child in children.get(pending.pop(), ()):
                if child not in found:
                    found.add(child)
                    pending.append(child)
        return found


def fuse(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The ``graph/fusion`` quads for the loaded ``quads`` (empty when no source is loaded)."""
    graph = _Graph(quads)
    records = sorted((s for s in graph.graph_of if isinstance(s, ox.NamedNode)),
                     key=lambda s: s.value)
    if not records:
        return []
    org_classes = graph.subclasses(ORGANIZATION)
    curated_models = sorted((s for s, t in graph.types.items()
                             if MODEL in t and isinstance(s, ox.NamedNode)),
                            key=lambda s: s.value)
    curated_orgs = sorted((s for s, t in graph.types.items()
                           if t & org_classes and isinstance(s, ox.NamedNode)),
                          key=lambda s: s.value)
    parent_of = {s.value: graph.first(s, k("parentOrganization")).value for s in curated_orgs
                 if graph.first(s, k("parentOrganization")) is not None}
    orgs = resolve_organisations(
        [Org(_names(graph, s), s.value) for s in curated_orgs],
        (o.value for r in records for o in graph.values(r, k("organizationName"))))
    out = _Emitter()
    minted_orgs = _mint_organisations(graph, records, orgs, {s.value for s in curated_orgs},
                                      out)

    def org_ids(names: Iterable[str]) -> set[str]:
        return {minted_orgs.get(orgs[n], orgs[n]) for n in names if n in orgs}

    items = [Item(m.value, "curated", _release_names(graph, m),
                  {d.value for d in graph.values(m, k("developer"))},
                  set().union(*(org_words(n) for d in graph.values(m, k("developer"))
                                for n in _names(graph, d))))
             for m in curated_models]
    for r in records:
        source = source_of_graph(graph.graph_of[r]) or "user"
        org_names = [o.value for o in graph.values(r, k("organizationName"))]
        released = graph.first(r, k("releaseDate"))
        items.append(Item(r.value, source, _record_names(graph.first(r, LABEL).value),
                          org_ids(org_names), set().union(*map(org_words, org_names)),
                          released.value if released is not None else None,
                          _count(graph.first(r, k("parameterCount")))))
    resolution = resolve_models(items, parent_of, graph.pins_same, graph.pins_different)
    _emit_models(graph, resolution, {i.iri: i for i in items}, out)
    return out.quads


def _names(graph: _Graph, s: ox.NamedNode) -> list[str]:
    return [t.value for t in graph.values(s, LABEL) + graph.values(s, ALT)] or \
        [s.value.rsplit("/", 1)[-1]]


def _release_names(graph: _Graph, model: ox.NamedNode) -> list[str]:
    """A curated model's names to merge on: its label, and each alias but one that adds or
    drops a variant word ("Gemini 1.5 Pro" for "Gemini 1.5", "GPT-3.5" for
    "GPT-3.5 Turbo") or has a size ("Qwen-72B") that the model does not have as its one
    size: a release of several sizes ("Qwen2.5", 0.5B to 72B) merges on its plain names,
    and "Qwen2.5-72B" becomes a variant of it."""
    names = _names(graph, model)
    sizes = [int(v.value) for v in graph.values(model, k("parameterCount"))]
    label = set(model_tokens(names[0]))

    def fits(name: str) -> bool:
        tokens = model_tokens(name)
        if (set(tokens) ^ label) & VARIANT_WORDS:  # "Gemini 1.5 Pro" for "Gemini 1.5"
            return False
        given = [t for t in tokens if is_size(t)]
        if not given:
            return True
        return len(sizes) == 1 and all(_same_size(t, sizes[0]) for t in given)

    return names[:1] + [n for n in names[1:] if fits(n)]  # the label always stays


def _count(term: Any) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _record_names(label: str) -> list[str]:
    """A record's names: its label, and without a parenthesised acronym
    ("Stable Video 3D (SV3D)"); a parenthesised size ("Qwen2.5 Instruct (7B)") stays."""
    names = [label]
    match = re.fullmatch(r"(.+?)\s*\(([A-Za-z][A-Za-z0-9-]*)\)", label.strip())
    if match and not any(is_size(t) for t in model_tokens(match.group(2))):
        names.append(match.group(1))
    return names


def _same_size(token: str, count: int) -> bool:
    """Whether a size token ("7b", "1.5b", "350m") states ``count`` parameters (within 10%);
    a mixture of experts ("8x7b", 46.7B in all) shares layers, so it states at most N x M.

    >>> _same_size("7b", 7_000_000_000), _same_size("8x7b", 46_700_000_000)
    (True, True)
    """
    nominal, experts = nominal_size(token)
    if experts:
        return nominal / 2 <= count <= nominal
    return abs(nominal - count) <= 0.1 * count


class _Emitter:
    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.taken: set[str] = set()

    def add(self, s: Any, p: ox.NamedNode, o: Any) -> None:
        self.quads.append(ox.Quad(s, p, o, FUSION_GRAPH))

    def mint(self, kind: str, label: str, qualifier: str, existing: set[str]) -> str:
        base = f"{ID}{kind}/{slug(label)}"
        for candidate in (base, f"{base}--{slug(qualifier)}" if qualifier else base):
            if candidate not in existing and candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        number = 2
        while f"{base}-{number}" in existing or f"{base}-{number}" in self.taken:
            number += 1
        self.taken.add(f"{base}-{number}")
        return f"{base}-{number}"


def _mint_organisations(graph: _Graph, records: list[ox.NamedNode], orgs: dict[str, str],
                        curated: set[str], out: _Emitter) -> dict[str, str]:
    """Mint a kg:Lab for each organisation key no curated organisation stands for; returns
    key -> minted id."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, set[Any]] = defaultdict(set)
    for r in records:
        for name in graph.values(r, k("organizationName")):
            key = orgs.get(name.value)
            if key is not None and key not in curated:
                spellings[key][name.value] += 1
                sources[key].update(graph.values(r, SOURCE))
    minted: dict[str, str] = {}
    existing = curated | {s.value for s in graph.props if isinstance(s, ox.NamedNode)}
    for key in sorted(spellings):
        names = sorted(spellings[key], key=lambda n: (-spellings[key][n], n))
        iri = out.mint("org", names[0], "", existing)
        minted[key] = iri
        node = ox.NamedNode(iri)
        out.add(node, TYPE, LAB)
        out.add(node, LABEL, ox.Literal(names[0]))
        for other in names[1:]:
            out.add(node, ALT, ox.Literal(other))
        for source in sorted(sources[key], key=str):
            out.add(node, SOURCE, source)
    return minted


def _emit_models(graph: _Graph, resolution: Resolution, items: dict[str, Item],
                 out: _Emitter) -> None:
    existing = {s.value for s in graph.props if isinstance(s, ox.NamedNode)}
    canonical: dict[str, str] = {}
    for root, cluster in sorted(resolution.clusters.items()):
        curated = [i for i in cluster if items[i].curated]
        if curated:
            canonical[root] = curated[0]
            continue
        best = min(cluster, key=lambda i: (_rank("label", items[i].source), i))
        orgs = sorted(items[best].orgs)
        qualifier = orgs[0].rsplit("/", 1)[-1] if orgs else items[best].source
        canonical[root] = out.mint("model", items[best].names[0], qualifier, existing)
    # each name a model goes by -> its canonical model, for the records' base model names
    # (a name two models share links neither)
    named: dict[str, set[str]] = defaultdict(set)
    for root, cluster in resolution.clusters.items():
        for i in cluster:
            for name in items[i].names:
                named[compact_key(name)].add(canonical[root])
    by_name = {key: next(iter(found)) for key, found in named.items() if len(found) == 1}
    for root, cluster in sorted(resolution.clusters.items()):
        node = ox.NamedNode(canonical[root])
        records = [ox.NamedNode(i) for i in cluster if not items[i].curated]
        for record in records:
            link = resolution.links.get(record.value)
            out.add(record, k("recordOf"), node)
            match = ox.BlankNode()
            out.add(record, k("match"), match)
            out.add(match, TYPE, k("Match"))
            out.add(match, k("matchedEntity"), node)
            out.add(match, k("matchMethod"), ox.Literal(
                link.evidence if link else "the only record of this model"))
            out.add(match, k("matchScore"), _decimal(link.score if link else 1.0))
        if records:
            _emit_facts(graph, node, records, items, any(items[i].curated for i in cluster),
                        out)
        if root in resolution.variants and not graph.values(node, k("variantOf")):
            release, evidence = resolution.variants[root]
            out.add(node, k("variantOf"), ox.NamedNode(canonical[release]))
        if not graph.values(node, k("basedOn")):
            for base in sorted({by_name[key] for r in records
                                for name in graph.values(r, k("baseModelName"))
                                if (key := compact_key(name.value)) in by_name}
                               - {node.value}):
                out.add(node, k("basedOn"), ox.NamedNode(base))
    for candidate in resolution.review:
        review = ox.BlankNode()
        out.add(review, TYPE, k("ReviewCandidate"))
        # the clusters' first items (a record or a curated model): ids a pin can name
        out.add(review, k("candidate"), ox.NamedNode(candidate.a))
        out.add(review, k("candidate"), ox.NamedNode(candidate.b))
        out.add(review, k("matchScore"), _decimal(candidate.score))
        out.add(review, COMMENT, ox.Literal(candidate.evidence))


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(f"{value:.3f}", datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal"))


def _emit_facts(graph: _Graph, node: ox.NamedNode, records: list[ox.NamedNode],
                items: dict[str, Item], curated: bool, out: _Emitter) -> None:
    """The chosen value of each fact on a canonical model, by :data:`PRECEDENCE`."""

    def ordered(fact: str) -> list[ox.NamedNode]:
        return sorted(records, key=lambda r: (_rank(fact, items[r.value].source), r.value))

    used: set[ox.NamedNode] = set()
    if not curated:  # a minted model: its names, then each component's grade
        labels = [graph.first(r, LABEL) for r in ordered("label")]
        out.add(node, TYPE, MODEL)
        out.add(node, LABEL, labels[0])
        seen = {normalise_label(labels[0].value)}
        for other in labels[1:]:
            if normalise_label(other.value) not in seen:
                seen.add(normalise_label(other.value))
                out.add(node, ALT, other)
        used.add(ordered("label")[0])
        _emit_components(graph, node, ordered("componentOpenness"), out, used)
    facts = FILLED_FOR_CURATED if curated else tuple(
        f for f in PRECEDENCE if f not in ("label", "componentOpenness"))
    for fact in facts:
        if curated and graph.values(node, k(fact)):
            continue
        for record in ordered(fact):
            if fact == "developer":
                values = [ox.NamedNode(d) for d in sorted(items[record.value].orgs)]
            else:
                values = graph.values(record, k(fact))
            if values:
                for value in values[:1] if fact in ("releaseDate", "opennessLevel") else values:
                    out.add(node, k(fact), value)
                used.add(record)
                break
    for record in sorted(used, key=lambda r: r.value):
        for source in graph.values(record, SOURCE):
            out.add(node, SOURCE, source)


def _emit_components(graph: _Graph, node: ox.NamedNode, records: list[ox.NamedNode],
                     out: _Emitter, used: set[ox.NamedNode]) -> None:
    """Each component's grade from the first record (in precedence order) that grades it."""
    done: set[Any] = set()
    for record in records:
        for grading in graph.values(record, k("componentOpenness")):
            component = graph.first(grading, k("component"))
            grade = graph.first(grading, k("grade"))
            if component is None or grade is None or component in done:
                continue
            done.add(component)
            copy = ox.BlankNode()
            out.add(node, k("componentOpenness"), copy)
            out.add(copy, TYPE, k("ComponentOpenness"))
            out.add(copy, k("component"), component)
            out.add(copy, k("grade"), grade)
            for source in graph.values(grading, SOURCE) or graph.values(record, SOURCE):
                out.add(copy, SOURCE, source)
            used.add(record)
