"""Both documented backends give the same answers to every command, lead investors in one
order."""

from __future__ import annotations

from datetime import date

import pytest

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


# Every reading command's API call (the CLI is a thin shell over each) on both backends: the
# rdflib backend answers each exactly as Oxigraph does. (can-use --all reads every model's
# facts in one query: half a minute on rdflib; its single-model path is here.)
CALLS = {
    "show": lambda ls: ls.show("Llama 2"),
    "compare": lambda ls: ls.compare("Llama 2", "gpt-oss-120b"),
    "ask": lambda ls: ls.ask("open-weight-releases", lab="OpenAI"),
    "can-use": lambda ls: ls.can_use("Qwen2.5", mau="800M", region="de"),
    "timeline": lambda ls: ls.timeline("OpenAI"),
    "diff": lambda ls: ls.diff(date(2025, 1, 1), date(2025, 12, 31)),
    "claims": lambda ls: ls.claims(),
    "sources": lambda ls: ls.sources(),
    "resolve": lambda ls: ls.resolve_entity("Qwen"),
    "conflicts": lambda ls: ls.conflicts(),
    "analyze positioning": lambda ls: ls.analyze("positioning"),
    "analyze competitors": lambda ls: ls.analyze("competitors", entity="gpt-oss-120b"),
    "frontier-gap": lambda ls: ls.frontier_gap(),
}


@pytest.fixture(scope="module")
def both():
    return Landscape.load(), Landscape.load(backend="rdflib")


@pytest.mark.parametrize("command", sorted(CALLS))
def test_every_command_answers_alike_on_both_backends(both, command):
    oxigraph, rdflib = both
    assert CALLS[command](rdflib) == CALLS[command](oxigraph)
