"""The frontier gap: how far the open-weight models trail the closed ones in training compute.

Method (docs/analysis.md, "Frontier gap"), month by month:

1. The models: every ``kg:Model`` with a ``kg:releaseDate``, a ``kg:opennessLevel`` and a
   ``kg:trainingCompute`` (FLOP). ``open-source`` and ``open-weights`` count as **open**,
   ``api-only`` and ``hosted-only`` as **closed**; ``unreleased`` models are left out unless
   ``include_unreleased`` counts them as closed (as Epoch AI does). A model without a
   training compute is left out (the summary counts those left out). A model released on a day
   counts from that month, one dated only to a month from that month, one dated only to a
   year from December of that year (by then it was certainly out). Several dates: the
   earliest; several compute values: the largest; several levels: the most open.
2. The months: from the month of the first open model to the last month any counted model
   was released.
3. At month *t*, the **closed frontier** is the largest training compute of the closed
   models released up to *t* (and the model that holds it: on a tie the earlier, then by
   label); the **open frontier** likewise.
4. The **lag** at *t* is the number of months between *t* and the first month in which the
   closed frontier reached the open frontier's value at *t*; 0 when the open frontier is
   above the closed one; none while no closed model is out.
5. The **compute ratio** at *t* is the closed frontier divided by the open one.

:func:`summarise` gives the median, mean and largest lag over all months or the last
*N* years. Example, three models (months as ``year * 12 + month - 1``):

>>> points = [Point("c", "Closed A", 2020 * 12, 1e23, "closed"),
...           Point("o", "Open B", 2020 * 12 + 5, 1e22, "open"),
...           Point("c2", "Closed C", 2020 * 12 + 6, 1e24, "closed")]
>>> [(r["month"], r["closed_model"], r["open_model"], r["lag_months"], r["compute_ratio"])
...  for r in gap_rows(points)]
[('2020-06', 'Closed A', 'Open B', 5, 10.0), ('2020-07', 'Closed C', 'Open B', 6, 100.0)]
>>> summarise(gap_rows(points))["median_lag_months"]
5.5
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from typing import Any

from kg.queries import load_query
from kg.store import GraphStore

#: Openness levels (compact ids) on each side of the gap.
OPEN_LEVELS = ("level:open-source", "level:open-weights")
CLOSED_LEVELS = ("level:api-only", "level:hosted-only")
UNRELEASED = "level:unreleased"
#: The columns of a row, in order.
COLUMNS = ("month", "closed_frontier_flop", "closed_model", "open_frontier_flop",
           "open_model", "lag_months", "compute_ratio")

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2}))?")


@dataclass(frozen=True)
class Point:
    """One model on one side of the gap: its id, label, release month (``year * 12 +
    month - 1``), training compute in FLOP and side (``"open"`` or ``"closed"``)."""

    model: str
    label: str
    month: int
    compute: float
    side: str


def month_of(text: str) -> int | None:
    """The release month of an xsd:date, xsd:gYearMonth or xsd:gYear value (its text), as
    ``year * 12 + month - 1``; a bare year counts as its December; None if unreadable.

    >>> [month_name(month_of(t)) for t in ("2023-07-18", "2023-07", "2023", "2023Z")]
    ['2023-07', '2023-07', '2023-12', '2023-12']
    >>> month_of("July 2023") is None
    True
    """
    found = _DATE.match(text or "")
    if not found:
        return None
    month = int(found.group(2)) if found.group(2) else 12
    if not 1 <= month <= 12:
        return None
    return int(found.group(1)) * 12 + month - 1


def month_name(month: int | None) -> str | None:
    """``YYYY-MM`` of a month index.

    >>> month_name(2024 * 12 + 6)
    '2024-07'
    """
    if month is None:
        return None
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def points(store: GraphStore, *, include_unreleased: bool = False
           ) -> tuple[list[Point], list[str]]:
    """The models the gap is measured over, and the ids of the open or closed models left
    out for want of a training compute (or of a readable release date)."""
    sides = {**dict.fromkeys(OPEN_LEVELS, "open"), **dict.fromkeys(CLOSED_LEVELS, "closed")}
    if include_unreleased:
        sides[UNRELEASED] = "closed"
    models: dict[str, dict[str, Any]] = {}
    for row in store.select(load_query("analysis/frontier-compute")):
        side = sides.get(row["level"])
        if side is None:
            continue
        model = models.setdefault(row["model"], {"labels": set(), "months": set(),
                                                 "computes": set(), "sides": set()})
        model["sides"].add(side)
        if row.get("label"):
            model["labels"].add(str(row["label"]))
        month = month_of(str(row.get("date") or ""))
        if month is not None:
            model["months"].add(month)
        compute = _flop(row.get("compute"))
        if compute is not None:
            model["computes"].add(compute)
    found, skipped = [], []
    for iri, model in sorted(models.items()):
        if not model["months"] or not model["computes"]:
            skipped.append(iri)
            continue
        found.append(Point(iri, min(model["labels"], default=iri), min(model["months"]),
                           max(model["computes"]),
                           "open" if "open" in model["sides"] else "closed"))
    return found, skipped


def _flop(value: Any) -> float | None:
    try:
        flop = float(value)
    except (TypeError, ValueError):
        return None
    return flop if math.isfinite(flop) and flop > 0 else None


def gap_rows(models: list[Point]) -> list[dict[str, Any]]:
    """One row per month from the first open model to the last model (the method above):
    ``month`` (YYYY-MM), each frontier's compute and model, ``lag_months`` and
    ``compute_ratio`` (closed / open, 3 decimals). No open model: no rows."""
    open_models = sorted((p for p in models if p.side == "open"), key=_order)
    closed_models = sorted((p for p in models if p.side == "closed"), key=_order)
    if not open_models:
        return []
    rows = []
    for month in range(open_models[0].month, max(p.month for p in models) + 1):
        best_open = _frontier(open_models, month)
        best_closed = _frontier(closed_models, month)
        assert best_open is not None
        lag = ratio = None
        if best_closed is not None:
            ratio = round(best_closed.compute / best_open.compute, 3)
            if best_open.compute > best_closed.compute:
                lag = 0
            else:
                reached = min(p.month for p in closed_models
                              if p.compute >= best_open.compute)
                lag = month - reached
        rows.append({"month": month_name(month),
                     "closed_frontier_flop": best_closed.compute if best_closed else None,
                     "closed_model": best_closed.label if best_closed else None,
                     "open_frontier_flop": best_open.compute, "open_model": best_open.label,
                     "lag_months": lag, "compute_ratio": ratio})
    return rows


def _order(point: Point) -> tuple[int, str, str]:
    return point.month, point.label, point.model


def _frontier(models: list[Point], month: int) -> Point | None:
    """The model with the largest compute released up to ``month`` (``models`` in release
    order, so a tie goes to the earlier one)."""
    best = None
    for point in models:
        if point.month > month:
            break
        if best is None or point.compute > best.compute:
            best = point
    return best


def summarise(rows: list[dict[str, Any]], years: int | None = None) -> dict[str, Any]:
    """The lag over the rows' months, or over their last ``years`` years: how many months
    have a lag, its median, mean (1 decimal) and largest, the latest lag and compute
    ratio, the median compute ratio, and in how many months the open frontier was at or
    above the closed one."""
    window = rows
    if years is not None and rows:
        last = month_of(rows[-1]["month"])
        assert last is not None
        window = [r for r in rows if (month_of(r["month"]) or 0) > last - 12 * years]
    lags = [r["lag_months"] for r in window if r["lag_months"] is not None]
    ratios = [r["compute_ratio"] for r in window if r["compute_ratio"] is not None]
    latest = window[-1] if window else {}
    return {
        "window": "all months" if years is None else
                  "the last year" if years == 1 else f"the last {years} years",
        "from": window[0]["month"] if window else None,
        "to": latest.get("month"),
        "months": len(window),
        "months_with_lag": len(lags),
        "median_lag_months": statistics.median(lags) if lags else None,
        "mean_lag_months": round(statistics.fmean(lags), 1) if lags else None,
        "max_lag_months": max(lags) if lags else None,
        "latest_lag_months": latest.get("lag_months"),
        "latest_compute_ratio": latest.get("compute_ratio"),
        "median_compute_ratio": round(statistics.median(ratios), 3) if ratios else None,
        "months_open_at_or_above_closed": sum(
            1 for r in window if r["closed_frontier_flop"] is not None
            and r["open_frontier_flop"] >= r["closed_frontier_flop"]),
    }


def frontier_gap(store: GraphStore, *, include_unreleased: bool = False
                 ) -> list[dict[str, Any]]:
    """The rows of the frontier gap over the graph (see the module's docstring)."""
    return gap_rows(points(store, include_unreleased=include_unreleased)[0])


def report(store: GraphStore, *, years: int | None = None,
           include_unreleased: bool = False) -> dict[str, Any]:
    """The frontier gap with its summary: ``{"summary": ..., "months": rows}``; the summary
    adds how many open and closed models were counted and how many were left out for want of
    a training compute or a readable release date."""
    found, skipped = points(store, include_unreleased=include_unreleased)
    rows = gap_rows(found)
    summary = summarise(rows, years)
    summary.update({
        "open_models": sum(1 for p in found if p.side == "open"),
        "closed_models": sum(1 for p in found if p.side == "closed"),
        "unreleased": "counted as closed" if include_unreleased else "left out",
        "models_left_out": len(skipped),
    })
    return {"summary": summary, "months": rows}
