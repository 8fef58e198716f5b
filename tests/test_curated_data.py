"""The curated core as an analyst reads it: broad enough (models, labs, open-source members),
current, every dated fact attested by a source from on or after its date, names that resolve
to one entity, and the corrections issue 12 asked for."""

from __future__ import annotations

from datetime import date

import pytest

from kg.landscape import Landscape
from kg.namespaces import ID


@pytest.fixture(scope="module")
def curated() -> Landscape:
    return Landscape.load(sources=["curated"])


def _one(landscape: Landscape, query: str) -> int:
    return int(landscape.query(query)[0]["n"])


def test_breadth_models_labs_and_open_source_members(curated):
    models = _one(curated, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Model }")
    labs = _one(curated, """SELECT (COUNT(DISTINCT ?lab) AS ?n) WHERE {
        ?m a kg:Model ; kg:developer ?lab }""")
    open_source = _one(curated, """SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
        ?m a kg:Model ; kg:opennessLevel level:open-source }""")
    assert (models >= 150, labs >= 20, open_source >= 12) == (True, True, True), \
        (models, labs, open_source)


def test_open_source_models_show_weights_code_and_data_open(curated):
    """The open-source level means weights, training code and training data all released:
    each is a sourced component grade."""
    missing = curated.query("""SELECT ?m ?c WHERE {
        ?m a kg:Model ; kg:opennessLevel level:open-source .
        VALUES ?c { comp:weights comp:training-code comp:training-data }
        FILTER NOT EXISTS { ?m kg:componentOpenness [ kg:component ?c ; kg:grade grade:open ;
                                                      dcterms:source ?s ] } }""")
    assert missing == []


def test_no_fact_is_dated_after_all_its_sources(curated):
    """A dated node (a release, round, observation, model, organisation) has a source issued
    on or after its earliest date, or one whose date is unknown: no page attests what
    happened after it was written."""
    unattested = curated.query("""SELECT ?s ?when WHERE {
        { SELECT ?s (MIN(SUBSTR(STR(?d), 1, 10)) AS ?when) WHERE {
            ?s kg:releaseDate|kg:date|kg:launchDate|kg:announcementDate
               |kg:generalAvailabilityDate|kg:foundingDate ?d } GROUP BY ?s }
        FILTER NOT EXISTS { ?s dcterms:source ?src .
            OPTIONAL { ?src dcterms:issued ?issued }
            FILTER (!BOUND(?issued) || SUBSTR(STR(?issued), 1, 10) >= ?when) } }""")
    assert unattested == []


def test_no_source_is_issued_in_the_future(curated):
    future = curated.query("""SELECT ?src WHERE { ?src a kg:Source ; dcterms:issued ?d
        FILTER (SUBSTR(STR(?d), 1, 10) > "2026-11-30") }""")
    assert future == []


def test_no_two_curated_entities_share_a_label(curated):
    """Labels are what the loose-name lookup prefers over aliases: one entity each."""
    shared = curated.query("""SELECT ?l (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e rdfs:label ?x ; a ?t .
        FILTER (?t IN (kg:Model, kg:ModelFamily, kg:Product, kg:Organization, kg:Licence))
        BIND (LCASE(STR(?x)) AS ?l) } GROUP BY ?l HAVING (COUNT(DISTINCT ?e) > 1)""")
    assert shared == []


@pytest.mark.parametrize("name, kind", [
    ("Qwen", "family/qwen"), ("Gemma", "family/gemma"), ("Claude", "family/claude"),
    ("LLaMA", "family/llama"), ("Gemini", "family/gemini"), ("Grok", "family/grok"),
    ("DeepSeek", "org/deepseek"), ("Mistral", "org/mistral-ai"),
    ("Qwen 1", "model/qwen"), ("Claude app", "product/claude-ai"), ("Grok app", "product/grok"),
])
def test_a_bare_brand_name_resolves_to_one_entity(curated, name, kind):
    assert curated.index.resolve(name) == ID + kind


def test_corrected_release_dates(curated):
    dates = {r["m"]: str(r["d"]) for r in curated.query("""SELECT ?m ?d WHERE {
        VALUES ?m { model:codestral model:qwen } ?m kg:releaseDate ?d }""")}
    assert dates == {"model:codestral": "2024-05-29", "model:qwen": "2023-08-03"}


def test_o3_announcement_and_release_are_both_recorded(curated):
    row = curated.query("""SELECT ?a ?r WHERE {
        model:o3 kg:announcementDate ?a ; kg:releaseDate ?r }""")
    assert [(str(r["a"]), str(r["r"])) for r in row] == [("2024-12-20", "2025-04-16")]


@pytest.mark.parametrize("model, before, after, day", [
    ("model:phi-4", ["level:api-only"], ["level:open-weights"], date(2025, 1, 8)),
    ("model:grok-2-5", [], ["level:open-weights"], date(2025, 8, 23)),  # Grok-2's weights
])
def test_openness_follows_the_release_that_opened_the_weights(model, before, after, day):
    """Phi-4 was on Azure AI Foundry before its weights; Grok 2.5 (Grok-2's weights) did
    not exist before xAI published it."""
    def level(on: date) -> list[str]:
        view = Landscape.load(sources=["curated"], as_of=on)
        return [r["l"] for r in view.query(f"SELECT ?l WHERE {{ {model} kg:opennessLevel ?l }}")]

    assert (level(date.fromordinal(day.toordinal() - 1)), level(day)) == (before, after)


def test_grok_2_is_api_only_and_grok_2_5_its_open_weights(curated):
    rows = curated.query("""SELECT ?m ?l ?lic WHERE { VALUES ?m { model:grok-2 model:grok-2-5 }
        ?m kg:opennessLevel ?l ; kg:licence ?lic }""")
    assert {(r["m"], r["l"], r["lic"]) for r in rows} == {
        ("model:grok-2", "level:api-only", "lic:xai-terms"),
        ("model:grok-2-5", "level:open-weights", "lic:grok-2-community")}
