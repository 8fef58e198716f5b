"""The sources behind the graph's facts, with how many nodes cite each."""

from __future__ import annotations

from typing import Any

from kg.queries import load_query
from kg.store import GraphStore

SOURCE_COLUMNS = ("source", "title", "publisher", "date", "location", "kind", "facts")


def list_sources(store: GraphStore) -> list[dict[str, Any]]:
    """Each source: id, title, publisher, date, URL or path, kind, and the nodes citing it."""
    rows = []
    for row in store.select(load_query("reports/sources-with-fact-counts")):
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


DATASET_COLUMNS = ("dataset", "records", "licence", "attribution")


def list_datasets(store: GraphStore) -> list[dict[str, Any]]:
    """Each public dataset loaded: its ``source`` name and its ``records``."""
    from kg.fusion.fuse import GRAPH_BASE

    return [{"source": str(row["graph"]).removeprefix(GRAPH_BASE), "records": row["records"]}
            for row in store.select(load_query("reports/datasets"))]
