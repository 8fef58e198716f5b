"""Plain rdflib in memory as a backend: slower, pure Python, and a second opinion on any
answer of the default engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.errors import QueryRefused, QuerySyntaxError
from kg.namespaces import PREFIXES
from kg.store.base import GraphStore, QueryResult
from kg.store.terms import Term, from_rdflib, to_rdflib


class RdflibStore(GraphStore):
    """Plain rdflib in memory: slower, but pure Python and a second opinion on any answer."""

    backend = "rdflib"

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        import rdflib

        self.dataset = rdflib.Dataset(default_union=True)
        for q in quads:
            graph = (self.dataset.default_graph if isinstance(q.graph_name, ox.DefaultGraph)
                     else self.dataset.graph(to_rdflib(q.graph_name)))
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))

    def _execute(self, sparql: str, bindings: Mapping[str, Term]) -> QueryResult:
        from pyparsing import ParseException

        try:
            answer = self.dataset.query(
                sparql, initNs=PREFIXES,
                initBindings={k: to_rdflib(v) for k, v in bindings.items()})
        except ParseException as err:
            raise QuerySyntaxError(f"SPARQL syntax error at {err.lineno}:{err.col}: "
                                   f"{err.msg}") from None
        except Exception as err:  # rdflib raises many kinds for unsupported queries
            raise QueryRefused(f"rdflib could not run the query: {err}") from None
        if answer.type == "ASK":
            return QueryResult("ask", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("graph", triples=[
                ox.Triple(*(from_rdflib(t) for t in triple)) for triple in answer.graph])
        names = [str(v) for v in answer.vars]
        solutions = []
        for row in answer:
            solutions.append({n: from_rdflib(row[n]) for n in names
                              if row[n] is not None})
        return QueryResult("select", names, solutions)

    def quads(self) -> Iterator[ox.Quad]:
        for s, p, o, g in self.dataset.quads():
            graph = (ox.DefaultGraph() if g is None or g == self.dataset.default_graph.identifier
                     else from_rdflib(g))
            yield ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), graph)

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads())
