"""`kg summary`: the landscape at a glance, each figure with its date."""

from __future__ import annotations

from typing import Any

from kg.queries import load_query
from kg.store import GraphStore

#: Section name -> (title, columns).
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "counts": ("Counts by type", ("type", "count")),
    "models_per_lab": ("Models per lab and openness level (the labs with most models)", ()),
    "licence_restrictions": ("Licences with usage restrictions",
                             ("licence", "kind", "action", "condition", "clause", "models")),
    "largest_rounds": ("Largest funding rounds (amounts in their own currency)",
                       ("fundee", "round", "date", "amount", "currency", "lead", "valuation")),
    "latest_valuations": ("Latest valuations",
                          ("organisation", "valuation", "currency", "kind", "date")),
    "products": ("Products and their latest users",
                 ("product", "provider", "metric", "users", "qualifier", "date")),
}


#: How many labs the per-lab table lists by name; the others share one row.
TOP_LABS = 20


def summarise(store: GraphStore, top_labs: int = TOP_LABS) -> dict[str, list[dict[str, Any]]]:
    """The summary's sections, each a list of rows; the per-lab table names the ``top_labs``
    labs with most models and sums the others in a last row ("412 other labs")."""
    per_lab: dict[str, dict[str, Any]] = {}
    levels: list[str] = []
    for row in store.select(load_query("reports/summary-models-per-lab")):
        per_lab.setdefault(row["lab"], {"lab": row["lab"]})[row["level"]] = row["models"]
        if row["level"] not in levels:
            levels.append(row["level"])
    for row in per_lab.values():
        row["total"] = sum(row.get(level, 0) for level in levels)
        for level in levels:
            row.setdefault(level, 0)
    return {
        "counts": [{"type": r["type"].removeprefix("kg:"), "count": r["count"]}
                   for r in store.select(load_query("reports/summary-counts"))],
        "models_per_lab": _top(sorted(per_lab.values(), key=lambda r: (-r["total"], r["lab"])),
                               top_labs, levels),
        "licence_restrictions": _restrictions(store),
        "largest_rounds": _with_sorted_leads(
            store.select(load_query("reports/summary-largest-rounds"))),
        "latest_valuations": store.select(load_query("reports/summary-latest-valuations")),
        "products": store.select(load_query("reports/summary-product-users")),
    }


def _top(rows: list[dict[str, Any]], top: int, levels: list[str]) -> list[dict[str, Any]]:
    if len(rows) <= top + 1:
        return rows
    rest = rows[top:]
    other = {"lab": f"{len(rest)} other labs"}
    for key in (*levels, "total"):
        other[key] = sum(r.get(key, 0) for r in rest)
    return [*rows[:top], other]


def section_columns(name: str, rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """The columns of a section (the per-lab table's depend on the levels present)."""
    columns = SECTIONS[name][1]
    if columns:
        return columns
    levels = sorted({k for r in rows for k in r} - {"lab", "total"})
    return ("lab", *levels, "total")


def _restrictions(store: GraphStore) -> list[dict[str, Any]]:
    """Each licence prohibition with its kind (:func:`kg.policy.restrictions.kind_of`)."""
    from kg.policy.restrictions import kind_of

    rows = []
    for row in store.select(load_query("reports/summary-licence-restrictions")):
        action, operand = row.pop("a"), row.pop("lo", None)
        kind = kind_of({action}, {operand} if operand else set())
        rows.append({"licence": row["licence"], "kind": kind, **row})
    return sorted(rows, key=lambda r: (r["kind"], r["licence"], r["clause"] or "",
                                      r["action"], r["condition"]))


def _with_sorted_leads(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rounds with their lead investors in alphabetical order (SPARQL's GROUP_CONCAT
    keeps no order, and engines differ)."""
    for row in rows:
        if row.get("lead"):
            row["lead"] = ", ".join(sorted(row["lead"].split(", ")))
    return rows
