"""The curated landscape beyond the article: labs, 40+ models, licences, money, products."""

from __future__ import annotations

import pytest

REQUIRED_LABS = ["openai", "meta", "google-deepmind", "anthropic", "mistral-ai", "deepseek",
                 "alibaba", "xai", "microsoft"]

REQUIRED_MODELS = ["gpt-2", "gpt-3", "gpt-4", "gpt-4o", "o1", "o3", "gpt-oss-120b",
                   "gpt-oss-20b", "llama-2", "llama-3", "llama-3-1", "gemini-1-0", "gemma",
                   "mistral-7b", "mixtral-8x7b", "mistral-large", "deepseek-r1", "qwen"]


def test_at_least_40_models(ask):
    (row,) = ask("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Model }")
    assert row["n"] >= 40


@pytest.mark.parametrize("lab", REQUIRED_LABS)
def test_each_main_lab_has_models(ask, lab):
    from pyoxigraph import NamedNode

    rows = ask("SELECT ?lab ?m WHERE { ?m a kg:Model ; kg:developer ?lab }",
               lab=NamedNode(f"https://w3id.org/ai-landscape-kg/id/org/{lab}"))
    assert rows, f"no models for {lab}"


def test_softbank_is_in_the_graph(ask):
    assert ask("SELECT ?x WHERE { org:softbank a kg:Investor ; rdfs:label ?x }")


@pytest.mark.parametrize("slug", REQUIRED_MODELS)
def test_named_models_are_complete(ask, slug):
    from pyoxigraph import NamedNode

    rows = ask("""
        SELECT ?m ?dev ?date ?level ?weights WHERE {
            ?m kg:developer ?dev ; kg:releaseDate ?date ; kg:opennessLevel ?level ;
               kg:componentOpenness [ kg:component comp:weights ; kg:grade ?weights ] .
        }""", m=NamedNode(f"https://w3id.org/ai-landscape-kg/id/model/{slug}"))
    assert rows, f"model:{slug} lacks developer, date, level or a weights grade"


def test_every_model_grades_its_weights(ask):
    rows = ask("""
        SELECT ?m WHERE { ?m a kg:Model
            FILTER NOT EXISTS { ?m kg:componentOpenness [ kg:component comp:weights ] } }""")
    assert rows == []


def test_weights_grade_agrees_with_openness_level(ask):
    rows = ask("""
        SELECT ?m ?level ?grade WHERE {
            ?m kg:opennessLevel ?level ;
               kg:componentOpenness [ kg:component comp:weights ; kg:grade ?grade ] .
            FILTER ((?level IN (level:open-weights, level:open-source) && ?grade = grade:closed)
                 || (?level = level:api-only && ?grade = grade:open))
        }""")
    assert rows == [], rows


def test_labs_ship_both_open_and_closed(ask):
    rows = ask("""
        SELECT DISTINCT ?lab WHERE {
            ?a kg:developer ?lab ; kg:opennessLevel level:open-weights .
            ?b kg:developer ?lab ; kg:opennessLevel level:api-only .
        }""")
    labs = {r["lab"] for r in rows}
    assert {"org:openai", "org:google-deepmind"} <= labs


def test_a_licence_without_recorded_terms_never_answers_allowed(ask, tmp_path):
    """Every licence a curated model ships under carries its rules; a model under one whose
    text is not recorded (Epoch AI's "restricted use" class) stays unknown."""
    from kg.landscape import Landscape

    rows = ask("""
        SELECT ?licence WHERE {
            ?m a kg:Model ; kg:licence ?licence .
            FILTER NOT EXISTS { ?licence odrl:permission|odrl:prohibition|odrl:obligation ?r }
        }""")
    assert rows == []
    probe = tmp_path / "probe.ttl"
    probe.write_text(
        "@prefix kg: <https://w3id.org/ai-landscape-kg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/ai-landscape-kg/id/model/probe> a kg:Model ; rdfs:label \"Probe\" ;\n"
        "  kg:licence <https://w3id.org/ai-landscape-kg/id/licence/"
        "epoch-open-weights-restricted-use> .\n", encoding="utf-8")
    decision = Landscape.load([probe]).can_use("Probe", mau=1)
    assert decision.verdict == "unknown"


def test_funding_and_valuations_over_time(ask):
    rows = ask("""
        SELECT ?lab (COUNT(DISTINCT ?v) AS ?n) WHERE {
            ?v a kg:Valuation ; kg:organization ?lab } GROUP BY ?lab""")
    counts = {r["lab"]: r["n"] for r in rows}
    assert counts.get("org:openai", 0) >= 2
    assert counts.get("org:anthropic", 0) >= 2


def test_user_counts_over_time(ask):
    rows = ask("""
        SELECT ?product (COUNT(?o) AS ?n) WHERE {
            ?o a kg:UserMetricObservation ; kg:product ?product } GROUP BY ?product""")
    counts = {r["product"]: r["n"] for r in rows}
    assert counts.get("product:chatgpt", 0) >= 3
    assert len(counts) >= 3
