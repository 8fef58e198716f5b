"""The source article's facts, asked of the loaded graph through SPARQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyoxigraph as ox

ARTICLE = "src:article-openai-record-round-de"


def test_openai_40b_round_led_by_softbank(ask):
    rows = ask("""
        SELECT ?amount ?currency ?lead ?date WHERE {
            ?round a kg:FundingRound ; kg:fundee org:openai ; kg:leadInvestor ?lead ;
                   kg:date ?date ; kg:amount [ schema:value ?amount ; schema:currency ?currency ] ;
                   dcterms:source src:article-openai-record-round-de .
        }""")
    assert rows == [{"amount": 40_000_000_000, "currency": "USD", "lead": "org:softbank",
                     "date": date(2025, 3, 31)}]


def test_softbank_30b_and_others_10b(ask):
    rows = ask("""
        SELECT ?investor ?group ?amount WHERE {
            round:openai-2025-03 kg:participation ?p .
            ?p kg:amount [ schema:value ?amount ; schema:currency "USD" ] ;
               dcterms:source src:article-openai-record-round-de .
            OPTIONAL { ?p kg:investor ?investor }
            OPTIONAL { ?p kg:investorGroup ?group }
        } ORDER BY DESC(?amount)""")
    assert [r["amount"] for r in rows] == [30_000_000_000, 10_000_000_000]
    assert rows[0]["investor"] == "org:softbank"
    assert "other investors" in rows[1]["group"]


def test_300b_post_money_valuation(ask):
    rows = ask("""
        SELECT ?value ?kind WHERE {
            round:openai-2025-03 kg:postMoneyValuation ?v .
            ?v kg:organization org:openai ; kg:valuationKind ?kind ;
               kg:amount [ schema:value ?value ; schema:currency "USD" ] .
        }""")
    assert rows == [{"value": 300_000_000_000, "kind": "post-money"}]


def test_use_of_funds(ask):
    rows = ask("SELECT ?use WHERE { round:openai-2025-03 kg:useOfFunds ?use }")
    uses = " ".join(r["use"] for r in rows)
    for words in ("research", "compute", "ChatGPT"):
        assert words in uses


def test_chatgpt_500m_weekly_users(ask):
    rows = ask("""
        SELECT ?value ?date WHERE {
            ?o kg:product product:chatgpt ; kg:metric metric:weekly-active-users ;
               kg:value ?value ; kg:date ?date ; dcterms:source src:article-openai-record-round-de .
        }""")
    assert rows == [{"value": 500_000_000, "date": date(2025, 3, 31)}]


def test_altman_open_weight_announcement(ask):
    rows = ask("""
        SELECT ?date ?platform ?quote WHERE {
            ?s a kg:Statement ; kg:speaker person:sam-altman ; kg:date ?date ;
               kg:platform ?platform ; kg:announces model:gpt-oss-120b ;
               kg:about cap:advanced-reasoning, model:gpt-2 ; kg:quote ?quote ;
               dcterms:source src:article-openai-record-round-de .
            FILTER (LANG(?quote) = "de")
        }""")
    quotes = {r["quote"] for r in rows}
    assert {"Wir haben lange darüber nachgedacht", "Jetzt fühlt es sich wichtig an, es zu tun",
            "Wir müssen noch einige Entscheidungen treffen"} <= quotes
    assert {(r["date"], r["platform"]) for r in rows} == {(date(2025, 3, 31), "platform:x")}


def test_announcement_is_linked_to_the_gpt_oss_release(ask):
    rows = ask("""
        SELECT ?release ?date ?licence WHERE {
            ?release kg:fulfils stmt:altman-2025-03-31-open-weight-model ;
                     kg:releasedModel model:gpt-oss-120b ; kg:date ?date ; kg:licence ?licence .
        }""")
    assert len(rows) == 1
    assert rows[0]["date"].year == 2025
    assert rows[0]["licence"] == "spdx:Apache-2.0"


def test_gpt_2_is_from_2019_and_gpt_oss_is_open_weights_apache(ask):
    rows = ask("""
        SELECT ?model ?date ?level ?licence WHERE {
            VALUES ?model { model:gpt-2 model:gpt-oss-120b model:gpt-oss-20b }
            ?model kg:releaseDate ?date ; kg:opennessLevel ?level .
            OPTIONAL { ?model kg:licence ?licence }
        } ORDER BY ?date ?model""")
    assert rows[0]["model"] == "model:gpt-2" and rows[0]["date"].year == 2019
    for row in rows[1:]:
        assert row["level"] == "level:open-weights"
        assert row["licence"] == "spdx:Apache-2.0"
        assert row["date"].year == 2025


def test_altman_reply_to_the_700m_clause(ask):
    rows = ask("""
        SELECT ?quote WHERE {
            ?s kg:speaker person:sam-altman ; kg:inReplyTo lic:llama-2-community ;
               kg:platform platform:x ; kg:quote ?quote .
        }""")
    quotes = " ".join(r["quote"] for r in rows)
    assert "700 million monthly active users" in quotes
    assert "700 Millionen monatlich aktive Nutzer" in quotes


def test_llama_2_licence_700m_mau_clause(ask):
    rows = ask("""
        SELECT ?threshold ?operator ?who ?clause WHERE {
            model:llama-2 kg:licence ?licence .
            ?licence odrl:prohibition ?rule .
            ?rule odrl:constraint [ odrl:leftOperand kg:monthlyActiveUsers ;
                                    odrl:operator ?operator ; odrl:rightOperand ?threshold ] ;
                  kg:requiresSeparateLicenceFrom ?who ; kg:clause ?clause .
        }""")
    assert len(rows) == 1
    row = rows[0]
    assert Decimal(row["threshold"]) == 700_000_000
    assert row["operator"] == "odrl:gt"
    assert row["who"] == "org:meta"


def test_three_openness_paradigms_release_and_withhold(ask):
    rows = ask("""
        SELECT ?level ?how ?component WHERE {
            VALUES (?how ?p) { ("releases" kg:releasesComponent)
                               ("withholds" kg:withholdsComponent) }
            ?level a kg:OpennessLevel ; ?p ?component ; dcterms:source ?src .
            FILTER (?src = src:article-openai-record-round-de)
        }""")
    facts = {(r["level"], r["how"], r["component"]) for r in rows}
    assert ("level:open-weights", "releases", "comp:weights") in facts
    assert ("level:open-weights", "withholds", "comp:training-code") in facts
    assert ("level:open-weights", "withholds", "comp:training-data") in facts
    assert ("level:open-source", "releases", "comp:training-code") in facts
    assert ("level:api-only", "withholds", "comp:weights") in facts


def test_competitors_named_with_their_models(ask):
    rows = ask("SELECT ?rival WHERE { org:openai kg:competesWith ?rival }")
    assert {r["rival"] for r in rows} == {"org:meta", "org:google", "org:anthropic",
                                          "org:mistral-ai"}
    families = ask("""
        SELECT DISTINCT ?lab ?family WHERE {
            VALUES ?lab { org:google-deepmind org:anthropic org:meta org:mistral-ai }
            ?m kg:developer ?lab ; kg:family ?f . ?f rdfs:label ?family .
        }""")
    by_lab = {}
    for r in families:
        by_lab.setdefault(r["lab"], set()).add(r["family"].lower())
    assert any("gemini" in f for f in by_lab["org:google-deepmind"])
    assert any("claude" in f for f in by_lab["org:anthropic"])
    assert any("llama" in f for f in by_lab["org:meta"])
    assert by_lab["org:mistral-ai"]


def test_bindings_not_string_pasting(loaded):
    rows = loaded.store.select("SELECT ?m ?label WHERE { ?m rdfs:label ?label }",
                  {"m": ox.NamedNode("https://w3id.org/ai-landscape-kg/id/model/gpt-2")})
    assert rows and all("GPT-2" in r["label"] for r in rows)
