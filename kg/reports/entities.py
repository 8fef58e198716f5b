"""Find entities by loose names, and describe one entity with everything the graph says."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import EXIT_FAILED, KgError
from kg.namespaces import PREFIXES, compact
from kg.queries import load_query
from kg.store import GraphStore
from kg.store.terms import python_value


class EntityNotFound(KgError):
    """An unknown or ambiguous name; the message lists the closest matches."""

    exit_code = EXIT_FAILED


def normalise(text: str) -> str:
    """Fold case, accents, spaces and punctuation: "LLaMA 2", "Llama-2" and "llama 2" agree.

    >>> normalise("LLaMA-2") == normalise("llama 2")
    True
    """
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded.lower() if c.isalnum())


def expand(name: str) -> str | None:
    """A full IRI for ``prefix:local`` or ``<iri>`` / ``http...`` text, else None."""
    name = name.strip().removeprefix("<").removesuffix(">")
    if name.startswith(("http://", "https://", "urn:")):
        return name
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and local:
        return PREFIXES[prefix] + local
    return None


def to_iri(name: str) -> str:
    """The full IRI of a compact id (``model:gpt-2``) or IRI text; other text unchanged."""
    return expand(name) or name


@dataclass
class EntityIndex:
    """Every labelled IRI of the graph, findable by normalised label, alias or slug."""

    labels: dict[str, str]  # IRI -> display label
    types: dict[str, set[str]]  # IRI -> compact type names
    by_name: dict[str, set[str]]  # normalised name -> IRIs
    #: (normalised name, IRI) -> how the IRI bears the name: 0 its label, 1 preferred label,
    #: 2 an alias, 3 a notation, 4 its id's last segment
    rank_of: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def build(cls, store: GraphStore) -> EntityIndex:
        best: dict[str, tuple[int, bool, str]] = {}
        types: dict[str, set[str]] = {}
        names: list[tuple[str, str, int]] = []
        for row in store.query(load_query("reports/entity-labels")).solutions:
            iri = row["entity"].value
            term = row["label"]
            label = term.value
            language = term.language if isinstance(term, ox.Literal) else None
            rank = (int(row["rank"].value), language not in (None, "en"), label)
            best[iri] = min(best.get(iri, rank), rank)
            if "type" in row:
                types.setdefault(iri, set()).add(compact(row["type"].value))
            names.append((normalise(label), iri, rank[0]))
        labels = {iri: rank[2] for iri, rank in best.items()}
        for iri in labels:
            slug = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            names.append((normalise(slug), iri, 4))
        # a source's record is found through its model (kg resolve NAME --source SRC)
        records = {iri for iri, kinds in types.items() if "kg:ModelRecord" in kinds}
        by_name: dict[str, set[str]] = {}
        rank_of: dict[tuple[str, str], int] = {}
        for key, iri, how in names:
            if iri not in records:
                by_name.setdefault(key, set()).add(iri)
                rank_of[key, iri] = min(rank_of.get((key, iri), how), how)
        return cls(labels, types, by_name, rank_of)

    def display(self, iri: str) -> str:
        """``Label (prefix:local)`` for a known IRI, else the compact IRI."""
        label = self.labels.get(iri)
        return f"{label} ({compact(iri)})" if label else compact(iri)

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> str:
        """The one IRI ``name`` denotes (optionally among entities of the compact ``kinds``).

        Raises EntityNotFound, listing the closest matches, when none or several fit.
        """
        def fits(iri: str) -> bool:
            return not kinds or bool(self.types.get(iri, set()) & set(kinds))

        iri = expand(name)
        if iri is not None and iri in self.labels and fits(iri):
            return iri
        key = normalise(name)
        candidates = sorted(i for i in self.by_name.get(key, ()) if fits(i))
        if len(candidates) > 1:  # a label beats an alias, an alias an id's last segment
            first = min(self.rank_of.get((key, c), 4) for c in candidates)
            named = [c for c in candidates if self.rank_of.get((key, c), 4) == first]
            if len(named) == 1:
                candidates = named
        if len(candidates) == 1:
            return candidates[0]
        what = " or ".join(k.split(":")[-1] for k in kinds) if kinds else "entity"
        if candidates:
            raise EntityNotFound(f"'{name}' is ambiguous: it names " + "; ".join(
                f"{self.display(c)} [{', '.join(sorted(self.types.get(c, ())))}]"
                for c in candidates) + ". Use the id in brackets.")
        close = self.closest(name, kinds)
        hint = ("; closest: " + "; ".join(self.display(c) for c in close)) if close else ""
        raise EntityNotFound(f"no {what} named '{name}'{hint}")

    def closest(self, name: str, kinds: tuple[str, ...] = (), n: int = 5) -> list[str]:
        """Up to ``n`` IRIs whose names are nearest to ``name``."""
        key = normalise(name)
        names = [k for k, iris in self.by_name.items()
                 if not kinds or any(self.types.get(i, set()) & set(kinds) for i in iris)]
        near = difflib.get_close_matches(key, names, n=n, cutoff=0.5)
        near += [k for k in names if key and key in k and k not in near]
        found: list[str] = []
        for k in near:
            for iri in sorted(self.by_name[k]):
                if iri not in found and (not kinds or self.types.get(iri, set()) & set(kinds)):
                    found.append(iri)
        return found[:n]


def describe(store: GraphStore, index: EntityIndex, iri: str) -> dict[str, Any]:
    """Everything about one entity: its properties (blank-node facts nested), what refers to
    it, and the sources behind all of it."""
    bound = {"entity": ox.NamedNode(iri)}
    rows = store.query(load_query("reports/entity-properties"), bound).solutions
    by_node: dict[Any, list[tuple[str, Any]]] = {}
    for row in rows:
        by_node.setdefault(row["node"], []).append((row["property"].value, row["value"]))

    def render(term: Any, depth: int = 0) -> Any:
        if isinstance(term, list):
            return [render(t, depth) for t in term]
        if isinstance(term, ox.BlankNode) and term in by_node and depth < 4:
            return {compact(p): render(v, depth + 1) for p, v in _merge(by_node[term])}
        if isinstance(term, ox.NamedNode):
            return index.display(term.value)
        return python_value(term)

    properties = []
    for prop, value in by_node.get(ox.NamedNode(iri), []):
        properties.append({"property": compact(prop), "value": render(value)})
    properties.sort(key=lambda r: (r["property"] != "rdf:type", r["property"], str(r["value"])))
    referrers = [{"property": r["property"], "subject": r["subject"]}
                 for r in store.query(load_query("reports/entity-referrers"), bound).rows()]
    for r in referrers:
        r["subject"] = index.display(to_iri(r["subject"]))
    sources = store.query(load_query("reports/entity-sources"), bound).rows()
    for s in sources:
        s.pop("entity", None)
    from kg.reports.conflicts import conflicts

    by_source = [{"field": e["field"], "source": v["source"], "record": v["record"],
                  "value": v["value"], "shown": v["source"] == e["wins"],
                  "disagrees": not e["agree"]}
                 for e in conflicts(store, iri, all_facts=True) for v in e["values"]]
    return {"id": compact(iri), "label": index.labels.get(iri, compact(iri)),
            "types": sorted(index.types.get(iri, ())), "properties": properties,
            "referenced_by": referrers, "sources": sources, "facts_by_source": by_source}


def _merge(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Group repeated properties of one node into lists, in a stable order."""
    grouped: dict[str, list[Any]] = {}
    for prop, value in pairs:
        grouped.setdefault(prop, []).append(value)
    return [(p, vs[0] if len(vs) == 1 else vs) for p, vs in sorted(grouped.items())]
