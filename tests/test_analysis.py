"""Positioning analyses: stable, tested results on the curated data (whose figures are
checked by hand); tests/test_fusion.py checks them on the whole fused landscape."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.analysis import measures as analysis
from kg.analysis.projections import VIEWS, full_graph
from kg.cli.main import cli


@pytest.fixture(scope="module")
def store():
    from kg.landscape import Landscape

    return Landscape.load(sources=["curated"]).store


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_projection_keeps_types_labels_and_predicates(store, name):
    graph = VIEWS[name](store)
    assert graph.number_of_nodes() > 5 and graph.number_of_edges() > 5
    for _, attrs in graph.nodes(data=True):
        assert attrs["type"] and attrs["label"]
    for *_, attrs in graph.edges(data=True):
        assert attrs["predicate"]


def test_full_graph_links_through_n_ary_facts(store):
    graph = VIEWS["full"](store)
    assert graph.has_edge("round:openai-2025-03", "org:softbank", "kg:participation/investor")
    assert graph.nodes["model:gpt-oss-120b"]["level"] == "open-weights"
    assert "src:openai-blog-introducing-gpt-oss" in graph.nodes["model:gpt-oss-120b"]["sources"]


def test_funding_view_weights_by_amount(store):
    graph = VIEWS["funding"](store)
    edge = graph.edges["org:softbank", "org:openai"]
    # SoftBank's five disclosed investments in OpenAI, summed
    assert (edge["weight"], edge["events"]) == (60_000_000_000, 5)
    assert edge["currencies"] == ["USD"]


def test_openai_is_in_both_open_weight_and_closed_segments(store):
    labs = nx.get_node_attributes(VIEWS["lab-model"](store), "level")
    openai_levels = {labs[m] for m in VIEWS["lab-model"](store).neighbors("org:openai")}
    assert {"open-weights", "api-only"} <= openai_levels
    competition = VIEWS["competition"](store)
    segments = {s.split("/")[0] for _, _, d in competition.edges("org:openai", data=True)
                for s in d["segments"]}
    assert {"open-weights", "api-only"} <= segments


def test_llama_licences_rank_below_apache(store):
    scores = {r["licence"]: r["permissiveness"] for r in analysis.permissiveness(store)}
    apache = scores["spdx:Apache-2.0"]
    for llama in ("lic:llama-2-community", "lic:llama-3-community", "lic:llama-3-1-community",
                  "lic:llama-4-community"):
        assert scores[llama] < apache
    assert scores["lic:mistral-non-production"] < scores["lic:llama-2-community"]


def test_openness_scores(store):
    rows = {r["model"]: r for r in analysis.openness_scores(store)}
    assert rows["model:gpt-oss-120b"]["openness"] > rows["model:gpt-4"]["openness"]
    assert rows["model:claude-opus-4"]["openness"] < 0.1
    assert all(0 <= r["openness"] <= 1 for r in rows.values())
    assert sum(analysis.COMPONENT_WEIGHTS.values()) == pytest.approx(1.0)
    labs = {r["lab"]: r for r in analysis.lab_openness(store)}
    assert labs["Meta"]["mean"] > labs["Anthropic"]["mean"]


def test_positioning_frontier_and_niches(store):
    rows = analysis.positioning(store)
    frontier = {r["model"] for r in rows if r["frontier"]}
    # the most open model (ties: the most permissive, then the newest) dominates none less
    # open, so no model dominates it; Llama 2 is dominated (gpt-oss is as open, more
    # permissive and newer)
    top = max(rows, key=lambda r: (r["openness"], r["permissiveness"] or 0, r["recency"]))
    assert top["model"] in frontier
    assert "model:llama-2" not in frontier
    cells = analysis.niches(rows)
    assert len(cells) == 9 and sum(c["models"] for c in cells) == sum(
        1 for r in rows if r["permissiveness"] is not None)
    assert any(c["empty"] for c in cells)


def test_nearest_competitors(store):
    models = analysis.nearest_competitors(store, "model:gpt-oss-120b")
    assert len(models) == 5 and all(r["lab"] != "OpenAI" for r in models)
    assert models[0]["similarity"] >= models[-1]["similarity"]
    labs = analysis.nearest_competitors(store, "org:openai", top=3)
    assert len(labs) == 3 and "OpenAI" not in {r["label"] for r in labs}


def test_path_from_softbank_to_mistral(store):
    steps = analysis.path_between(full_graph(store), "org:softbank", "org:mistral-ai")
    assert steps[-1]["to_id"] == "org:mistral-ai"
    assert len(steps) == 3  # SoftBank -> its OpenAI round -> OpenAI -> Mistral AI


def test_communities_are_repeatable(store):
    graph = VIEWS["competition"](store)
    first = analysis.communities(graph, seed=7)
    assert first == analysis.communities(graph, seed=7)
    assert sum(c["size"] for c in first) == graph.number_of_nodes()


def test_centrality_on_funding(store):
    rows = analysis.centrality(VIEWS["funding"](store))
    # OpenAI and Anthropic tie on degree; PageRank puts OpenAI first
    assert [r["node"] for r in rows[:2]] == ["org:openai", "org:anthropic"]


@pytest.mark.parametrize("args", [
    ["analyze", "centrality", "--view", "full", "--format", "json"],
    ["analyze", "communities", "--format", "csv"],
    ["analyze", "openness", "--by", "lab", "--format", "markdown"],
    ["analyze", "permissiveness", "--format", "json"],
    ["analyze", "positioning", "--niches", "--format", "json"],
    ["analyze", "competitors", "gpt-oss-120b", "--format", "json"],
    ["analyze", "path", "SoftBank", "Mistral AI", "--format", "json"],
])
def test_cli_analyze(args):
    result = CliRunner().invoke(cli, ["--sources", "curated", *args])
    assert result.exit_code == 0, result.output
    if "json" in args:
        assert json.loads(result.output)


def test_cli_analyze_bad_input():
    runner = CliRunner()
    assert runner.invoke(cli, ["analyze", "centrality", "--view", "nope"]).exit_code == 2
    unknown = runner.invoke(cli, ["analyze", "competitors", "Nobody Labs"])
    assert unknown.exit_code == 1 and "no Model or Lab named" in unknown.output
