"""`kg compare`: models side by side."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.queries import load_query
from kg.store import GraphStore

#: Rows of the comparison, in order; component rows follow "licence restrictions".
FIELDS = ("developer", "family", "released", "level", "licence", "licence restrictions",
          "capabilities", "parameters")


def compare_models(store: GraphStore, iris: list[str]) -> list[dict[str, Any]]:
    """One record per model: developer, release date, openness level and per-component
    grades, licence with its restrictions, capabilities and sizes."""
    records = []
    for iri in iris:
        bound = {"model": ox.NamedNode(iri)}
        facts = store.select(load_query("reports/compare-facts"), bound)
        record: dict[str, Any] = dict(facts[0]) if facts else {"model": iri}
        for row in store.select(load_query("reports/compare-details"), bound):
            values = record.setdefault(row["what"], [])
            if row["value"] not in values:
                values.append(row["value"])
        for value in record.values():
            if isinstance(value, list):
                value.sort(key=lambda v: int(v) if str(v).isdigit() else str(v))
        records.append(record)
    return records


def comparison_rows(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The records turned sideways: one row per field, one column per model."""
    components = sorted({k for r in records for k in r if k.startswith("openness: ")})
    columns = ["field"] + [r.get("label", r["model"]) for r in records]
    rows = []
    for name in (*FIELDS, *components):
        row: dict[str, Any] = {"field": name}
        for record, column in zip(records, columns[1:], strict=True):
            row[column] = record.get(name)
        rows.append(row)
    return rows, columns
