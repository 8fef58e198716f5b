"""--as-of keeps the chosen backend and builds its view from the parsed files, not from a
copy of a loaded graph."""

from __future__ import annotations

from datetime import date

import pytest

from kg.landscape import Landscape
from kg.store import OxigraphStore, RdflibStore

MODELS = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Model }"


@pytest.mark.parametrize("backend, kind", [("oxigraph", OxigraphStore),
                                           ("rdflib", RdflibStore)])
def test_as_of_keeps_the_backend(backend, kind):
    landscape = Landscape.load(backend=backend, as_of=date(2023, 1, 1))
    assert isinstance(landscape.store, kind) and landscape.as_of == date(2023, 1, 1)


def test_both_backends_see_the_same_past():
    counts = {backend: Landscape.load(backend=backend, as_of=date(2023, 1, 1)).query(MODELS)
              for backend in ("oxigraph", "rdflib")}
    assert counts["oxigraph"] == counts["rdflib"]
    now = Landscape.load().query(MODELS)
    assert counts["oxigraph"][0]["n"] < now[0]["n"]


def test_models_released_later_are_gone_with_their_facts():
    past = Landscape.load(as_of=date(2023, 1, 1))
    assert past.query("ASK { model:llama-2 ?p ?o }") is False
    assert past.query("ASK { ?s ?p model:llama-2 . FILTER (?p != kg:announces) }") is False
    assert past.query("ASK { model:gpt-2 a kg:Model }") is True


def test_the_view_of_the_past_is_not_cached_over_the_present(tmp_path):
    past = Landscape.load(store_path=tmp_path, as_of=date(2020, 1, 1)).query(MODELS)
    present = Landscape.load(store_path=tmp_path).query(MODELS)
    assert past[0]["n"] < present[0]["n"]
