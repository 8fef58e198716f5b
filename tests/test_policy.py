"""`kg can-use`: licence terms evaluated as policy, each verdict citing its clauses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.landscape import Landscape

ACME = Path(__file__).parent / "fixtures" / "licence" / "acme-licence.ttl"


def decide(landscape, model, **situation):
    return landscape.can_use(model, **situation)


def clauses(decision, effect):
    return {r["clause"] for r in decision.reasons if r["effect"] == effect}


def test_800m_mau_service_and_llama_2_needs_a_separate_licence(landscape):
    d = decide(landscape, "Llama 2", mau=800_000_000)
    assert d.verdict == "needs a separate licence"
    assert clauses(d, "needs a separate licence") == {"2. Additional Commercial Terms"}
    (reason,) = [r for r in d.reasons if r["effect"] == "needs a separate licence"]
    assert reason["source"] == "src:meta-llama-2-license" and "org:meta" in reason["why"]


def test_same_service_and_gpt_oss_is_allowed(landscape):
    d = decide(landscape, "gpt-oss-120b", mau=800_000_000)
    assert d.verdict == "allowed"
    assert d.licences == ["spdx:Apache-2.0"]
    assert any(r["clause"].startswith("2. Grant of Copyright") for r in d.reasons)


def test_small_service_may_use_llama_2(landscape):
    assert decide(landscape, "Llama 2", mau=5_000_000).verdict == "allowed"


def test_without_mau_the_threshold_makes_it_unknown_and_says_why(landscape):
    d = decide(landscape, "Llama 2")
    assert d.verdict == "unknown"
    assert any("--mau" in r["why"] for r in d.reasons)


def test_model_without_licence_terms_is_unknown(landscape):
    d = decide(landscape, "VaultGemma")  # weights out, licence not recorded
    assert d.verdict == "unknown"
    assert any("no licence" in r["why"] for r in d.reasons)


def test_non_commercial_licences(landscape):
    codestral = decide(landscape, "Codestral")
    assert codestral.verdict == "not allowed"
    assert "3.2 Usage Limitation" in clauses(codestral, "not allowed")
    # the research licence sends commercial users to Mistral AI for a licence
    large = decide(landscape, "Mistral Large 2")
    assert large.verdict == "needs a separate licence"
    assert decide(landscape, "Mistral Large 2", commercial=False).verdict == "allowed"


def test_training_other_models_on_llama_2_vs_3_1(landscape):
    small = 1_000_000
    llama2 = decide(landscape, "Llama 2", purpose="train-other-models", mau=small)
    assert llama2.verdict == "not allowed" and "1.b.v" in clauses(llama2, "not allowed")
    llama31 = decide(landscape, "Llama 3.1", purpose="train-other-models", mau=small)
    assert llama31.verdict == "allowed"


def test_closed_weights_cannot_be_fine_tuned_or_redistributed(landscape):
    d = decide(landscape, "GPT-4", purpose="redistribute")
    assert d.verdict == "not allowed"
    assert d.reasons[0]["term"] == "weights"
    assert decide(landscape, "GPT-4", purpose="inference").verdict == "allowed"


def test_region_terms(landscape):
    eu = decide(landscape, "Llama 3.2", mau=1_000, region="DE")
    assert eu.verdict == "not allowed"
    assert decide(landscape, "Llama 3.2", mau=1_000, region="US").verdict == "allowed"


def test_all_models_ranked(landscape):
    decisions = landscape.can_use_all(mau=800_000_000)
    verdicts = [d.verdict for d in decisions]
    order = ["allowed", "needs a separate licence", "unknown", "not allowed"]
    assert verdicts == sorted(verdicts, key=order.index)
    by_model = {d.model: d.verdict for d in decisions}
    assert by_model["model:gpt-oss-120b"] == "allowed"
    assert by_model["model:llama-2"] == "needs a separate licence"
    assert by_model["model:qwen"] == "needs a separate licence"


def test_adding_a_licence_is_a_data_change(tmp_path):
    ls = Landscape.load([ACME], store_path=tmp_path)
    assert ls.can_use("ACME-1", mau=5_000_000, region="US").verdict == "allowed"
    big = ls.can_use("ACME-1", mau=50_000_000, region="US")
    assert big.verdict == "needs a separate licence" and clauses(big, big.verdict) == {"2"}
    eu = ls.can_use("ACME-1", mau=5_000_000, region="FR")
    assert eu.verdict == "not allowed" and clauses(eu, "not allowed") == {"3"}
    assert ls.can_use("ACME-1", mau=50_000_000, region="US",
                      commercial=False).verdict == "allowed"


def test_cli_can_use(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["can-use", "llama 2", "--mau", "800M", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["verdict"] == "needs a separate licence"
    ok = runner.invoke(cli, ["can-use", "gpt-oss-120b", "--mau", "800M"])
    assert ok.exit_code == 0 and "ALLOWED" in ok.output
    every = runner.invoke(cli, ["can-use", "--all", "--mau", "800M", "--format", "csv"])
    assert every.exit_code == 0 and "model:gpt-oss-120b,gpt-oss-120b,allowed" in every.output


@pytest.mark.parametrize("args, code, words", [
    (["can-use"], 2, "name one MODEL, or give --all"),
    (["can-use", "llama 2", "--mau", "many"], 2, "must be a whole number"),
    (["can-use", "llama 2", "--purpose", "eat"], 2, "unknown purpose 'eat'; use one of"),
    (["can-use", "OpenAI"], 1, "no Model named 'OpenAI'"),  # not found, not bad input
])
def test_cli_can_use_bad_input(args, code, words):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    assert words in result.output and "Traceback" not in result.output
