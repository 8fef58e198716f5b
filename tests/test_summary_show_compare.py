"""`kg summary`, `kg show`, `kg compare`: what a user reads at a glance."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli.main import cli


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def test_summary_json_sections():
    result = invoke("summary", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    counts = {r["type"]: r["count"] for r in data["counts"]}
    assert counts["Model"] >= 40 and counts["Lab"] >= 9
    openai = [r for r in data["models_per_lab"] if r["lab"] == "OpenAI"][0]
    assert openai["open-weights"] >= 3 and openai["api-only"] >= 5
    thresholds = [r for r in data["licence_restrictions"] if r["kind"] == "user threshold"]
    assert any("Llama 2" in r["licence"] and "700000000" in r["condition"] for r in thresholds)
    rounds = data["largest_rounds"]
    assert all(r["date"] for r in rounds)
    assert any(r["round"].startswith("OpenAI $40B") for r in rounds)
    assert all(r["date"] for r in data["latest_valuations"] + data["products"])


@pytest.mark.parametrize("fmt, marker", [("table", "Counts by type"),
                                         ("markdown", "### Latest valuations"),
                                         ("csv", "# Products and their latest users")])
def test_summary_formats(fmt, marker):
    result = invoke("summary", "--format", fmt)
    assert result.exit_code == 0
    assert marker in result.output


@pytest.mark.parametrize("name", ["llama 2", "Llama-2", "LLaMA 2", "model:llama-2",
                                  "https://w3id.org/ai-landscape-kg/id/model/llama-2"])
def test_show_matches_names_loosely(name):
    result = invoke("show", name, "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["id"] == "model:llama-2"
    props = {p["property"] for p in record["properties"]}
    assert {"kg:developer", "kg:licence", "kg:releaseDate", "kg:componentOpenness"} <= props
    assert any(s["source"] == "src:meta-llama-2-paper" for s in record["sources"])


@pytest.mark.parametrize("name", ["OpenAI", "round:openai-2025-03", "Sam Altman",
                                  "lic:llama-2-community", "ChatGPT"])
def test_show_every_kind_of_entity(name):
    result = invoke("show", name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sources"]


def test_show_ambiguous_and_unknown_names_exit_1():
    ambiguous = invoke("show", "openai-2026-03")  # a round and its valuation, by id only
    assert ambiguous.exit_code == 1
    assert "ambiguous" in ambiguous.output and "round:openai-2026-03" in ambiguous.output
    unknown = invoke("show", "lama 9")
    assert unknown.exit_code == 1
    assert "closest:" in unknown.output and "model:llama-2" in unknown.output


def test_show_escapes_nothing_into_markup():
    result = invoke("show", "model:llama-2", "--format", "markdown")
    assert result.exit_code == 0
    assert "| licence | Llama 2 Community License Agreement (lic:llama-2-community) |" \
        in result.output


def test_compare_models_side_by_side():
    result = invoke("compare", "llama 2", "gpt-oss-120b", "--format", "json")
    assert result.exit_code == 0, result.output
    llama, oss = json.loads(result.output)
    assert llama["developer"] == "Meta" and oss["developer"] == "OpenAI"
    assert oss["licence"] == "Apache License 2.0"
    assert any("700000000" in r for r in llama["licence restrictions"])
    assert oss["openness: weights"] == ["open"] and oss["openness: training-data"] == ["closed"]
    table = invoke("compare", "llama 2", "gpt-oss-120b", "--format", "markdown").output
    assert table.splitlines()[2] == "| field | Llama 2 | gpt-oss-120b |"


def test_compare_only_takes_models():
    result = invoke("compare", "OpenAI", "llama 2")
    assert result.exit_code == 1
    assert "no Model named 'OpenAI'" in result.output
