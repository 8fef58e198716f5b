"""Where imported sources disagree with the curated facts (and with each other).

Each imported record linked by owl:sameAs to a curated model is compared field by field:
release date (at the precision the source gives), openness level, licence and parameter
count. Curated facts win by default; the report says so on every row.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.queries import load_query
from kg.store import GraphStore

#: How far apart two full dates may be before they disagree (papers and releases differ).
DATE_TOLERANCE_DAYS = 14
#: How far apart two parameter counts may be (relative) before they disagree.
PARAMETER_TOLERANCE = 0.05


def _collect(rows: list[dict[str, Any]], key: str, fields: tuple[str, ...]
             ) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row[key], {**{f: set() for f in fields}, "row": row})
        for f in fields:
            if row.get(f) is not None:
                entry[f].add(row[f])
    return found


def conflicts(store: GraphStore) -> list[dict[str, Any]]:
    """One row per disagreement: the curated entity, the field, the curated value, the
    source and its value, and which value wins."""
    fields = ("released", "level", "licence", "parameters")
    curated = _collect(store.select(load_query("reports/conflicts-curated-models")), "model",
                       fields)
    records = _collect(store.select(load_query("reports/conflicts-imported-records")),
                       "record", fields + ("licenceName",))
    rows = []
    for record in records.values():
        info = record["row"]
        model = curated.get(info["model"])
        if model is None:
            continue
        source = info["graph"].rsplit("/", 1)[-1]
        for field in fields:
            theirs = record[field]
            ours = model[field]
            if not theirs or not ours or _agree(field, ours, theirs):
                continue
            rows.append({"entity": info["model"], "label": model["row"]["label"],
                         "field": field, "curated": _show(ours), "source": source,
                         "record": info["recordLabel"], "value": _show(theirs),
                         "file": info.get("file"), "resolution": "curated wins"})
    rows.sort(key=lambda r: (r["label"], r["field"], r["source"], r["record"]))
    return rows


def _agree(field: str, ours: set[Any], theirs: set[Any]) -> bool:
    if field == "released":
        return any(_same_date(o, t) for o in ours for t in theirs)
    if field == "parameters":
        return any(abs(int(o) - int(t)) <= PARAMETER_TOLERANCE * max(int(o), 1)
                   for o in ours for t in theirs)
    return bool(ours & theirs)


def _same_date(ours: Any, theirs: Any) -> bool:
    """Equal at the precision of the source's value ("2023", "2023-07" or a full date)."""
    text = theirs.isoformat() if isinstance(theirs, date) else str(theirs)
    mine = ours.isoformat() if isinstance(ours, date) else str(ours)
    if len(text) < 10:
        return mine.startswith(text)
    try:
        delta = abs((date.fromisoformat(mine) - date.fromisoformat(text)).days)
    except ValueError:
        return mine == text
    return delta <= DATE_TOLERANCE_DAYS


def _show(values: set[Any]) -> str:
    return "; ".join(sorted(str(v) for v in values))
