"""What fusion decided, for people: the canonical entity a name resolves to (``kg resolve``)
and the pairs it left for review (``kg review``), and the file where a user pins decisions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.fusion.fuse import GRAPH_BASE
from kg.namespaces import PREFIXES, compact
from kg.queries import load_query
from kg.reports.entities import EntityIndex, EntityNotFound, expand, normalise, to_iri
from kg.store import GraphStore

#: The file in the store folder that holds the user's pinned decisions.
DECISIONS = "decisions.ttl"


def resolve_name(store: GraphStore, index: EntityIndex, name: str,
                 source: str | None = None) -> dict[str, Any]:
    """The canonical entity ``name`` resolves to: ``{"id", "label", "sources"}``; with
    ``source``, the entity that source's record of that name was resolved to.

    >>> from kg.landscape import Landscape
    >>> landscape = Landscape.load()
    >>> resolve_name(landscape.store, landscape.index, "Llama 2")["id"]
    'model:llama-2'
    """
    if source is None:
        iri = expand(name) or ""
        if iri not in index.labels:
            iri = index.resolve(name)
        records = store.select(load_query("fusion/records"), {"record": ox.NamedNode(iri)})
        if records:  # a record's id: its entity
            iri = to_iri(records[0]["entity"])
    else:
        graph = ox.NamedNode(GRAPH_BASE + source)
        rows = store.select(load_query("fusion/records"), {"graph": graph})
        if not rows and source != "curated":
            raise KgError(f"no source '{source}' is loaded; `kg sources` lists them")
        exact = {to_iri(r["entity"]) for r in rows
                 if r["label"] == name or to_iri(r["record"]) == expand(name)}
        key = normalise(name)  # else a looser spelling ("llama-2" for "Llama 2")
        hits = sorted(exact or {to_iri(r["entity"]) for r in rows if normalise(r["label"]) == key})
        if source == "curated":
            hits = [i for i in [index.resolve(name, ("kg:Model",))] if not _minted(store, i)]
        if not hits:
            raise EntityNotFound(f"source '{source}' has no record named '{name}'")
        if len(hits) > 1:
            raise EntityNotFound(f"source '{source}' has several records named '{name}', of "
                                 + "; ".join(index.display(h) for h in hits))
        iri = hits[0]
    return {"id": compact(iri), "label": index.labels.get(iri, compact(iri)),
            "sources": entity_sources(store, iri)}


def entity_sources(store: GraphStore, iri: str) -> list[str]:
    """The sources that describe an entity: "curated" when the curated data does, and each
    dataset whose records were resolved to it."""
    names = set()
    for row in store.select(load_query("fusion/records"), {"entity": ox.NamedNode(iri)}):
        names.add(to_iri(row["graph"]).removeprefix(GRAPH_BASE))
    curated = [] if _minted(store, iri) else ["curated"]
    return curated + sorted(names)


def _minted(store: GraphStore, iri: str) -> bool:
    return bool(store.query(load_query("fusion/minted"), {"entity": ox.NamedNode(iri)}).boolean)


def review(store: GraphStore) -> list[dict[str, Any]]:
    """The pairs fusion did not merge but found alike, most alike first: each side's id
    (a record's or a curated model's: what a pin names), label and model."""
    return store.select(load_query("fusion/review"))


def pin(home: Path, a: str, b: str, same: bool, store: GraphStore) -> Path:
    """Record the user's decision that ``a`` and ``b`` (ids of records or curated models) are
    the same model or different ones, in ``home/decisions.ttl`` (replaced atomically; an
    earlier decision on the pair is replaced). Returns the file."""
    from kg.store.export import write_atomically

    items = {to_iri(a), to_iri(b)}
    known = {to_iri(r["record"]) for r in store.select(load_query("fusion/records"))}
    minted = {to_iri(r["entity"]) for r in store.select(load_query("fusion/minted-models"))}
    known |= {to_iri(r["m"]) for r in store.select(load_query("store/models"))} - minted
    unknown = sorted(i for i in items if i not in known)
    if unknown:
        raise KgError(f"not a record or curated model id: {', '.join(map(compact, unknown))}; "
                      "`kg review` and `kg resolve NAME --source SRC` show ids")
    if len(items) < 2:
        raise KgError("name two different ids")
    path = home / DECISIONS
    kept = [q for q in _read(path)
            if {getattr(q.subject, "value", ""), getattr(q.object, "value", "")} != items]
    predicate = PREFIXES["owl"] + ("sameAs" if same else "differentFrom")
    first, second = sorted(items)
    kept.append(ox.Quad(ox.NamedNode(first), ox.NamedNode(predicate), ox.NamedNode(second)))
    body = ox.serialize(kept, format=ox.RdfFormat.TURTLE,
                        prefixes={k: PREFIXES[k] for k in ("owl", "model", "epoch", "osai",
                                                           "mof", "ecosystem-graphs")})
    header = (b"# Decisions pinned with `kg review --same/--different`: they win over the\n"
              b"# automatic record linkage and survive re-imports.\n")
    home.mkdir(parents=True, exist_ok=True)
    write_atomically(path, header + (body or b""))
    return path


def _read(path: Path) -> list[ox.Quad]:
    if not path.is_file():
        return []
    from kg.store.load import parse_file

    return [q for q in parse_file(path)
            if q.predicate.value in (PREFIXES["owl"] + "sameAs", PREFIXES["owl"] + "differentFrom")]
