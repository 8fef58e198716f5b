"""The charts as drawn by matplotlib: labels that matter placed without overlap, one colour
per openness level, currencies in panels of their own, users per product, and every title
naming its data date and source count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Annotation, Text

from kg.landscape import Landscape
from kg.queries import load_query
from kg.viz.explorer import LEVEL_COLOURS
from kg.viz.plots import (
    frontier_gap_figure,
    funding_figure,
    overlapping,
    positioning_figure,
    timeline_figure,
    users_figure,
)

FRONTIER = Path(__file__).parent / "fixtures" / "frontier" / "frontier-gap.ttl"
DATA_LINE = re.compile(r"data to \d{4}-\d{2}(-\d{2})? \u00b7 (\d+) sources?")


@pytest.fixture(scope="module")
def store():
    return Landscape.load().store


def notes_of(axes) -> list[Annotation]:
    return [t for t in axes.texts if isinstance(t, Annotation)]


def covered_points(figure, axes) -> int:
    """How many drawn points lie under a label of ``axes``."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = [Text.get_window_extent(note, renderer) for note in notes_of(axes)]
    centres = [xy for c in axes.collections for xy in c.get_offset_transform().transform(
        c.get_offsets())]
    centres += [xy for line in axes.lines for xy in line.get_transform().transform(
        line.get_xydata())]
    return sum(1 for x, y in centres for b in boxes if b.contains(x, y))


def test_positioning_labels_every_model_that_matters_apart(store):
    figure, wanted, shown = positioning_figure(store)
    axes = figure.axes[0]
    assert sorted(shown) == sorted(wanted) and len(wanted) >= 20
    assert "GPT-6.2 Sol" in shown and "Apertus 70B" in shown
    assert overlapping(figure, notes_of(axes)) == 0
    assert covered_points(figure, axes) == 0


def test_positioning_has_one_distinct_colour_per_level(store):
    axes = positioning_figure(store)[0].axes[0]
    colours = {c.get_label().split(" (")[0]: to_hex(c.get_facecolor()[0])
               for c in axes.collections}
    assert colours == {level: LEVEL_COLOURS[level] for level in colours}
    assert len(set(colours.values())) == len(colours) >= 4


def test_funding_keeps_each_currency_on_its_own_axis(store):
    figure = funding_figure(store)
    currencies = {r["currency"] for r in store.select(load_query("viz/funding-amounts"))}
    labels = [axes.get_ylabel() for axes in figure.axes]
    assert sorted(labels) == sorted(f"amount in {c}" for c in currencies)
    symbols = {"USD": "$", "EUR": "\u20ac"}
    for axes in figure.axes:
        currency = axes.get_ylabel().split()[-1]
        texts = [note.get_text() for note in notes_of(axes)]
        assert texts and all((symbols[currency] in t) if currency in symbols
                             else t.endswith(currency) for t in texts)
        assert overlapping(figure, notes_of(axes)) == 0


def test_users_chart_draws_each_product_metric_and_labels_each_count(store):
    figure = users_figure(store)
    axes = figure.axes[0]
    rows = store.select(load_query("viz/user-counts"))
    series = {(r["productLabel"], r["metricLabel"]) for r in rows}
    assert sorted(line.get_label() for line in axes.lines) == sorted(
        f"{p}: {m}" for p, m in series)
    assert len(notes_of(axes)) == len(rows)
    assert overlapping(figure, notes_of(axes)) == 0
    assert covered_points(figure, axes) == 0


#: The sources a chart's facts cite, where one query says it.
CITED = {
    "users": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?o a kg:UserMetricObservation ; "
             "kg:product [] ; kg:value [] ; kg:date [] ; dcterms:source ?s }",
    "frontier-gap": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?m a kg:Model ; "
                    "kg:trainingCompute [] ; kg:opennessLevel [] ; kg:releaseDate [] ; "
                    "dcterms:source ?s }",
}


@pytest.mark.parametrize("chart", ["timeline", "positioning", "users", "funding",
                                   "frontier-gap"])
def test_each_title_names_its_data_date_and_source_count(chart, store):
    if chart == "frontier-gap":
        store = Landscape.load([FRONTIER]).store
        figure = frontier_gap_figure(store)
    else:
        figure = {"timeline": timeline_figure, "positioning": lambda s: positioning_figure(s)[0],
                  "users": users_figure, "funding": funding_figure}[chart](store)
    titles = [figure.get_suptitle()] + [axes.get_title() for axes in figure.axes]
    found = [DATA_LINE.search(title) for title in titles]
    assert sum(1 for m in found if m) == 1
    count = int(next(m for m in found if m).group(2))
    if chart in CITED:
        assert count == store.select(CITED[chart])[0]["n"]
    else:
        assert count > 1
