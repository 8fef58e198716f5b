"""SPARQL over the loaded store, with the project's prefixes predeclared and plain results."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from kg.load import LoadedGraph
from kg.namespaces import PREFIXES, compact

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                "positiveInteger", "unsignedLong", "unsignedInt")}


def python_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """A plain Python value for an RDF term: IRIs compacted, numbers and dates typed."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == _XSD + "decimal":
            return Decimal(term.value)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(term.value)
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == _XSD + "date":
            return date.fromisoformat(term.value)
    except ValueError:
        return term.value
    return term.value


def select(loaded: LoadedGraph, query: str,
           bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None
           ) -> list[dict[str, Any]]:
    """Run a SELECT query over all graphs; rows map variable names to plain values.

    ``bindings`` substitute variables with RDF terms (values never go into the query text);
    Oxigraph requires a bound variable to be in the SELECT projection.
    """
    substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    solutions = loaded.store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                                   substitutions=substitutions or None)
    names = [v.value for v in solutions.variables]
    return [{n: python_value(s[n]) for n in names if s[n] is not None} for s in solutions]
