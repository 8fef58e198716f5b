"""`kg sources` lists every source with its citations; the ontology reference is current."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.schema.ontology_doc import DOC_PATH, ontology_graph, render


@pytest.mark.usefixtures("all_sources")
def test_sources_json_lists_the_article_with_its_citations():
    result = CliRunner().invoke(cli, ["sources", "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    rows = {r["source"]: r for r in answer["sources"]}
    article = rows["src:article-openai-record-round-de"]
    assert article["location"] == "shared/sources/000_0270ea6b00edfd7c.txt"
    assert article["facts"] == 16
    assert all(r["title"] and r["location"] for r in rows.values())
    datasets = {d["dataset"]: d for d in answer["datasets"]}
    assert set(datasets) == {"Epoch AI, Notable AI Models and All AI Models",
                             "European Open Source AI Index", "Model Openness Tool (Model "
                             "Openness Framework)", "Model cards: the licence each model's "
                             "card names (ai-landscape-kg)"}
    assert all(d["attribution"] and d["records"] > 100 for d in datasets.values())
    assert "CC-BY 4.0" in datasets["European Open Source AI Index"]["attribution"]


def test_every_source_is_cited(ask):
    uncited = ask("""SELECT ?s WHERE {
        ?s a kg:Source FILTER NOT EXISTS { ?x dcterms:source ?s } }""")
    assert uncited == []


@pytest.mark.usefixtures("all_sources")
def test_sources_markdown_and_csv():
    md = CliRunner().invoke(cli, ["sources", "--format", "markdown"]).output
    assert md.startswith("### Datasets\n\n| dataset | records | licence | attribution |")
    assert "\n### Sources\n\n| source | title |" in md
    csv_text = CliRunner().invoke(cli, ["sources", "--format", "csv"]).output
    assert csv_text.splitlines()[0] == "source,title,publisher,date,location,kind,facts"


def test_ontology_reference_is_up_to_date():
    assert DOC_PATH.read_text(encoding="utf-8") == render(ontology_graph()), (
        "docs/ontology.md is stale: run python -m kg.schema.ontology_doc")


def test_every_class_and_property_has_a_comment():
    from rdflib.namespace import OWL, RDF, RDFS

    graph = ontology_graph()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in graph.subjects(RDF.type, kind):
            assert graph.value(term, RDFS.comment), f"{term} has no rdfs:comment"
