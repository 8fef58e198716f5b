"""Write query results in the standard formats, serialised by pyoxigraph: SPARQL 1.1 Query
Results JSON, XML, CSV and TSV (:func:`results_text`) and RDF syntaxes for graph results
(:func:`graph_text`). Nothing here writes a format by hand.

How a :class:`~kg.store.QueryResult` reaches pyoxigraph's serialiser: every backend
(Oxigraph, rdflib, a remote endpoint) answers with materialised solutions, and pyoxigraph
(0.5) can build neither a ``QuerySolutions`` nor a ``QueryBoolean`` from Python values (they
come only from a query or from parsing). A VALUES query over an empty store could carry
IRIs and literals but not blank nodes, which VALUES refuses. So the solutions are loaded
into a scratch in-memory ``pyoxigraph.Store`` (row ``n``: ``<row n> <index> n`` and one
triple ``<row n> <column i> term`` per bound variable) and selected back in their order
(``SELECT ?vars WHERE { ?row <index> ?n OPTIONAL { ?row <column i> ?var } ... } ORDER BY
?n``): the ``QuerySolutions`` of that query, with the same variables, rows, terms and blank
node labels, is what ``QuerySolutions.serialize`` writes. An ASK answer is an ``ASK {}``
(true) or ``ASK { FILTER (false) }`` (false) over the same empty store. The same path
serves every backend, so the bytes never depend on the engine that answered.

>>> from kg.store import QueryResult
>>> answer = QueryResult("select", ["x"], [{"x": ox.Literal("a,b")}, {}])
>>> results_text(answer, "csv")
'x\\r\\n"a,b"\\r\\n\\r\\n'
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import QueryRefused
from kg.namespaces import PREFIXES, XSD
from kg.store import QueryResult
from kg.store.terms import rdf_bytes

#: SPARQL results formats (``kg query --format``, ``kg serve`` content negotiation).
RESULTS_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
TABULAR_FORMATS = ("table", *RESULTS_FORMATS)
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD}

_SCRATCH = "urn:x-kg:results:"
_INDEX = ox.NamedNode(_SCRATCH + "index")
_INTEGER = ox.NamedNode(XSD + "integer")


def _fresh(name: str, taken: set[str]) -> str:
    """A variable name like ``name`` that ``taken`` does not hold."""
    while name in taken:
        name += "_"
    return name


def _answer(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
            ) -> ox.QuerySolutions | ox.QueryBoolean:
    assert not isinstance(answer, ox.QueryTriples)  # the scratch queries are SELECT or ASK
    return answer


def query_solutions(result: QueryResult) -> ox.QuerySolutions | ox.QueryBoolean:
    """The SELECT or ASK answer as pyoxigraph's own result object (see the module notes)."""
    store = ox.Store()
    if result.kind == "ask":
        return _answer(store.query("ASK {}" if result.boolean else "ASK { FILTER (false) }"))
    if result.kind != "select":
        raise QueryRefused("graph results are written in an RDF syntax (ttl, nt or jsonld)")
    names = list(result.variables)
    if not names:  # SELECT * {}: as many empty rows as solutions
        rows = " ".join("()" for _ in result.solutions)
        return _answer(store.query(f"SELECT * WHERE {{ VALUES () {{ {rows} }} }}"))
    columns = [ox.NamedNode(f"{_SCRATCH}column/{i}") for i in range(len(names))]
    quads = []
    for n, solution in enumerate(result.solutions):
        row = ox.NamedNode(f"{_SCRATCH}row/{n}")
        quads.append(ox.Quad(row, _INDEX, ox.Literal(str(n), datatype=_INTEGER)))
        quads.extend(ox.Quad(row, column, solution[name])
                     for name, column in zip(names, columns, strict=True) if name in solution)
    store.extend(quads)
    row_var, n_var = _fresh("row", set(names)), _fresh("n", set(names))
    optional = " ".join(f"OPTIONAL {{ ?{row_var} {column} ?{name} }}"
                        for name, column in zip(names, columns, strict=True))
    projection = " ".join(f"?{name}" for name in names)
    try:
        return _answer(store.query(f"SELECT {projection} WHERE {{ ?{row_var} {_INDEX} ?{n_var} "
                                   f"{optional} }} ORDER BY ?{n_var}"))
    except SyntaxError:
        raise QueryRefused("the results cannot be written: their variables "
                           f"{', '.join(map(repr, names))} are not all SPARQL names") from None


def results_bytes(result: QueryResult, fmt: str) -> bytes:
    """A SELECT or ASK result in a SPARQL results format (``json``, ``xml``, ``csv``,
    ``tsv``), written by pyoxigraph."""
    written = query_solutions(result).serialize(format=RESULTS_FORMATS[fmt])
    assert written is not None  # no output file given: pyoxigraph returns the bytes
    return written


def results_text(result: QueryResult, fmt: str) -> str:
    """:func:`results_bytes` as text."""
    return results_bytes(result, fmt).decode("utf-8")


def graph_text(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT or DESCRIBE triples in an RDF syntax."""
    prefixes = PREFIXES if fmt == "ttl" else None
    return rdf_bytes(result.triples, GRAPH_FORMATS[fmt], prefixes).decode("utf-8")
