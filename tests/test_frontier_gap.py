"""The frontier gap (kg.analysis.frontier, `kg analyze frontier-gap`, `kg plot frontier-gap`)
on a small fixture whose frontiers, lags and ratios are worked out by hand in
tests/fixtures/frontier/frontier-gap.ttl and below."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.analysis.frontier import COLUMNS, Point, gap_rows, month_name, month_of, summarise
from kg.cli.drawing import plot
from kg.cli.main import KgGroup, Settings, analyze, cli
from kg.landscape import Landscape

FIXTURE = Path(__file__).parent / "fixtures" / "frontier" / "frontier-gap.ttl"

#: The months in segments worked out by hand: (first month, last month, closed model and
#: frontier, open model and frontier, lag in the first month, closed/open ratio). Within a
#: segment the open frontier stands still, so the lag grows by one each month.
SEGMENTS = [
    ("2020-06", "2021-02", "Closed A", 1e23, "Open P", 1e22, 5, 10.0),   # A (2020-01) >= P
    ("2021-03", "2021-08", "Closed B", 1e24, "Open P", 1e22, 14, 100.0),
    ("2021-09", "2022-11", "Closed B", 1e24, "Open Q", 1e23, 20, 10.0),  # A reached Q's 1e23
    ("2022-12", "2022-12", "Closed B", 1e24, "Open R", 2e24, 0, 0.5),    # open leads
    ("2023-01", "2023-02", "Closed C", 1e25, "Open R", 2e24, 0, 5.0),    # C reached R's 2e24
    ("2023-03", "2023-03", "Closed D", 4e25, "Open R", 2e24, 2, 20.0),   # still since C
]
#: The same with the unreleased Secret U (2021-11, 1e26) counted as closed.
SEGMENTS_WITH_UNRELEASED = [
    ("2020-06", "2021-02", "Closed A", 1e23, "Open P", 1e22, 5, 10.0),
    ("2021-03", "2021-08", "Closed B", 1e24, "Open P", 1e22, 14, 100.0),
    ("2021-09", "2021-10", "Closed B", 1e24, "Open Q", 1e23, 20, 10.0),
    ("2021-11", "2022-11", "Secret U", 1e26, "Open Q", 1e23, 22, 1000.0),
    ("2022-12", "2023-03", "Secret U", 1e26, "Open R", 2e24, 13, 50.0),  # U reached 2e24
]


def expand(segments) -> list[dict]:
    rows = []
    for first, last, closed, closed_flop, opened, open_flop, lag, ratio in segments:
        start, end = month_of(first), month_of(last)
        assert start is not None and end is not None
        for offset in range(end - start + 1):
            rows.append({"month": month_name(start + offset), "closed_frontier_flop": closed_flop,
                         "closed_model": closed, "open_frontier_flop": open_flop,
                         "open_model": opened, "lag_months": lag + offset,
                         "compute_ratio": ratio})
    return rows


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def fixture_landscape(request):
    return Landscape.load([FIXTURE], defaults=False, cache=False, backend=request.param)


def test_rows_are_the_hand_worked_months(fixture_landscape):
    rows = fixture_landscape.analyze("frontier-gap")
    assert rows == expand(SEGMENTS)
    assert len(rows) == 34  # 2020-06 (the first open model) to 2023-03 (the last model)
    assert rows[0] == {"month": "2020-06", "closed_frontier_flop": 1e23,
                       "closed_model": "Closed A", "open_frontier_flop": 1e22,
                       "open_model": "Open P", "lag_months": 5, "compute_ratio": 10.0}
    assert rows[30] == {"month": "2022-12", "closed_frontier_flop": 1e24,
                        "closed_model": "Closed B", "open_frontier_flop": 2e24,
                        "open_model": "Open R", "lag_months": 0, "compute_ratio": 0.5}
    assert rows[-1] == {"month": "2023-03", "closed_frontier_flop": 4e25,
                        "closed_model": "Closed D", "open_frontier_flop": 2e24,
                        "open_model": "Open R", "lag_months": 2, "compute_ratio": 20.0}
    assert [list(r) for r in rows] == [list(COLUMNS)] * len(rows)


def test_unreleased_models_count_as_closed_only_when_asked(fixture_landscape):
    rows = fixture_landscape.analyze("frontier-gap", include_unreleased=True)
    assert rows == expand(SEGMENTS_WITH_UNRELEASED)
    assert rows[-1]["lag_months"] == 16  # 2023-03 less 2021-11


def test_summary_over_all_months_and_the_last_year(fixture_landscape):
    # lags 5..19, 20..34, 0, 0, 1, 2: sum 588 over 34 months; the 17th and 18th are 17, 18
    assert fixture_landscape.frontier_gap()["summary"] == {
        "window": "all months", "from": "2020-06", "to": "2023-03", "months": 34,
        "months_with_lag": 34, "median_lag_months": 17.5, "mean_lag_months": 17.3,
        "max_lag_months": 34, "latest_lag_months": 2, "latest_compute_ratio": 20.0,
        "median_compute_ratio": 10.0, "months_open_at_or_above_closed": 1,
        "open_models": 3, "closed_models": 4, "unreleased": "left out",
        "models_left_out": 1}
    # 2022-04..2023-03: lags 27..34, 0, 0, 1, 2: sum 247 over 12; the 6th and 7th are 28, 29
    last_year = fixture_landscape.frontier_gap(years=1)["summary"]
    assert {k: last_year[k] for k in ("window", "from", "to", "months", "median_lag_months",
                                      "mean_lag_months", "max_lag_months")} == {
        "window": "the last year", "from": "2022-04", "to": "2023-03", "months": 12,
        "median_lag_months": 28.5, "mean_lag_months": 20.6, "max_lag_months": 34}
    with_unreleased = fixture_landscape.frontier_gap(include_unreleased=True)["summary"]
    assert (with_unreleased["closed_models"], with_unreleased["unreleased"]) == \
        (5, "counted as closed")


def test_months_before_any_closed_model_have_no_lag_and_ties_go_to_the_earlier_model():
    january = 2024 * 12
    points = [Point("o1", "Open 1", january, 1e20, "open"),
              Point("c1", "Closed 1", january + 2, 5e20, "closed"),
              Point("c2", "Closed 2", january + 3, 5e20, "closed"),
              Point("o2", "Open 2", january + 3, 5e20, "open")]
    rows = gap_rows(points)
    assert [(r["month"], r["closed_model"], r["open_model"], r["lag_months"],
             r["compute_ratio"]) for r in rows] == [
        ("2024-01", None, "Open 1", None, None),
        ("2024-02", None, "Open 1", None, None),
        ("2024-03", "Closed 1", "Open 1", 0, 5.0),  # closed reached 1e20 this very month
        ("2024-04", "Closed 1", "Open 2", 1, 1.0)]  # equal compute: no lead; Closed 2 ties
    assert summarise(rows)["months_with_lag"] == 2
    assert summarise(rows)["months_open_at_or_above_closed"] == 1


def test_no_open_model_no_rows():
    assert gap_rows([Point("c", "Closed", 10, 1e20, "closed")]) == []
    assert summarise([])["median_lag_months"] is None


# --------------------------------------------------------------------------- the CLI
def invoke(landscape: Landscape, *args: str):
    """A ``kg`` command on ``landscape`` alone (the group's --data would add the shipped
    graph, whose training compute values would change the answer)."""
    group = KgGroup(commands={"analyze": analyze, "plot": plot})
    return CliRunner().invoke(group, list(args), obj=Settings(_landscape=landscape))


def test_cli_json_holds_the_summary_and_the_months(fixture_landscape):
    result = invoke(fixture_landscape, "analyze", "frontier-gap", "--years", "1",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["months"] == expand(SEGMENTS)
    assert answer["summary"] == fixture_landscape.frontier_gap(years=1)["summary"]


def test_cli_csv_and_table(fixture_landscape):
    result = invoke(fixture_landscape, "analyze", "frontier-gap", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1] == "2020-06,1e+23,Closed A,1e+22,Open P,5,10.0"
    assert len(lines) == 35
    table = invoke(fixture_landscape, "analyze", "frontier-gap", "--include-unreleased")
    assert table.exit_code == 0, table.output
    assert "Secret U" in table.output and "Summary of the lag" in table.output


def test_cli_with_no_compute_exits_1(tmp_path):
    data = tmp_path / "no-compute.ttl"
    data.write_text(FIXTURE.read_text(encoding="utf-8").replace("kg:trainingCompute",
                                                                "rdfs:comment"),
                    encoding="utf-8")
    result = invoke(Landscape.load([data], defaults=False, cache=False), "analyze",
                    "frontier-gap", "--format", "json")
    assert result.exit_code == 1
    assert "no open model has both a release date and a training compute" in result.output


def test_the_kg_command_takes_the_fixture_with_data():
    result = CliRunner().invoke(cli, ["--data", str(FIXTURE), "analyze", "frontier-gap",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert sorted(answer) == ["months", "summary"]
    assert answer["months"] and all(list(row) == list(COLUMNS) for row in answer["months"])


def test_plot_writes_a_png_readable_by_all(fixture_landscape, tmp_path):
    out = tmp_path / "gap.png"
    previous = os.umask(0o022)
    try:
        result = invoke(fixture_landscape, "plot", "frontier-gap", "--years", "1",
                        "--out", str(out))
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    content = out.read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 10_000
    assert out.stat().st_mode & 0o777 == 0o644


def test_plot_options_belong_to_the_frontier_gap(fixture_landscape, tmp_path):
    result = invoke(fixture_landscape, "plot", "timeline", "--years", "2",
                    "--out", str(tmp_path / "t.png"))
    assert result.exit_code == 2
    assert "for the frontier-gap chart" in result.output
