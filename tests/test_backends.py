"""Both documented backends give the same summary, lead investors in one order."""

from __future__ import annotations

from kg.landscape import Landscape


def test_rdflib_summary_equals_oxigraph_summary():
    oxigraph = Landscape.load().summary()
    rdflib = Landscape.load(backend="rdflib").summary()
    assert rdflib == oxigraph


def test_lead_investors_are_listed_alphabetically():
    rounds = Landscape.load().summary()["largest_rounds"]
    openai = next(r for r in rounds if r["round"] == "OpenAI $122B round (March 2026)")
    assert openai["lead"] == ("Andreessen Horowitz, D. E. Shaw Ventures, MGX, SoftBank Group, "
                              "T. Rowe Price, TPG")
