"""Named questions: each answers correctly on the shipped data; bad input is one clear line."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.queries.questions import all_questions


def covers(name: str) -> str:
    """Marks a question as covered (see test_every_question_is_tested)."""
    return name


def test_models_by_openness(landscape):
    rows = landscape.ask(covers("models-by-openness"), level="level:open-weights")
    models = {r["model"] for r in rows}
    assert {"model:gpt-oss-120b", "model:llama-2", "model:mistral-7b"} <= models
    assert "model:gpt-4" not in models
    assert {r["level"] for r in rows} == {"level:open-weights"}
    everything = landscape.ask("models-by-openness")
    assert {r["level"] for r in everything} >= {"level:open-weights", "level:api-only"}


def test_openness_levels(landscape):
    rows = landscape.ask(covers("openness-levels"))
    facts = {(r["level"], r["how"], r["component"]) for r in rows}
    assert ("level:open-weights", "releases", "weights") in facts
    assert ("level:open-weights", "withholds", "training data") in facts
    assert ("level:api-only", "withholds", "weights") in facts


def test_user_threshold_licences(landscape):
    rows = landscape.ask(covers("user-threshold-licences"))
    by_licence = {r["licence"]: r for r in rows}
    llama2 = by_licence["lic:llama-2-community"]
    assert int(llama2["threshold"]) == 700_000_000
    assert llama2["grantor"] == "org:meta"
    assert "Llama 2" in llama2["models"]
    assert int(by_licence["lic:qwen"]["threshold"]) == 100_000_000


def test_funding_round(landscape):
    rows = landscape.ask(covers("funding-round"), round="round:openai-2025-03")
    assert {r["total"] for r in rows} == {40_000_000_000}
    assert {r["valuation"] for r in rows} == {300_000_000_000}
    shares = {r["investor"]: r["share"] for r in rows}
    assert shares["SoftBank Group"] == 30_000_000_000
    assert any("other investors" in k and v == 10_000_000_000 for k, v in shares.items())


def test_open_weight_releases_of_openai(landscape):
    rows = landscape.ask(covers("open-weight-releases"), lab="OpenAI")
    assert rows[0]["model"] == "model:gpt-2" and rows[0]["released"].year == 2019
    gpt_oss = [r for r in rows if r["model"] == "model:gpt-oss-120b"]
    assert gpt_oss and gpt_oss[0]["released"].year == 2025
    assert gpt_oss[0]["yearsSincePrevious"] == Decimal("6.5")  # since GPT-2, 2019


def test_labs_with_open_and_closed_models(landscape):
    rows = landscape.ask(covers("open-and-closed-labs"))
    labs = {r["lab"] for r in rows}
    assert {"org:openai", "org:google-deepmind", "org:mistral-ai"} <= labs
    assert "org:anthropic" not in labs  # no open weights; Meta's Muse Spark is hosted only
    assert "org:meta" in labs


def test_product_users(landscape):
    rows = landscape.ask(covers("product-users"))
    chatgpt = {(r["metric"], r["users"], r["date"])
               for r in rows if r["product"] == "product:chatgpt"}
    assert chatgpt == {("WAU", 900_000_000, date(2026, 2, 27))}  # a row per source


def test_commercial_use_at_800m_mau(landscape):
    rows = landscape.ask(covers("commercial-use-at-mau"), mau="800M")
    models = {r["model"] for r in rows}
    assert {"model:gpt-oss-120b", "model:gpt-oss-20b", "model:mistral-7b"} <= models
    assert not models & {"model:llama-2", "model:llama-3-1", "model:llama-4-maverick"}
    assert "model:codestral" not in models  # non-production licence
    small = {r["model"] for r in landscape.ask("commercial-use-at-mau", mau="500000000")}
    assert "model:llama-2" in small


def test_competitors_per_segment(landscape):
    rows = landscape.ask(covers("competitors"), lab="org:openai")
    segments = {(r["segment"], r["competitor"]) for r in rows}
    assert ("open-weights", "org:meta") in segments
    assert ("api-only", "org:anthropic") in segments
    assert all(r["competitor"] != "org:openai" for r in rows)


def test_funding_by_lab(landscape):
    rows = landscape.ask(covers("funding-by-lab"))
    openai = [r for r in rows if r["lab"] == "org:openai" and r["currency"] == "USD"][0]
    assert openai["disclosedFunding"] == 169_600_000_000
    assert (openai["latestValuation"], openai["valuationDate"]) == (852_000_000_000,
                                                                    date(2026, 3, 31))
    mistral = [r for r in rows if r["lab"] == "org:mistral-ai"]
    assert {r["currency"] for r in mistral} == {"EUR"}


def test_person_statements(landscape):
    rows = landscape.ask(covers("person-statements"), person="Sam Altman")
    quotes = " ".join(r["quote"] for r in rows)
    assert "700 million monthly active users" in quotes
    assert {r["platform"] for r in rows} == {"X (formerly Twitter)"}
    assert {r["language"] for r in rows} == {"de", "en"}


def test_entity_sources(landscape):
    rows = landscape.ask(covers("entity-sources"), entity="model:llama-2")
    sources = {r["source"] for r in rows}
    assert "src:meta-llama-2-license" in sources  # through its licence's terms
    assert "src:article-openai-record-round-de" in sources  # through Altman's reply


def test_every_question_is_tested():
    covered = set(re.findall(r'covers\("([^"]+)"\)', Path(__file__).read_text()))
    assert set(all_questions()) == covered


def test_every_question_is_documented():
    for question in all_questions().values():
        assert question.title and question.description, question.name
        for param in question.parameters:
            assert param.description, (question.name, param.name)


def test_cli_ask_list_and_json():
    runner = CliRunner()
    listing = runner.invoke(cli, ["ask", "--list", "--format", "json"])
    assert listing.exit_code == 0
    assert {r["name"] for r in json.loads(listing.output)} == set(all_questions())
    result = runner.invoke(cli, ["ask", "funding-round", "--param", "round=round:openai-2025-03",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "30000000000" in result.output


@pytest.mark.parametrize("args, code, words", [
    (["ask", "no-such-question"], 2, "unknown question 'no-such-question'"),
    (["ask", "fundng-round"], 2, "did you mean funding-round"),
    (["ask", "funding-round"], 2, "needs --param round="),
    (["ask", "funding-round", "-p", "rund=x"], 2, "has no parameter 'rund'"),
    (["ask", "commercial-use-at-mau", "-p", "mau=lots"], 2, "must be a whole number"),
    (["ask", "commercial-use-at-mau", "-p", "mau"], 2, "KEY=VALUE"),
    (["ask", "competitors", "-p", "lab=Nonexistent Labs"], 1, "no entity named"),
    (["ask", "funding-round", "-p", "round=org:openai"], 1, "no answer"),
])
def test_cli_ask_bad_input(args, code, words):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
