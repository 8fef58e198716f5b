"""The default backend: embedded Oxigraph (pyoxigraph), in memory or on disk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.errors import QueryRefused, QuerySyntaxError
from kg.namespaces import PREFIXES
from kg.store.base import GraphStore, QueryResult, uses_from
from kg.store.terms import Term


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
        substitutions: dict[ox.Variable, Term | ox.Triple] | None = {
            ox.Variable(k): v for k, v in bindings.items()} or None
        try:
            # FROM names the dataset itself; otherwise the default graph is every graph
            answer = self.store.query(sparql, prefixes=PREFIXES,
                                      use_default_graph_as_union=not uses_from(sparql),
                                      substitutions=substitutions)
        except SyntaxError as err:
            raise QuerySyntaxError(f"SPARQL syntax {err.msg or err}") from None
        except RuntimeError as err:
            raise QueryRefused(str(err)) from None
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            solutions = [{n: s[n] for n in names if s[n] is not None} for s in answer]
            return QueryResult("select", names, solutions)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        return QueryResult("graph", triples=list(answer))

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)
