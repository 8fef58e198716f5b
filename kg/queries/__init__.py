"""Every SPARQL query the package runs, as ``.rq`` files in this folder, read by one loader.

- ``named/``: the named questions of ``kg ask`` (documented headers, typed parameters;
  :mod:`kg.queries.questions`);
- one folder per room for the queries that room runs (``reports/``, ``time/``, ``policy/``,
  ``analysis/``, ``viz/``, ``importers/``, ``store/``).

Queries use the project's prefixes (:data:`kg.namespaces.PREFIXES`), which every backend
predeclares; values are never pasted in but bound as variables.

>>> load_query("store/models").startswith("# Every model")
True
"""

from __future__ import annotations

from functools import cache

from kg.resources import query_file


@cache
def load_query(name: str) -> str:
    """The text of ``kg/queries/NAME.rq``, ``NAME`` being ``room/query``
    (``time/as-of-quads``); a missing file is :class:`kg.errors.ResourceMissing`."""
    return query_file(*f"{name}.rq".split("/")).read_text(encoding="utf-8")
