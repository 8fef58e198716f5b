"""Where sources disagree: for each model and fact (release date, openness level, licence,
parameter count, training compute), each source's value, the value shown and why.

The value shown is the first source's in :data:`kg.fusion.fuse.PRECEDENCE` (curated first,
then the source that specialises in the fact); the others are listed beside it. Dates agree
at the precision the source gives (and within :data:`DATE_TOLERANCE_DAYS`: papers and releases
differ), counts within :data:`PARAMETER_TOLERANCE`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pyoxigraph as ox

from kg.fusion.fuse import PRECEDENCE
from kg.queries import load_query
from kg.store import GraphStore

#: How far apart two full dates may be before they disagree.
DATE_TOLERANCE_DAYS = 14
#: How far apart two counts may be (relative) before they disagree.
PARAMETER_TOLERANCE = 0.05
#: Field -> the fact's name in the precedence table.
FACT = {"released": "releaseDate", "level": "opennessLevel", "licence": "licence",
        "parameters": "parameterCount", "compute": "trainingCompute"}
#: Why the first source of a fact wins.
WHY = {"curated": "curated facts come first",
       "epoch": "Epoch AI specialises in dates, sizes and compute",
       "mof": "the Model Openness Tool specialises in openness and licences",
       "osai": "the Open Source AI Index specialises in openness",
       "model-cards": "the model-card records give the licence the model's card names"}


def conflicts(store: GraphStore, entity: str | None = None, *, all_facts: bool = False
              ) -> list[dict[str, Any]]:
    """One entry per (model, fact) on which sources disagree: ``entity``, ``label``,
    ``field``, the ``values`` ({source, record, value} each), the source whose value
    ``wins``, ``why`` and whether the sources ``agree``. With ``entity`` (an IRI), only
    that model; with ``all_facts``, also the facts on which its sources agree."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    by_source: dict[tuple[str, str], dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    records: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    bound = {"entity": ox.NamedNode(entity)} if entity else None
    for row in store.select(load_query("reports/conflict-facts"), bound):
        key = (row["entity"], row["field"])
        found.setdefault(key, {"entity": row["entity"], "label": row["label"],
                               "field": row["field"]})
        by_source[key][row["source"]].add(row["value"])
        if row.get("recordLabel"):
            records[(*key, row["source"])].add(row["recordLabel"])
    out = []
    for key, values in by_source.items():
        if len(values) < 2 and not all_facts:
            continue
        order = PRECEDENCE[FACT[key[1]]]
        ranked = sorted(values, key=lambda s: (order.index(s) if s in order else len(order), s))
        winner = ranked[0]
        agree = all(_agree(key[1], values[winner], values[s]) for s in ranked[1:])
        if agree and not all_facts:
            continue
        out.append({**found[key], "wins": winner, "agree": agree,
                    "why": WHY.get(winner, "listed first for this fact"),
                    "values": [{"source": s, "record": "; ".join(sorted(records[(*key, s)])),
                                "value": _show(values[s])} for s in ranked]})
    out.sort(key=lambda r: (r["label"], r["field"], r["entity"]))
    return out


def conflict_rows(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries flattened for a table: one row per source's value, the winner first."""
    rows = []
    for entry in entries:
        for position, value in enumerate(entry["values"]):
            rows.append({"model": entry["label"] if position == 0 else "",
                         "field": entry["field"] if position == 0 else "",
                         "source": value["source"], "value": value["value"],
                         "record": value["record"],
                         "shown": f"yes: {entry['why']}" if position == 0 else ""})
    return rows


def _agree(field: str, ours: set[Any], theirs: set[Any]) -> bool:
    if field == "released":
        return any(_same_date(o, t) for o in ours for t in theirs)
    if field in ("parameters", "compute"):
        return any(abs(float(o) - float(t)) <= PARAMETER_TOLERANCE * max(float(o), 1.0)
                   for o in ours for t in theirs)
    return bool(ours & theirs)


def _same_date(ours: Any, theirs: Any) -> bool:
    """Equal at the precision of the less precise value ("2023", "2023-07" or a full date)."""
    a = ours.isoformat() if isinstance(ours, date) else str(ours)
    b = theirs.isoformat() if isinstance(theirs, date) else str(theirs)
    if len(a) < 10 or len(b) < 10:
        return a.startswith(b) or b.startswith(a)
    try:
        delta = abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return a == b
    return delta <= DATE_TOLERANCE_DAYS


def _show(values: set[Any]) -> str:
    return "; ".join(sorted(str(v) for v in values))
