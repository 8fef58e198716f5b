"""A remote SPARQL 1.1 endpoint as a store backend, and uploading the graph to a server.

Reads use the SPARQL 1.1 Protocol (POST, form-encoded); uploads use the Graph Store
Protocol (one PUT per graph) or SPARQL Update (INSERT DATA). Only the standard library
talks HTTP, so any SPARQL 1.1 server works: Oxigraph, Apache Jena Fuseki, GraphDB,
Virtuoso (see docs/remote.md).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.errors import KgError, QueryRefused, QuerySyntaxError, QueryTimeout
from kg.namespaces import sparql_prologue
from kg.queries import load_query
from kg.store import GraphStore, QueryResult
from kg.store.base import masked
from kg.store.terms import Term, rdf_bytes

#: A variable name that can be written as ``?name`` (the ASCII subset of SPARQL's VARNAME).
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: The query form keyword (not a prefix, a prefixed name's local part or a variable).
_FORM = re.compile(r"(?<![\w:?$\-])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b(?![:\-])", re.IGNORECASE)
#: A sub-select: by the grammar, a group whose first token is SELECT.
_SUBSELECT = re.compile(r"\{\s*SELECT\b", re.IGNORECASE)


class EndpointError(KgError):
    """The endpoint could not be reached or answered with an error."""


def _next_group(code: str, start: int) -> int | None:
    """Where the first ``{`` after ``start`` and outside parentheses opens (a SELECT
    projection can hold ``(EXISTS { ... } AS ?x)``), or None."""
    depth = 0
    for at in range(start, len(code)):
        char = code[at]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth <= 0:
            return at
    return None


def _group_end(code: str, opening: int) -> int | None:
    """Where the group opened at ``opening`` closes, or None."""
    depth = 0
    for at in range(opening, len(code)):
        if code[at] == "{":
            depth += 1
        elif code[at] == "}":
            depth -= 1
            if depth == 0:
                return at
    return None


def where_clauses(sparql: str) -> list[int] | None:
    """Where the query's WHERE clauses open (the position just after each ``{``): the
    main query's and every sub-select's, with or without the optional WHERE keyword.
    None when the main query has no group a VALUES block may open (``DESCRIBE <x>``, the
    short form ``CONSTRUCT WHERE { triples }``) or no query form is found.

    >>> q = "ASK { ?entity ?p ?o }"
    >>> [q[:at] for at in where_clauses(q)]
    ['ASK {']
    >>> q = 'SELECT ?x WHERE { { SELECT ?x { ?x ?p "{ SELECT" } } }'
    >>> [q[:at][-10:] for at in where_clauses(q)]
    ['?x WHERE {', 'ELECT ?x {']
    >>> q = "SELECT * { SELECT ?x { ?x ?p ?o } LIMIT 1 }"
    >>> [q[:at] for at in where_clauses(q)]
    ['SELECT * { SELECT ?x {']
    """
    code = masked(sparql)
    form = _FORM.search(code)
    if form is None:
        return None
    if form.group(1).upper() == "CONSTRUCT":
        template = form.end() + len(code[form.end():]) - len(code[form.end():].lstrip())
        if not code.startswith("{", template):
            return None  # CONSTRUCT WHERE { triples }: no room for VALUES
        end = _group_end(code, template)
        main = None if end is None else _next_group(code, end + 1)
    else:
        main = _next_group(code, form.end())
    if main is None:
        return None
    # a group that is a sub-select holds nothing else: its own WHERE clause takes the block
    found = set() if _SUBSELECT.match(code, main) else {main + 1}
    for sub in _SUBSELECT.finditer(code, main):
        opening = _next_group(code, sub.end())
        if opening is not None:
            found.add(opening + 1)
    return sorted(found)


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``bindings`` written as one VALUES block opening each of its WHERE
    clauses (the main query's and every sub-select's, found outside strings, IRIs and
    comments), the protocol's way to bind variables.

    Opening the WHERE clause gives the bound value to everything the clause holds:
    FILTERs, EXISTS, OPTIONAL and aggregates see it, as they see a value bound by the
    embedded engines (Oxigraph's substitutions, rdflib's initBindings) and the project's
    queries expect (``kg/queries``). A VALUES block
    appended after the query (what rdflib's SPARQLStore does) is only joined with the
    solutions at the end, after FILTERs and aggregates ran without it, so ``FILTER (?date <=
    ?asOf)`` or ``?mau > ?threshold`` would see an unbound variable. Only where the main
    query has no WHERE group (``DESCRIBE <x>``, ``CONSTRUCT WHERE``) is the block appended
    at the end, the grammar's trailing ValuesClause.

    Terms are written in their N-Triples form (escaped by pyoxigraph), so a value can never
    become query syntax; a blank node cannot be bound (VALUES does not take one).

    >>> with_values("ASK { ?entity ?p ?o } # no WHERE", {"entity": ox.NamedNode("http://x/y")})
    'ASK { VALUES (?entity) { (<http://x/y>) } ?entity ?p ?o } # no WHERE'
    """
    if not bindings:
        return sparql
    for name, term in bindings.items():
        if not _VARIABLE.match(name):
            raise QueryRefused(f"cannot bind {name!r}: not a SPARQL variable name")
        if isinstance(term, ox.BlankNode):
            raise QueryRefused(f"cannot bind ?{name} to a blank node on a remote endpoint")
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(str(term) for term in bindings.values())
    return _opening_where(sparql, f"VALUES ({names}) {{ ({row}) }}")


def with_rows(sparql: str, name: str, terms: Iterable[ox.NamedNode]) -> str:
    """The query with ``?name`` bound to each of ``terms`` in turn: one VALUES block of a
    row per term, opening each WHERE clause as :func:`with_values` writes it.

    >>> with_rows("SELECT ?e WHERE { ?e ?p ?o }", "e", [ox.NamedNode("http://x/a")])
    'SELECT ?e WHERE { VALUES (?e) { (<http://x/a>) } ?e ?p ?o }'
    """
    if not _VARIABLE.match(name):
        raise QueryRefused(f"cannot bind {name!r}: not a SPARQL variable name")
    rows = " ".join(f"({term})" for term in terms)
    return _opening_where(sparql, f"VALUES (?{name}) {{ {rows} }}")


def _opening_where(sparql: str, block: str) -> str:
    """``block`` opening each WHERE clause of the query (at its end when it has none)."""
    positions = where_clauses(sparql)
    if positions is None:
        return f"{sparql}\n{block}\n"
    out = sparql
    for at in reversed(positions):
        out = f"{out[:at]} {block}{'' if out[at:at + 1].isspace() else ' '}{out[at:]}"
    return out


class RemoteStore(GraphStore):
    """A SPARQL 1.1 query endpoint (e.g. ``http://127.0.0.1:7878/query``)."""

    backend = "remote"

    def __init__(self, endpoint: str, timeout: float = 60.0) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise EndpointError(f"endpoint must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout

    def _post(self, query: str, accept: str) -> tuple[str, bytes]:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.endpoint, data=data, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as err:
            body = err.read().decode("utf-8", "replace").strip()
            if err.code == 400:
                raise QuerySyntaxError(f"the endpoint rejected the query: {body[:300]}") \
                    from None
            raise EndpointError(f"{self.endpoint}: HTTP {err.code}: {body[:300]}") from None
        except TimeoutError:
            raise QueryTimeout(f"{self.endpoint} gave no answer within {self.timeout:g} s") \
                from None
        except urllib.error.URLError as err:
            raise EndpointError(f"{self.endpoint}: cannot connect: {err.reason}") from None

    def _execute(self, sparql: str, bindings: Mapping[str, Term]) -> QueryResult:
        text = sparql_prologue() + with_values(sparql, bindings)
        kind, body = self._post(text, "application/sparql-results+json, application/n-triples;"
                                      "q=0.9")
        try:
            if kind == "application/sparql-results+json" or kind.endswith("json"):
                return QueryResult.read(
                    ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
            if kind in ("application/n-triples", "text/plain"):
                return QueryResult("graph", triples=[
                    ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)])
        except (SyntaxError, ValueError) as err:
            raise EndpointError(f"{self.endpoint} sent an answer that does not parse: "
                                f"{err}") from None
        raise QueryRefused(f"{self.endpoint} answered with unexpected type {kind}")

    def quads(self) -> Iterator[ox.Quad]:
        for triple in self._execute(load_query("store/all-triples"), {}).triples:
            yield ox.Quad(triple.subject, triple.predicate, triple.object)

    def __len__(self) -> int:
        rows = self._execute(load_query("store/quad-count"), {}).solutions
        return int(rows[0]["n"].value)


def push(store: GraphStore, url: str, method: str = "gsp", timeout: float = 300.0) -> int:
    """Upload every graph of ``store`` to a server; returns the number of quads sent.

    ``gsp``: ``url`` is the Graph Store Protocol endpoint (e.g. ``.../store``); each graph
    replaces its namesake (PUT ``?default`` / ``?graph=IRI``). ``update``: ``url`` is the
    SPARQL Update endpoint; each graph is cleared and filled with INSERT DATA.
    """
    by_graph: dict[str | None, list[ox.Triple]] = {}
    for q in store.quads():
        name = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        by_graph.setdefault(name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    sent = 0
    for name, triples in sorted(by_graph.items(), key=lambda item: item[0] or ""):
        body = rdf_bytes(triples, ox.RdfFormat.N_TRIPLES)
        if method == "gsp":
            target = url + ("?default" if name is None
                            else "?graph=" + urllib.parse.quote(name, safe=""))
            _send(urllib.request.Request(target, data=body, method="PUT",
                                         headers={"Content-Type": "application/n-triples"}),
                  timeout)
        else:
            data = body.decode()
            if name is None:
                update = f"CLEAR DEFAULT ;\nINSERT DATA {{ {data} }}"
            else:
                update = (f"CLEAR SILENT GRAPH <{name}> ;\n"
                          f"INSERT DATA {{ GRAPH <{name}> {{ {data} }} }}")
            _send(urllib.request.Request(url, data=update.encode(), method="POST", headers={
                "Content-Type": "application/sparql-update"}), timeout)
        sent += len(triples)
    return sent


def _send(request: urllib.request.Request, timeout: float) -> None:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        body = err.read().decode("utf-8", "replace").strip()
        raise EndpointError(f"{request.full_url}: HTTP {err.code}: {body[:300]}") from None
    except urllib.error.URLError as err:
        raise EndpointError(f"{request.full_url}: cannot connect: {err.reason}") from None
