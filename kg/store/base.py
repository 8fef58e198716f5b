"""The one query interface every backend implements (:class:`GraphStore`), its answer
(:class:`QueryResult`) and the checks every query passes before it runs.

Every backend answers :meth:`GraphStore.query` with a :class:`QueryResult` whose terms are
pyoxigraph terms, whatever the engine, so the rest of the package never sees the difference.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryRefused, QuerySyntaxError, QueryTimeout
from kg.store.terms import Term


@dataclass
class QueryResult:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or triples (graph forms)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    solutions: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    @classmethod
    def read(cls, answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
             ) -> QueryResult:
        """Every solution, the boolean or every triple of a pyoxigraph answer, read now
        (the embedded engine's, or one parsed from an endpoint's response)."""
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            solutions = [{n: s[n] for n in names if s[n] is not None} for s in answer]
            return cls("select", names, solutions)
        if isinstance(answer, ox.QueryBoolean):
            return cls("ask", boolean=bool(answer))
        return cls("graph", triples=list(answer))

    def rows(self) -> list[dict[str, Any]]:
        """SELECT solutions as plain Python values (IRIs compacted, numbers and dates typed)."""
        from kg.store.terms import python_value

        return [{k: python_value(v) for k, v in s.items()} for s in self.solutions]


_IGNORED = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                      r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)
#: Deepest nesting of { ( [ a query may have: Oxigraph's recursive parser overflows the
#: stack at about 2,500 levels, and no real query comes near this.
MAX_NESTING = 500


def masked(sparql: str) -> str:
    """The query with its strings, IRIs and comments blanked out (each replaced by as many
    spaces, so positions in the result are positions in the query)."""
    return _IGNORED.sub(lambda m: " " * len(m.group()), sparql)


def uses_service(sparql: str) -> bool:
    """Whether the query has a SERVICE clause (outside strings, IRIs and comments)."""
    return bool(_SERVICE.search(masked(sparql)))


def uses_from(sparql: str) -> bool:
    """Whether the query names its dataset with FROM / FROM NAMED."""
    return bool(_FROM.search(masked(sparql)))


def nesting(sparql: str) -> int:
    """How deeply { ( [ nest in the query (outside strings, IRIs and comments)."""
    depth = deepest = 0
    for char in masked(sparql):
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


_UPDATE = re.compile(r"^\s*(?:(?:PREFIX|BASE)\b[^\n]*\n\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                     re.IGNORECASE)
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w:/?#])([A-Za-z][\w.-]*)?:(?=[A-Za-z_0-9<])")


def check_query(sparql: str, known: Mapping[str, str]) -> None:
    """Refuse, in one line, what no read-only endpoint runs: an update (``INSERT``,
    ``LOAD``, ...) and a prefix neither the query nor ``known`` declares.

    >>> check_query("SELECT * WHERE { ?s foo:bar ?o }", {"kg": "x", "rdfs": "y"})
    Traceback (most recent call last):
    ...
    kg.errors.QuerySyntaxError: unknown prefix 'foo:' at 1:21; known prefixes: kg, rdfs
    """
    update = _UPDATE.match(masked(sparql))
    if update:
        raise QueryRefused(f"kg query is read-only: {update.group(1).upper()} is a SPARQL "
                           "update; add facts with --data FILE or kg import")
    text = masked(sparql)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(text)} | set(known)
    for match in _PREFIXED.finditer(text):
        prefix = match.group(1) or ""
        if prefix not in declared and prefix.upper() not in ("PREFIX", "BASE"):
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            raise QuerySyntaxError(f"unknown prefix '{prefix}:' at {line}:{column}; known "
                                   f"prefixes: {', '.join(sorted(known))}")


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
        from kg.namespaces import PREFIXES

        check_query(sparql, PREFIXES)
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
                # without its traceback: the frames hold engine objects (pyoxigraph's result
                # sets) that must be freed on this thread, not on the caller's
                outcome["error"] = err.with_traceback(None)

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
