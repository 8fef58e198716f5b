"""The sources behind the graph's facts, with how many nodes cite each."""

from __future__ import annotations

from typing import Any

from kg.store import GraphStore

SOURCES_QUERY = """
SELECT ?source ?title ?publisher ?issued ?url ?path ?kind (COUNT(DISTINCT ?fact) AS ?facts)
WHERE {
    ?source a kg:Source ; dcterms:title ?title .
    OPTIONAL { ?source dcterms:publisher ?publisher }
    OPTIONAL { ?source dcterms:issued ?issued }
    OPTIONAL { ?source schema:url ?url }
    OPTIONAL { ?source kg:localPath ?path }
    OPTIONAL { ?source kg:sourceKind ?kind }
    OPTIONAL { ?fact dcterms:source ?source }
}
GROUP BY ?source ?title ?publisher ?issued ?url ?path ?kind
ORDER BY DESC(?facts) ?title
"""

SOURCE_COLUMNS = ("source", "title", "publisher", "date", "location", "kind", "facts")


def list_sources(store: GraphStore) -> list[dict[str, Any]]:
    """Each source: id, title, publisher, date, URL or path, kind, and the nodes citing it."""
    rows = []
    for row in store.select(SOURCES_QUERY):
        rows.append({
            "source": row["source"],
            "title": row["title"],
            "publisher": row.get("publisher"),
            "date": row.get("issued"),
            "location": row.get("url") or row.get("path"),
            "kind": row.get("kind"),
            "facts": row["facts"],
        })
    return rows
