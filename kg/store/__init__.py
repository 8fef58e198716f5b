"""The graph's storage and query engines.

- :mod:`kg.store.base`: the query interface (:class:`GraphStore`, :class:`QueryResult`);
- :mod:`kg.store.oxigraph`, :mod:`kg.store.rdflib_engine`, :mod:`kg.store.remote`: backends;
- :mod:`kg.store.load`: which files make the graph and parsing them (the one load path);
- :mod:`kg.store.cache`: the on-disk Oxigraph store reused between commands;
- :mod:`kg.store.terms`: RDF terms <-> Python values, and the rdflib bridge;
- :mod:`kg.store.results`, :mod:`kg.store.export`: results and graphs written out.
"""

from collections.abc import Iterable

import pyoxigraph as ox

from kg.store.base import GraphStore, QueryResult
from kg.store.oxigraph import OxigraphStore
from kg.store.rdflib_engine import RdflibStore

__all__ = ["GraphStore", "OxigraphStore", "QueryResult", "RdflibStore", "in_memory"]


def in_memory(quads: Iterable[ox.Quad], backend: str = "oxigraph") -> GraphStore:
    """``quads`` held in memory by ``backend`` (``oxigraph`` or ``rdflib``)."""
    if backend == "rdflib":
        return RdflibStore(quads)
    return OxigraphStore.from_quads(quads)
