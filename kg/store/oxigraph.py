"""The default backend: embedded Oxigraph (pyoxigraph), in memory or on disk."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.errors import QueryRefused, QuerySyntaxError
from kg.namespaces import PREFIXES
from kg.store.base import GraphStore, QueryResult, uses_from, uses_service
from kg.store.terms import Term

#: The endpoints a query's SERVICE clauses name (for error messages).
_SERVICE_IRI = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?<([^>]*)>", re.IGNORECASE)


class OxigraphStore(GraphStore):
    """The default backend: a pyoxigraph Store, in memory or on disk."""

    backend = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> OxigraphStore:
        store = ox.Store()
        store.extend(quads)
        return cls(store)

    def _execute(self, sparql: str, bindings: Mapping[str, Term]) -> QueryResult:
        substitutions: dict[ox.Variable, Term | ox.Triple] | None = None
        if bindings and not any(isinstance(v, ox.BlankNode) for v in bindings.values()):
            from kg.store.remote import with_values

            # a VALUES block opening each WHERE clause lets the engine start from the bound
            # value (Oxigraph's substitutions join it after evaluating: 100x slower on a
            # landscape of thousands of models), with the same answers
            sparql = with_values(sparql, bindings)
        elif bindings:  # a blank node cannot be written in VALUES
            substitutions = {ox.Variable(k): v for k, v in bindings.items()}
        failure = None
        try:
            # FROM names the dataset itself; otherwise the default graph is every graph
            answer = self.store.query(sparql, prefixes=PREFIXES,
                                      use_default_graph_as_union=not uses_from(sparql),
                                      substitutions=substitutions)
            # solutions are computed while they are read: errors can arise here too (an
            # allowed SERVICE that cannot connect), so reading stays inside the try
            result = QueryResult.read(answer)
        except SyntaxError as err:
            raise QuerySyntaxError(f"SPARQL syntax {err.msg or err}") from None
        except (RuntimeError, OSError) as err:
            failure = str(err)
        if failure is not None:
            # raised outside the except block, so that no reference to the result set
            # (pyoxigraph binds it to this thread) travels with the error
            services = _SERVICE_IRI.findall(sparql) if uses_service(sparql) else []
            if services:
                failure = f"the SERVICE call to {', '.join(services)} failed: {failure}"
            raise QueryRefused(failure)
        return result

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)

