"""RDF terms and plain Python values, both ways, and the bridge to rdflib (through oxrdflib).

>>> python_value(to_term(800_000_000))
800000000
>>> to_term(date(2023, 7, 18))
<Literal value=2023-07-18 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from kg.namespaces import XSD, compact

if TYPE_CHECKING:
    import rdflib

#: A term that can stand in a query solution.
Term = ox.NamedNode | ox.BlankNode | ox.Literal

_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                               "positiveInteger", "unsignedLong", "unsignedInt")}


def python_value(term: Term | ox.Triple | None) -> Any:
    """A plain Python value for an RDF term: IRIs compacted, numbers and dates typed.

    >>> python_value(ox.NamedNode("https://w3id.org/ai-landscape-kg/id/org/openai"))
    'org:openai'
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):  # RDF-star: a quoted triple, in N-Triples syntax
        return str(term)
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == XSD + "decimal":
            return Decimal(term.value)
        if datatype in (XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == XSD + "date":
            return date.fromisoformat(term.value)
    except ValueError:
        return term.value
    return term.value


def typed_literal(value: str, kind: str) -> ox.Literal:
    """A literal of the XSD datatype ``kind`` (``integer``, ``date``, ...)."""
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))


def to_term(value: Any) -> Term:
    """An RDF term for a Python value: terms pass through, numbers, dates and booleans
    become typed literals, strings plain literals (IRIs need ``ox.NamedNode``)."""
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return typed_literal("true" if value else "false", "boolean")
    if isinstance(value, int):
        return typed_literal(str(value), "integer")
    if isinstance(value, Decimal | float):
        return typed_literal(str(value), "decimal")
    if isinstance(value, date):
        return typed_literal(value.isoformat(), "date")
    return ox.Literal(str(value))


def date_term(day: date) -> ox.Literal:
    """An xsd:date literal."""
    return typed_literal(day.isoformat(), "date")


def rdf_bytes(items: Iterable[ox.Quad] | Iterable[ox.Triple], rdf_format: ox.RdfFormat,
              prefixes: dict[str, str] | None = None) -> bytes:
    """Quads or triples written in ``rdf_format`` by pyoxigraph (with ``prefixes`` where the
    syntax has them).

    >>> rdf_bytes([], ox.RdfFormat.N_TRIPLES)
    b''
    """
    written = ox.serialize(items, format=rdf_format, prefixes=prefixes)
    assert written is not None  # no output file given: pyoxigraph returns the bytes
    return written


# -- rdflib --------------------------------------------------------------------------------
def to_rdflib(term: Term | ox.Triple) -> rdflib.term.Node:
    """The rdflib equal of a pyoxigraph term (oxrdflib's converter)."""
    from oxrdflib._converter import from_ox

    return cast("rdflib.term.Node", from_ox(term))


def from_rdflib(term: rdflib.term.Node) -> Term:
    """The pyoxigraph equal of an rdflib term (oxrdflib's converter)."""
    from oxrdflib._converter import to_ox

    return cast(Term, to_ox(term))


def rdflib_graph(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """An in-memory rdflib Graph of the quads' triples (every graph merged), for tools
    that need rdflib (pySHACL, the ontology reference).
    """
    import rdflib

    graph = rdflib.Graph()
    graph.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)
               for q in quads)
    return graph


def first_day(value: object) -> date | None:
    """A date for a release date as Python sees it: the date itself, or the first day of a
    month ("2023-07") or year ("2023") that a source gave without the day; else None.

    >>> first_day("2023-07"), first_day(date(2024, 1, 2)), first_day("soon")
    (datetime.date(2023, 7, 1), datetime.date(2024, 1, 2), None)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    text += {4: "-01-01", 7: "-01"}.get(len(text), "")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
