"""Plain Python values for RDF terms in query results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from kg.namespaces import compact

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
