"""Static charts of the landscape (matplotlib, Agg): model releases by openness level,
funding and valuations per lab (one panel per currency, never converted), users over time
per product, the positioning map, and the training-compute frontier gap between open and
closed models. Each chart's title says the date of its latest fact and how many sources
its facts cite; point labels are placed so that none overlaps another or a point
(:func:`place_labels`). PNG or SVG by the file's ending, written atomically."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from kg.errors import OutputError
from kg.queries import load_query
from kg.store import GraphStore
from kg.store.export import write_atomically
from kg.store.terms import first_day
from kg.viz.explorer import LEVEL_COLOURS, OTHER_COLOUR, NothingToShow

#: Colours of labs and products (matplotlib's tab10, then tab20's light shades).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
           "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5")

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


def provenance(store: GraphStore, entities: Any, latest: Any) -> str:
    """A chart's data line: the date of its latest fact and how many distinct sources the
    ``entities`` drawn cite.

    >>> from kg.landscape import Landscape
    >>> provenance(Landscape.load().store, ["model:llama-2"], date(2023, 7, 18))
    'data to 2023-07-18 \u00b7 3 sources'
    """
    wanted = set(entities)
    cited = {r["source"] for r in store.select(load_query("viz/entity-sources"))
             if r["node"] in wanted}
    when = latest.isoformat() if hasattr(latest, "isoformat") else str(latest)
    return f"data to {when} \u00b7 {len(cited)} source{'s' if len(cited) != 1 else ''}"


#: Where a label may go around its point: distances (points) and directions (degrees).
_RADII = (5, 12, 20, 30, 42, 56, 72, 90, 110)
_ANGLES = (45, 135, 315, 225, 90, 270, 0, 180, 20, 160, 340, 200, 65, 115, 295, 245)


def place_labels(figure: Any, axes: Any, items: list[tuple[str, Any, Any, str]], *,
                 points: Iterable[tuple[Any, Any]] = (), fontsize: float = 8) -> list[Any]:
    """Label ``items`` (text, x, y, colour) in order of priority, each at the nearest spot
    around its point where it overlaps no earlier label, no point of ``points`` and stays
    inside ``axes`` off its legend (a grey leader line when it sits away from its point); a
    label with no free spot is left out. Freezes the figure's layout first. Returns the annotations.

    >>> fig = _figure()
    >>> ax = fig.add_subplot()
    >>> _ = ax.scatter([0, 0], [0, 0])
    >>> notes = place_labels(fig, ax, [("a", 0, 0, "k"), ("b", 0, 0, "k")],
    ...                      points=[(0, 0)])
    >>> len(notes), overlapping(fig, notes)
    (2, 0)
    """
    import math

    from matplotlib.transforms import Bbox

    figure.canvas.draw()  # settle the constrained layout, then keep it
    figure.set_layout_engine("none")
    renderer = figure.canvas.get_renderer()
    scale = figure.dpi / 72
    frame = axes.get_window_extent(renderer)
    def display(x: Any, y: Any) -> tuple[float, float]:
        converted = (float(axes.convert_xunits(x)), float(axes.convert_yunits(y)))
        found = axes.transData.transform(converted)
        return float(found[0]), float(found[1])

    taken = [Bbox.from_bounds(px - 4 * scale, py - 4 * scale, 8 * scale, 8 * scale)
             for px, py in (display(x, y) for x, y in points)]
    legend = axes.get_legend()
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    notes = []
    for text, x, y, colour in items:
        probe = axes.text(0, 0, text, fontsize=fontsize)
        box = probe.get_window_extent(renderer)
        probe.remove()
        width, height = box.width, box.height
        px, py = display(x, y)
        for radius in _RADII:
            found = None
            for angle in _ANGLES:
                dx = radius * math.cos(math.radians(angle)) * scale
                dy = radius * math.sin(math.radians(angle)) * scale
                left = px + dx - (0 if dx > 1 else width if dx < -1 else width / 2)
                bottom = py + dy - (0 if dy > 1 else height if dy < -1 else height / 2)
                spot = Bbox.from_bounds(left - 1, bottom - 1, width + 2, height + 2)
                if (frame.containsx(spot.x0) and frame.containsx(spot.x1)
                        and frame.containsy(spot.y0) and frame.containsy(spot.y1)
                        and not any(spot.overlaps(other) for other in taken)):
                    found = (dx, dy, spot)
                    break
            if found:
                break
        if not found:
            continue
        dx, dy, spot = found
        taken.append(spot)
        notes.append(axes.annotate(
            text, (x, y), xytext=(dx / scale, dy / scale), textcoords="offset points",
            fontsize=fontsize, color=colour, ha="left" if dx > 1 else "right" if dx < -1
            else "center", va="bottom" if dy > 1 else "top" if dy < -1 else "center",
            arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.5,
                        "shrinkA": 0, "shrinkB": 2} if radius > 12 else None))
    return notes


def overlapping(figure: Any, notes: list[Any]) -> int:
    """How many pairs of the annotations ``notes`` overlap (their text, not their leader
    lines) on the drawn figure."""
    from matplotlib.text import Text

    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = [Text.get_window_extent(note, renderer) for note in notes]
    return sum(1 for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b))


def _save(figure: Any, out: Path, fmt: str) -> int:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    write_atomically(out, buffer.getvalue())
    return len(buffer.getvalue())


def plot_timeline(store: GraphStore, out: Path) -> int:
    """Models released over time, cumulative, one line per openness level; returns the
    file's size in bytes."""
    fmt = _format(out)
    return _save(timeline_figure(store), out, fmt)


def timeline_figure(store: GraphStore) -> Any:
    """The figure of :func:`plot_timeline`."""
    by_level: dict[str, list[Any]] = {}
    models = []
    for row in store.select(load_query("viz/model-releases")):
        day = first_day(row["date"])  # a month or year given alone counts from its first day
        if day is not None:
            by_level.setdefault(row.get("level") or "unknown", []).append(day)
            models.append(row["model"])
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
    latest = max(day for days in by_level.values() for day in days)
    axes.set_title("Model releases by openness level\n" + provenance(store, models, latest))
    axes.set_ylabel("models released (cumulative)")
    axes.grid(alpha=0.3)
    axes.legend(title="openness level", loc="upper left")
    return figure


#: Currency symbols for amounts' labels (others are written after the number).
_SYMBOLS = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5", "CNY": "CN\u00a5"}


def _money(value: float, _position: Any = None) -> str:
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{unit}"
    return f"{value:g}"


def _amount(value: float, currency: str) -> str:
    """An amount as its label reads: ``$6.6B``, ``\u20ac1.7B``, ``12.5B HKD``.

    >>> _amount(6.6e9, "USD"), _amount(1.25e10, "HKD")
    ('$6.6B', '12.5B HKD')
    """
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{_money(value)}" if symbol else f"{_money(value)} {currency}"


def plot_funding(store: GraphStore, out: Path) -> int:
    """Funding rounds, investments and valuations over time, one panel per currency (amounts
    are never converted), one colour per lab, each amount labelled; returns the file's size
    in bytes."""
    fmt = _format(out)
    return _save(funding_figure(store), out, fmt)


def funding_figure(store: GraphStore) -> Any:
    """The figure of :func:`plot_funding`."""
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    rows = store.select(load_query("viz/funding-amounts"))
    if not rows:
        raise NothingToShow("no funding round, investment or valuation has an amount: "
                            "nothing to plot")
    by_currency: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_currency.setdefault(row["currency"], []).append(row)
    currencies = sorted(by_currency, key=lambda c: (-len(by_currency[c]), c))
    labs = sorted({row.get("labLabel") or row["lab"] for row in rows})
    colours = {lab: PALETTE[i % len(PALETTE)] for i, lab in enumerate(labs)}
    heights = [3.0 if len(by_currency[c]) > 10 else 1.6 for c in currencies]
    figure = _figure(height=2.2 + sum(heights) * 1.6)
    panels = figure.subplots(len(currencies), 1, sharex=True, squeeze=False,
                             height_ratios=heights)[:, 0]
    markers = {"round": "o", "investment": "^", "valuation": "s"}
    latest = max(row["date"] for row in rows)
    figure.suptitle("Funding rounds (\u25cf), investments (\u25b2) and valuations "
                    "(\u25a0, line) per lab, in each amount's own currency (not converted)\n"
                    + provenance(store, [r["event"] for r in rows], latest))
    for axes, currency in zip(panels, currencies, strict=True):
        mine = by_currency[currency]
        series: dict[tuple[str, str], list[tuple[Any, float]]] = {}
        for row in mine:
            series.setdefault((row.get("labLabel") or row["lab"], row["kind"]), []).append(
                (row["date"], float(row["amount"])))
        for (lab, kind), found in sorted(series.items()):
            dates, amounts = zip(*sorted(found), strict=True)
            axes.plot(dates, amounts, linestyle="-" if kind == "valuation" else "none",
                      linewidth=1, marker=markers[kind], markersize=5, color=colours[lab])
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p, c=currency: _amount(v, c)))
        axes.set_ylabel(f"amount in {currency}")
        axes.set_title(f"{currency}: {len(mine)} amounts", fontsize=10, loc="left")
        axes.grid(alpha=0.3)
        values = [float(r["amount"]) for r in mine]
        axes.set_ylim(min(values) / 3, max(values) * 4)
        present = sorted({r.get("labLabel") or r["lab"] for r in mine})
        axes.legend([Line2D([], [], color=colours[lab], marker="o", linestyle="none")
                     for lab in present], present, fontsize="small", loc="upper left",
                    ncols=2 if len(present) > 5 else 1)
    first = min(row["date"] for row in rows)
    panels[0].set_xlim(_month_start(first.year * 12 + first.month - 4),
                       _month_start(latest.year * 12 + latest.month + 3))
    for axes, currency in zip(panels, currencies, strict=True):
        mine = sorted(by_currency[currency], key=lambda r: -float(r["amount"]))
        place_labels(figure, axes, [(_amount(float(r["amount"]), currency), r["date"],
                                     float(r["amount"]), colours[r.get("labLabel") or r["lab"]])
                                    for r in mine],
                     points=[(r["date"], float(r["amount"])) for r in mine], fontsize=7)
    return figure


def plot_users(store: GraphStore, out: Path) -> int:
    """Users over time per product, one colour per product and a line style per metric
    (weekly, monthly, daily active users are never mixed on one line), each count
    labelled ("+" for "more than", "~" for "about"); returns the file's size in bytes."""
    fmt = _format(out)
    return _save(users_figure(store), out, fmt)


def users_figure(store: GraphStore) -> Any:
    """The figure of :func:`plot_users`."""
    from matplotlib.ticker import FuncFormatter

    rows = [r for r in store.select(load_query("viz/user-counts")) if first_day(r["date"])]
    if not rows:
        raise NothingToShow("no product has a dated user count: nothing to plot")
    products = sorted({r.get("productLabel") or r["product"] for r in rows})
    colours = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(products)}
    styles = ["-", "--", ":", "-."]
    metrics = sorted({r.get("metricLabel") or r.get("metric") or "users" for r in rows})
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        key = (row.get("productLabel") or row["product"],
               row.get("metricLabel") or row.get("metric") or "users")
        series.setdefault(key, []).append(row)
    figure = _figure(6.0)
    axes = figure.add_subplot()
    items: list[tuple[str, Any, float, str]] = []
    points: list[tuple[Any, float]] = []
    for (product, metric), found in sorted(series.items()):
        found.sort(key=lambda r: first_day(r["date"]) or date.min)
        dates = [first_day(r["date"]) for r in found]
        values = [float(r["value"]) for r in found]
        axes.plot(dates, values, linestyle=styles[metrics.index(metric) % len(styles)],
                  marker="o", markersize=4, color=colours[product], label=f"{product}: {metric}")
        for row, day, value in zip(found, dates, values, strict=True):
            prefix = "~" if row.get("qualifier") == "about" else ""
            suffix = "+" if row.get("qualifier") == "more than" else ""
            items.append((f"{prefix}{_money(value)}{suffix}", day, value, colours[product]))
            points.append((day, value))
    latest = max(day for _, day, _, _ in items)
    axes.set_yscale("log")
    axes.yaxis.set_major_formatter(FuncFormatter(_money))
    axes.set_ylabel("users (log scale)")
    axes.set_title("Users over time per product (+: more than, ~: about)\n"
                   + provenance(store, [r["obs"] for r in rows], latest))
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small", loc="upper left", title="product: metric")
    values = [v for _, v in points]
    axes.set_ylim(min(values) / 3, max(values) * 3)
    items.sort(key=lambda item: (-item[2], str(item[1])))
    place_labels(figure, axes, items, points=points, fontsize=7)
    return figure


def plot_positioning(store: GraphStore, out: Path) -> int:
    """The positioning map: each model's openness score against its licence's
    permissiveness, coloured by openness level; the models that matter (the Pareto
    frontier, each lab's latest) labelled without overlap; returns the file's size in
    bytes."""
    fmt = _format(out)
    return _save(positioning_figure(store)[0], out, fmt)


#: At most this many labels on the positioning chart (the frontier, then the latest model of
#: the labs with the most models placed).
MAX_LABELS = 60


def positioning_figure(store: GraphStore) -> tuple[Any, list[str], list[str]]:
    """The figure of :func:`plot_positioning`, the models it should label (the Pareto
    frontier, then each lab's latest, at most :data:`MAX_LABELS`) and those it labelled."""
    import math

    from kg.analysis.measures import positioning

    rows = [r for r in positioning(store) if r["permissiveness"] is not None]
    if not rows:
        raise NothingToShow("no model has both an openness score and a licence to place")
    # models at the same point spread on a small sunflower spiral, so each can be seen
    stacks: dict[tuple[float, float], int] = {}
    placed = {}
    golden = math.pi * (3 - math.sqrt(5))
    for row in sorted(rows, key=lambda r: (-r["recency"], r["label"])):
        point = (row["openness"], row["permissiveness"])
        i = stacks.get(point, 0)
        stacks[point] = i + 1
        radius = 0.005 * math.sqrt(i)
        placed[row["model"]] = (point[0] + radius * math.cos(i * golden),
                                point[1] + radius * math.sin(i * golden))
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        mine = latest.get(row["lab"])
        if mine is None or (row["released"], row["label"]) > (mine["released"], mine["label"]):
            latest[row["lab"]] = row
    sizes: dict[str, int] = {}
    for row in rows:
        sizes[row["lab"]] = sizes.get(row["lab"], 0) + 1
    wanted = [r for r in rows if r["frontier"]]
    wanted += sorted((r for r in latest.values() if not r["frontier"]),
                     key=lambda r: (-sizes[r["lab"]], r["label"]))  # the biggest labs first
    wanted = wanted[:MAX_LABELS]
    figure = _figure(8.0)
    axes = figure.add_subplot()
    for level in [lv for lv in LEVEL_COLOURS if any(r["level"] == lv for r in rows)] + sorted(
            {r["level"] for r in rows} - set(LEVEL_COLOURS)):
        members = [r for r in rows if r["level"] == level]
        axes.scatter([placed[r["model"]][0] for r in members],
                     [placed[r["model"]][1] for r in members],
                     s=[14 + 40 * r["recency"] for r in members], alpha=0.85,
                     label=f"{level} ({len(members)})",
                     color=LEVEL_COLOURS.get(level, OTHER_COLOUR), edgecolors="black",
                     linewidths=0.4)
    for edge in (1 / 3, 2 / 3):
        axes.axvline(edge, color="grey", linewidth=0.5, linestyle=":")
        axes.axhline(edge, color="grey", linewidth=0.5, linestyle=":")
    newest = max(r["released"] for r in rows)
    axes.set(xlim=(-0.06, 1.06), ylim=(-0.06, 1.1), xlabel="openness score",
             ylabel="licence permissiveness")
    axes.set_title("Positioning of models by openness and licence permissiveness\n(marker size: "
                   "recency; labelled: the Pareto frontier and each lab's latest model; models "
                   "at one point spread slightly)\n"
                   + provenance(store, [r["model"] for r in rows], newest), fontsize=10)
    axes.legend(title="openness level", loc="lower right")
    notes = place_labels(
        figure, axes, [(r["label"], *placed[r["model"]],
                        _darker(LEVEL_COLOURS.get(r["level"], OTHER_COLOUR))) for r in wanted],
        points=list(placed.values()), fontsize=7)
    shown = [note.get_text() for note in notes]
    return figure, [r["label"] for r in wanted], shown


def _darker(colour: str) -> str:
    """A colour darkened for text on white (black stays black).

    >>> _darker("#56b4e9")
    '#3c7da3'
    """
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * 0.7):02x}" for c in (red, green, blue))


def plot_frontier_gap(store: GraphStore, out: Path, *, years: int | None = None,
                      include_unreleased: bool = False) -> int:
    """The training-compute frontier of closed and of open models (step lines on a log axis,
    each new frontier model labelled) and, below, how many months the open frontier trails
    the closed one, with the median and mean lag over all months (and over the last
    ``years`` years); see :mod:`kg.analysis.frontier`. Returns the file's size in bytes."""
    fmt = _format(out)
    return _save(frontier_gap_figure(store, years=years, include_unreleased=include_unreleased),
                 out, fmt)


def frontier_gap_figure(store: GraphStore, *, years: int | None = None,
                        include_unreleased: bool = False) -> Any:
    """The figure of :func:`plot_frontier_gap`."""
    from kg.analysis.frontier import month_of, report, summarise

    found = report(store, years=years, include_unreleased=include_unreleased)
    rows = found["months"]
    if not rows:
        raise NothingToShow("no open model has both a release date and a training compute: "
                            "nothing to plot")
    months = [_month_start(month_of(r["month"])) for r in rows]
    after = _month_start((month_of(rows[-1]["month"]) or 0) + 1)
    figure = _figure(height=8)
    frontier, lag = figure.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    labels: list[tuple[str, Any, float, str]] = []  # each new frontier model, labelled last
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
                labels.append((model, when, flop, colour))
            previous = model
    frontier.set_yscale("log")
    frontier.set_ylabel("training compute (FLOP)")
    counted = [r["model"] for r in store.select(load_query("analysis/frontier-compute"))
               if r.get("compute") is not None]
    frontier.set_title("Training-compute frontier: closed vs open models\n"
                       + provenance(store, counted, rows[-1]["month"]))
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
    labels.sort(key=lambda item: item[1], reverse=True)  # the latest first
    place_labels(figure, frontier, labels, points=[(w, f) for _, w, f, _ in labels])
    return figure


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
    "users": plot_users,
    "frontier-gap": plot_frontier_gap}
