"""The Python API: one object that loads the graph and answers what the CLI answers.

>>> from kg import Landscape
>>> ls = Landscape.load()
>>> ls.query("SELECT ?year WHERE { model:gpt-2 kg:releaseDate ?d BIND (YEAR(?d) AS ?year) }")
[{'year': 2019}]
>>> ls.resolve("LLaMA 2")
'https://w3id.org/ai-landscape-kg/id/model/llama-2'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.load import graph_files, parse_all
from kg.store import GraphStore, OxigraphStore, QueryResult, RdflibStore

BACKENDS = ("oxigraph", "rdflib")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def to_term(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An RDF term for a Python value: terms pass through, numbers, dates and booleans
    become typed literals, strings plain literals (use :meth:`Landscape.iri` for IRIs)."""
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, Decimal | float):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "decimal"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    return ox.Literal(str(value))


class Landscape:
    """The loaded landscape graph. Build it with :meth:`load`."""

    def __init__(self, store: GraphStore, files: list[Path], as_of: date | None = None
                 ) -> None:
        self.store = store
        self.files = files
        self.as_of = as_of

    @classmethod
    def load(cls, data: Iterable[str | Path] = (), *, backend: str = "oxigraph",
             store_path: str | Path | None = None, cache: bool = True,
             as_of: date | None = None, endpoint: str | None = None) -> Landscape:
        """Load the shipped graph plus ``data`` files or folders.

        ``backend`` is ``"oxigraph"`` (default, embedded) or ``"rdflib"`` (plain memory). With
        Oxigraph the parsed graph is kept in an on-disk store, under ``store_path`` or the
        user cache folder, and reused until a file changes; ``cache=False`` keeps it in memory.
        With ``as_of``, the landscape is the one that stood on that date. With ``endpoint``
        (a SPARQL 1.1 query URL) every read goes to that server instead.
        """
        from kg.load import home_dir

        if endpoint is not None:
            from kg.remote import RemoteStore

            landscape = cls(RemoteStore(endpoint), [])
        else:
            files = graph_files(data, home=home_dir(store_path))
            landscape = cls._open(files, backend, store_path, cache)
        if as_of is not None:
            from kg.timeview import as_of as view

            return cls(view(landscape.store, as_of), landscape.files, as_of)
        return landscape

    @classmethod
    def _open(cls, files: list[Path], backend: str, store_path: str | Path | None,
              cache: bool) -> Landscape:

        def quads() -> list[ox.Quad]:
            return [q for _, file_quads in parse_all(files) for q in file_quads]

        if backend == "rdflib":
            return cls(RdflibStore(quads()), files)
        if backend != "oxigraph":
            raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
        if cache or store_path is not None:
            from kg.cache import cached_store

            folder = Path(store_path) if store_path is not None else None
            return cls(OxigraphStore(cached_store(files, quads, folder)), files)
        return cls(OxigraphStore.from_quads(quads()), files)

    # -- SPARQL -----------------------------------------------------------------------
    def result(self, sparql: str, *, timeout: float | None = None,
               allow_service: bool = False, **bindings: Any) -> QueryResult:
        """Run any query form and return the raw :class:`~kg.store.QueryResult`."""
        terms = {name: to_term(value) for name, value in bindings.items()}
        return self.store.query(sparql, terms, timeout=timeout, allow_service=allow_service)

    def query(self, sparql: str, *, timeout: float | None = None, allow_service: bool = False,
              **bindings: Any) -> list[dict[str, Any]] | bool | list[tuple[str, str, str]]:
        """Rows (SELECT), a boolean (ASK) or (s, p, o) tuples (CONSTRUCT, DESCRIBE) as plain
        Python values. Keyword arguments bind query variables (projected in the SELECT)."""
        answer = self.result(sparql, timeout=timeout, allow_service=allow_service, **bindings)
        if answer.kind == "ask":
            return bool(answer.boolean)
        if answer.kind == "graph":
            from kg.query import python_value

            return [(python_value(t.subject), python_value(t.predicate), python_value(t.object))
                    for t in answer.triples]
        return answer.rows()

    # -- names ------------------------------------------------------------------------
    @cached_property
    def index(self):
        """The entity index behind :meth:`resolve` (built on first use)."""
        from kg.entities import EntityIndex

        return EntityIndex.build(self.store)

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> str:
        """The IRI a loose name denotes ("llama 2", "Llama-2", "model:llama-2", an IRI)."""
        from kg.entities import expand

        iri = expand(name)
        if iri is not None and not kinds and self.store.query(
                "ASK { ?entity ?p ?o }", {"entity": ox.NamedNode(iri)}).boolean:
            return iri  # a known id needs no index
        return self.index.resolve(name, kinds)

    def iri(self, name: str) -> ox.NamedNode:
        """:meth:`resolve` as a term, for use as a query binding."""
        return ox.NamedNode(self.resolve(name))

    # -- the CLI's answers ------------------------------------------------------------
    def ask(self, name: str, **params: str) -> list[dict[str, Any]]:
        """The rows of the named question ``name`` with its parameters as strings."""
        from kg.questions import bind_parameters, get_question

        question = get_question(name)
        bindings = bind_parameters(question, params, self.resolve)
        return self.store.query(question.sparql, bindings).rows()

    def summary(self) -> dict[str, list[dict[str, Any]]]:
        """The landscape at a glance: see :func:`kg.summary.summarise`."""
        from kg.summary import summarise

        return summarise(self.store)

    def show(self, name: str) -> dict[str, Any]:
        """Everything about one entity, with sources: see :func:`kg.entities.describe`."""
        from kg.entities import describe

        return describe(self.store, self.index, self.resolve(name))

    def compare(self, *names: str) -> list[dict[str, Any]]:
        """Models side by side: see :func:`kg.compare.compare_models`."""
        from kg.compare import compare_models

        return compare_models(self.store, [self.resolve(n, ("kg:Model",)) for n in names])

    def sources(self) -> list[dict[str, Any]]:
        """Each source with its title, date, location and citation count."""
        from kg.sources import list_sources

        return list_sources(self.store)

    # -- licences as policy, and time -------------------------------------------------
    def can_use(self, name: str | None = None, *, purpose: str = "inference",
                commercial: bool = True, mau: int | None = None, region: str | None = None):
        """May a licensee in this situation use the model ``name`` (or, with no name, every
        model, most permissive first)? Returns :class:`kg.policy.Decision` objects."""
        from kg.policy import VERDICT_ORDER, Situation, evaluate_many

        situation = Situation(purpose, commercial, mau, region, self.as_of)
        if name is not None:
            return evaluate_many(self.store, [self.resolve(name, ("kg:Model",))], situation)[0]
        from kg.entities import to_iri

        models = [to_iri(r["m"]) for r in self.query("SELECT ?m WHERE { ?m a kg:Model }")]
        decisions = evaluate_many(self.store, models, situation)
        return sorted(decisions, key=lambda d: (VERDICT_ORDER.index(d.verdict), d.label))

    def timeline(self, name: str | None = None) -> list[dict[str, Any]]:
        """Dated events in order (releases, rounds, valuations, user counts, statements,
        licence versions), all of them or those of one entity."""
        from kg.timeview import events

        return events(self.store, self.resolve(name) if name else None)

    def diff(self, start: date, end: date) -> list[dict[str, Any]]:
        """What was added or changed between two dates, by lab."""
        from kg.timeview import diff

        return diff(self.store, start, end)

    def claims(self) -> list[dict[str, Any]]:
        """Each announcement or promise with its outcome and whether it was kept."""
        from kg.claims import claims

        return claims(self.store)
