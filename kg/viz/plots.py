"""Static charts of the landscape (matplotlib, Agg): model releases by openness level,
funding and valuations per lab, the positioning map, and the training-compute frontier gap
between open and closed models. PNG or SVG by the file's ending, written atomically."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kg.errors import OutputError
from kg.queries import load_query
from kg.store import GraphStore
from kg.store.export import write_atomically
from kg.store.terms import first_day
from kg.viz.explorer import LEVEL_COLOURS, OTHER_COLOUR, NothingToShow

#: File endings and the format matplotlib writes for them.
PLOT_FORMATS = {".png": "png", ".svg": "svg"}


def _figure(height: float = 5.0):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _format(out: Path) -> str:
    fmt = PLOT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise OutputError(f"{out}: cannot write: the file must end in .png or .svg")
    return fmt


def _save(figure: Any, out: Path, fmt: str) -> int:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    write_atomically(out, buffer.getvalue())
    return len(buffer.getvalue())


def plot_timeline(store: GraphStore, out: Path) -> int:
    """Models released over time, cumulative, one line per openness level; returns the
    file's size in bytes."""
    fmt = _format(out)
    by_level: dict[str, list[Any]] = {}
    for row in store.select(load_query("viz/model-releases")):
        day = first_day(row["date"])  # a month or year given alone counts from its first day
        if day is not None:
            by_level.setdefault(row.get("level") or "unknown", []).append(day)
    if not by_level:
        raise NothingToShow("no model has a release date: nothing to plot")
    order = [level for level in LEVEL_COLOURS if level in by_level]
    order += sorted(set(by_level) - set(order))
    figure = _figure()
    axes = figure.add_subplot()
    for level in order:
        dates = sorted(by_level[level])
        axes.step(dates, range(1, len(dates) + 1), where="post", marker="o", markersize=3,
                  color=LEVEL_COLOURS.get(level, OTHER_COLOUR), label=f"{level} ({len(dates)})")
    axes.set_title("Model releases by openness level")
    axes.set_ylabel("models released (cumulative)")
    axes.grid(alpha=0.3)
    axes.legend(title="openness level", loc="upper left")
    return _save(figure, out, fmt)


def _money(value: float, _position: Any = None) -> str:
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{unit}"
    return f"{value:g}"


def plot_funding(store: GraphStore, out: Path) -> int:
    """Funding rounds and investments (top) and valuations (bottom) over time, one colour
    per organisation, amounts in their own currency (named in the legend, never
    converted); returns the file's size in bytes."""
    from matplotlib.ticker import FuncFormatter

    fmt = _format(out)
    rows = store.select(load_query("viz/funding-amounts"))
    if not rows:
        raise NothingToShow("no funding round, investment or valuation has an amount: "
                            "nothing to plot")
    series: dict[tuple[str, str, str], list[tuple[Any, float]]] = {}
    for row in rows:
        key = (row.get("labLabel") or row["lab"], row["currency"], row["kind"])
        series.setdefault(key, []).append((row["date"], float(row["amount"])))
    labs = sorted({lab for lab, _, _ in series})
    palette = [f"C{i}" for i in range(10)]
    colours = {lab: palette[i % len(palette)] for i, lab in enumerate(labs)}
    figure = _figure(height=8)
    funding, valuation = figure.subplots(2, 1, sharex=True)
    markers = {"round": "o", "investment": "^", "valuation": "s"}
    for (lab, currency, kind), points in sorted(series.items()):
        dates, amounts = zip(*sorted(points), strict=True)
        axes = valuation if kind == "valuation" else funding
        style = "-" if kind == "valuation" else "none"
        axes.plot(dates, amounts, linestyle=style, marker=markers[kind], color=colours[lab],
                  label=f"{lab} ({currency})")
    funding.set_title("Funding rounds (\u25cf) and investments (\u25b2)")
    valuation.set_title("Valuations")
    for axes in (funding, valuation):
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(FuncFormatter(_money))
        axes.set_ylabel("amount, in its own currency")
        axes.grid(alpha=0.3)
        handles, labels = axes.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        if unique:
            axes.legend(unique.values(), unique.keys(), fontsize="small", loc="upper left",
                        ncols=2)
    return _save(figure, out, fmt)


def plot_positioning(store: GraphStore, out: Path) -> int:
    """The positioning map: each model's openness score against its licence's
    permissiveness, coloured by openness level, with the Pareto frontier labelled
    (kg.analysis.measures.positioning); returns the file's size in bytes."""
    from kg.analysis.measures import positioning

    fmt = _format(out)
    rows = [r for r in positioning(store) if r["permissiveness"] is not None]
    if not rows:
        raise NothingToShow("no model has both an openness score and a licence to place")
    figure = _figure(6.5)
    axes = figure.add_subplot()
    for level in sorted({r["level"] for r in rows}):
        mine = [r for r in rows if r["level"] == level]
        axes.scatter([r["openness"] for r in mine], [r["permissiveness"] for r in mine],
                     s=[30 + 60 * r["recency"] for r in mine], alpha=0.75, label=level,
                     color=LEVEL_COLOURS.get(level, OTHER_COLOUR), edgecolors="black",
                     linewidths=0.4)
    for row in rows:
        if row["frontier"]:
            axes.annotate(row["label"], (row["openness"], row["permissiveness"]), fontsize=8,
                          xytext=(4, 4), textcoords="offset points")
    for edge in (1 / 3, 2 / 3):
        axes.axvline(edge, color="grey", linewidth=0.5, linestyle=":")
        axes.axhline(edge, color="grey", linewidth=0.5, linestyle=":")
    axes.set(xlim=(-0.03, 1.03), ylim=(-0.03, 1.03), xlabel="openness score",
             ylabel="licence permissiveness",
             title="Positioning (marker size: recency; labelled: Pareto frontier)")
    axes.legend(title="openness level", loc="lower right")
    return _save(figure, out, fmt)


def plot_frontier_gap(store: GraphStore, out: Path, *, years: int | None = None,
                      include_unreleased: bool = False) -> int:
    """The training-compute frontier of closed and of open models (step lines on a log axis,
    each new frontier model labelled) and, below, how many months the open frontier trails
    the closed one, with the median and mean lag over all months (and over the last
    ``years`` years); see :mod:`kg.analysis.frontier`. Returns the file's size in bytes."""
    from kg.analysis.frontier import month_of, report, summarise

    fmt = _format(out)
    found = report(store, years=years, include_unreleased=include_unreleased)
    rows = found["months"]
    if not rows:
        raise NothingToShow("no open model has both a release date and a training compute: "
                            "nothing to plot")
    months = [_month_start(month_of(r["month"])) for r in rows]
    after = _month_start((month_of(rows[-1]["month"]) or 0) + 1)
    figure = _figure(height=8)
    frontier, lag = figure.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    closed_label = "closed (API or hosted only" + (", or unreleased)" if include_unreleased
                                                    else ")")
    for side, colour, name in (("closed", LEVEL_COLOURS["api-only"], closed_label),
                               ("open", LEVEL_COLOURS["open-source"], "open (weights released)")):
        shown = [(m, r[f"{side}_frontier_flop"], r[f"{side}_model"])
                 for m, r in zip(months, rows, strict=True) if r[f"{side}_frontier_flop"]]
        if not shown:
            continue
        dates, flops, models = zip(*shown, strict=True)
        frontier.step([*dates, after], [*flops, flops[-1]], where="post", color=colour,
                      linewidth=2, label=f"{name} frontier")
        previous = None
        for when, flop, model in shown:
            if model != previous:
                frontier.plot([when], [flop], marker="o", color=colour, markersize=5)
                frontier.annotate(model, (when, flop), fontsize=8, color=colour,
                                  xytext=(4, 6 if side == "closed" else -12),
                                  textcoords="offset points")
            previous = model
    frontier.set_yscale("log")
    frontier.set_ylabel("training compute (FLOP)")
    frontier.set_title("Training-compute frontier: closed vs open models")
    frontier.grid(alpha=0.3)
    frontier.legend(loc="upper left")
    measured = [(m, r["lag_months"]) for m, r in zip(months, rows, strict=True)
                if r["lag_months"] is not None]
    if measured:
        lag.bar([m for m, _ in measured], [v for _, v in measured], width=27, align="edge",
                color="#4a6fa5", label="lag at that month")
    overall = found["summary"] if years is None else summarise(rows)
    lines = [_lag_line(overall)]
    if years is not None:
        lines.append(_lag_line(found["summary"]))
    last = rows[-1]
    if last["compute_ratio"] is not None:
        lines.append(f"Latest ({last['month']}): lag {last['lag_months']} months; the closed "
                     f"frontier is {last['compute_ratio']:g}x the open one.")
    if overall["median_lag_months"] is not None:
        lag.axhline(overall["median_lag_months"], color="black", linestyle="--", linewidth=1,
                    label=f"median over all months ({overall['median_lag_months']:g})")
        lag.set_ylim(0, max(1, overall["max_lag_months"]) * 1.3)
    lag.set_xlabel("\n".join(lines), fontsize=9)
    lag.set_ylabel("lag (months)")
    lag.set_title("How many months the open frontier trails the closed one")
    lag.grid(alpha=0.3)
    if measured:
        lag.legend(loc="upper left", fontsize="small", ncols=2)
    return _save(figure, out, fmt)


def _month_start(month: int | None) -> date:
    assert month is not None
    return date(month // 12, month % 12 + 1, 1)


def _lag_line(summary: dict[str, Any]) -> str:
    window = f"{summary['window'].capitalize()} ({summary['from']} to {summary['to']})"
    if summary["median_lag_months"] is None:
        return f"{window}: no closed model to compare with."
    return (f"{window}: median lag {summary['median_lag_months']:g} months, mean "
            f"{summary['mean_lag_months']:g}, longest {summary['max_lag_months']}.")


#: The charts by the name ``kg plot`` takes; each takes the store and the file to write (and
#: its own keyword options).
PLOTS: dict[str, Callable[..., int]] = {
    "timeline": plot_timeline, "funding": plot_funding, "positioning": plot_positioning,
    "frontier-gap": plot_frontier_gap}
