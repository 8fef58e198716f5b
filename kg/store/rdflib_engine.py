"""Plain rdflib in memory as a backend: slower, pure Python, and a second opinion on any
answer of the default engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from kg.errors import QueryRefused, QuerySyntaxError
from kg.namespaces import PREFIXES
from kg.store.base import GraphStore, QueryResult
from kg.store.terms import Term, from_rdflib, to_rdflib

if TYPE_CHECKING:  # rdflib is imported only when this backend is used
    from rdflib.term import Identifier, Node


class RdflibStore(GraphStore):
    """Plain rdflib in memory: slower, but pure Python and a second opinion on any answer."""

    backend = "rdflib"

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        import rdflib

        self.dataset = rdflib.Dataset(default_union=True)
        for q in quads:
            graph = (self.dataset.default_graph if isinstance(q.graph_name, ox.DefaultGraph)
                     else self.dataset.graph(cast("rdflib.IdentifiedNode",
                                                  to_rdflib(q.graph_name))))
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))

    def _execute(self, sparql: str, bindings: Mapping[str, Term]) -> QueryResult:
        from pyparsing import ParseException
        from rdflib.query import ResultRow

        try:
            answer = self.dataset.query(
                sparql, initNs=PREFIXES,
                initBindings={k: cast("Identifier", to_rdflib(v)) for k, v in bindings.items()})
        except ParseException as err:
            raise QuerySyntaxError(f"SPARQL syntax error at {err.lineno}:{err.col}: "
                                   f"{err.msg}") from None
        except Exception as err:  # rdflib raises many kinds for unsupported queries
            raise QueryRefused(f"rdflib could not run the query: {err}") from None
        if answer.type == "ASK":
            return QueryResult("ask", boolean=bool(answer.askAnswer))
        if answer.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("graph", triples=[
                _triple(*triple) for triple in answer.graph or ()])
        names = [str(v) for v in answer.vars or ()]
        solutions = []
        for row in answer:
            assert isinstance(row, ResultRow)
            solutions.append({n: from_rdflib(row[n]) for n in names if row[n] is not None})
        return QueryResult("select", names, solutions)

    def quads(self) -> Iterator[ox.Quad]:
        for s, p, o, g in self.dataset.quads():
            triple = _triple(s, p, o)
            if g is None or g == self.dataset.default_graph.identifier:
                yield ox.Quad(triple.subject, triple.predicate, triple.object)
            else:
                name = from_rdflib(g)
                assert not isinstance(name, ox.Literal)
                yield ox.Quad(triple.subject, triple.predicate, triple.object, name)

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads())


def _triple(s: Node, p: Node, o: Node) -> ox.Triple:
    """The pyoxigraph triple of three rdflib terms."""
    subject, predicate = from_rdflib(s), from_rdflib(p)
    assert not isinstance(subject, ox.Literal) and isinstance(predicate, ox.NamedNode)
    return ox.Triple(subject, predicate, from_rdflib(o))
