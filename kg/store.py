"""One query interface over the graph's backends: embedded Oxigraph (default) and rdflib memory.

Every backend answers :meth:`GraphStore.query` with a :class:`QueryResult` whose terms are
pyoxigraph terms, whatever the engine, so the rest of the package never sees the difference.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespaces import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal

#: Exit code of a query stopped by its timeout.
EXIT_TIMEOUT = 3


class QuerySyntaxError(KgError):
    """A SPARQL query that does not parse; the message gives the position."""


class QueryRefused(KgError):
    """A query the store will not run as asked (e.g. SERVICE without permission)."""


class QueryTimeout(KgError):
    """A query that ran longer than its timeout."""

    exit_code = EXIT_TIMEOUT


@dataclass
class QueryResult:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or triples (graph forms)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    solutions: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """SELECT solutions as plain Python values (IRIs compacted, numbers and dates typed)."""
        from kg.query import python_value

        return [{k: python_value(v) for k, v in s.items()} for s in self.solutions]


_IGNORED = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                      r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)
#: Deepest nesting of { ( [ a query may have: Oxigraph's recursive parser overflows the
#: stack at about 2,500 levels, and no real query comes near this.
MAX_NESTING = 500


def _code(sparql: str) -> str:
    """The query without its strings, IRIs and comments."""
    return _IGNORED.sub(" ", sparql)


def uses_service(sparql: str) -> bool:
    """Whether the query has a SERVICE clause (outside strings, IRIs and comments)."""
    return bool(_SERVICE.search(_code(sparql)))


def uses_from(sparql: str) -> bool:
    """Whether the query names its dataset with FROM / FROM NAMED."""
    return bool(_FROM.search(_code(sparql)))


def nesting(sparql: str) -> int:
    """How deeply { ( [ nest in the query (outside strings, IRIs and comments)."""
    depth = deepest = 0
    for char in _code(sparql):
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


class GraphStore(ABC):
    """A loaded graph that answers SPARQL. Subclasses implement :meth:`_execute`."""

    backend: str = ""

    @abstractmethod
    def _execute(self, sparql: str, bindings: Mapping[str, Term]) -> QueryResult:
        """Run one query to completion (no timeout, no SERVICE check)."""

    @abstractmethod
    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the store."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads."""

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None, *,
              timeout: float | None = None, allow_service: bool = False) -> QueryResult:
        """Run a SPARQL query with the project's prefixes predeclared over all graphs.

        ``bindings`` bind variables to RDF terms (values never go into the query text).
        SERVICE clauses are refused unless ``allow_service``. With ``timeout`` (seconds) the
        query runs in a worker thread and QueryTimeout is raised when it overruns; the engine
        cannot be interrupted, so a CLI process should exit after a timeout.
        """
        if not allow_service and uses_service(sparql):
            raise QueryRefused("SERVICE clauses are refused: they would send the query to "
                               "another server (pass --allow-service to permit them)")
        if nesting(sparql) > MAX_NESTING:
            raise QuerySyntaxError(f"the query nests brackets deeper than {MAX_NESTING} "
                                   "levels: simplify it")
        if timeout is None:
            return self._execute(sparql, bindings or {})
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["result"] = self._execute(sparql, bindings or {})
            except BaseException as err:  # handed to the calling thread
                outcome["error"] = err

        worker = threading.Thread(target=work, name="kg-query", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            raise QueryTimeout(f"query stopped after its timeout of {timeout:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None
               ) -> list[dict[str, Any]]:
        """Rows of a SELECT query as plain Python values."""
        return self.query(sparql, bindings).rows()


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
        substitutions = {ox.Variable(k): v for k, v in bindings.items()} or None
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


class RdflibStore(GraphStore):
    """Plain rdflib in memory: slower, but pure Python and a second opinion on any answer."""

    backend = "rdflib"

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        import rdflib

        from kg.validate import to_rdflib

        self.dataset = rdflib.Dataset(default_union=True)
        for q in quads:
            graph = (self.dataset.default_graph if isinstance(q.graph_name, ox.DefaultGraph)
                     else self.dataset.graph(to_rdflib(q.graph_name)))
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))

    def _execute(self, sparql: str, bindings: Mapping[str, Term]) -> QueryResult:
        from pyparsing import ParseException

        from kg.validate import to_rdflib

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


def from_rdflib(term) -> Term:
    """Convert one rdflib term to its pyoxigraph equal."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))
