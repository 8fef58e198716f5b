"""The model-card records (data/datasets/model-cards.trig): each joins a model the public
datasets list, cites the card it was read from, names a licence whose terms are recorded,
and its licence is the one the fused model takes."""

from __future__ import annotations

import pytest

from kg.landscape import Landscape

CARDS = "https://w3id.org/ai-landscape-kg/graph/model-cards"
FUSION = "https://w3id.org/ai-landscape-kg/graph/fusion"


@pytest.fixture(scope="module")
def fused() -> Landscape:
    return Landscape.load(sources=["all"])


def test_every_card_joins_a_model_another_source_describes(fused):
    alone = fused.query(f"""
        SELECT ?card WHERE {{
            GRAPH <{CARDS}> {{ ?card a kg:ModelRecord }}
            ?card kg:recordOf ?model .
            FILTER NOT EXISTS {{ ?other kg:recordOf ?model FILTER(?other != ?card) }}
            GRAPH <{FUSION}> {{ ?model a kg:Model }}  # minted from the card alone
        }}""")
    assert fused.query(f"ASK {{ GRAPH <{CARDS}> {{ ?c a kg:ModelRecord }} }}") is True
    assert alone == []


def test_every_card_cites_its_page_and_names_its_licence(fused):
    rows = fused.query(f"""
        SELECT ?card ?name ?source ?url WHERE {{
            GRAPH <{CARDS}> {{ ?card a kg:ModelRecord }}
            OPTIONAL {{ ?card kg:licenceName ?name }}
            OPTIONAL {{ ?card dcterms:source ?source . OPTIONAL {{ ?source schema:url ?url }} }}
        }}""")
    assert len({r["card"] for r in rows}) > 100
    assert [r for r in rows if not (r.get("name") and r.get("source") and r.get("url"))] == []


def test_a_cards_licence_has_recorded_terms_and_is_the_models(fused):
    """Cards rank first among the sources for licences (a curated model would keep its own:
    none of the carded models disagrees with its curated licence)."""
    rows = fused.query(f"""
        SELECT ?card ?licence ?model (COUNT(?rule) AS ?rules)
               (SUM(IF(EXISTS {{ ?model kg:licence ?licence }}, 1, 0)) AS ?taken) WHERE {{
            GRAPH <{CARDS}> {{ ?card kg:licence ?licence }}
            ?card kg:recordOf ?model .
            OPTIONAL {{ ?licence odrl:permission|odrl:prohibition|odrl:obligation ?rule }}
        }} GROUP BY ?card ?licence ?model""")
    assert len(rows) > 100
    assert [r for r in rows if r["rules"] == 0] == []
    assert [r for r in rows if r["taken"] == 0] == []


@pytest.mark.usefixtures("all_sources")
def test_conflicts_of_one_model_show_the_card_winning():
    import json

    from click.testing import CliRunner

    from kg.cli.main import cli

    result = CliRunner().invoke(cli, ["conflicts", "Gemma 2 27B", "--format", "json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert {e["entity"] for e in entries} == {"model:gemma-2-27b"}
    (licence,) = [e for e in entries if e["field"] == "licence"]
    assert licence["wins"] == "model-cards"
