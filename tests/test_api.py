"""The Python API mirrors the CLI; its docstring examples run."""

from __future__ import annotations


def test_query_returns_plain_values(landscape):
    rows = landscape.query("SELECT ?m ?d WHERE { ?m kg:releaseDate ?d } ORDER BY ?d LIMIT 1")
    assert rows[0]["m"] == "model:gpt-2" and rows[0]["d"].year == 2019
    assert landscape.query("ASK { model:gpt-2 a kg:Model }") is True
    triples = landscape.query("CONSTRUCT WHERE { model:gpt-2 kg:developer ?o }")
    assert triples == [("model:gpt-2", "kg:developer", "org:openai")]


def test_bindings_are_values_not_text(landscape):
    rows = landscape.query("SELECT ?who ?m WHERE { ?m kg:developer ?who }",
                           who=landscape.iri("Mistral AI"))
    assert rows and {r["who"] for r in rows} == {"org:mistral-ai"}
    # a hostile string stays a literal: nothing is injected
    hostile = '" } ; DROP ALL ; SELECT * { "'
    assert landscape.query("SELECT ?x ?l WHERE { ?x rdfs:label ?l }", l=hostile) == []


def test_api_mirrors_cli_answers(landscape):
    assert landscape.show("gpt-oss-120b")["id"] == "model:gpt-oss-120b"
    assert landscape.compare("gpt-2")[0]["released"].year == 2019
    assert landscape.summary()["counts"]
    assert any(s["source"] == "src:article-openai-record-round-de"
               for s in landscape.sources())
