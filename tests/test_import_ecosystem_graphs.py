"""The Ecosystem Graphs importer, end to end on the real files in ../shared/external."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.importers import ecosystem_graphs as eg
from kg.importers.common import ImportReport, run_import

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external" / "ecosystem-graphs"
ASSETS = EXTERNAL / "assets"
ID = "https://w3id.org/ai-landscape-kg/id/"
PREFIXES = """PREFIX kg: <https://w3id.org/ai-landscape-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

pytestmark = [pytest.mark.skipif(not ASSETS.is_dir(), reason="no ../shared/external data"),
              pytest.mark.usefixtures("all_sources")]  # every source, fused


def load_trig(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    return store


def rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in row)
            for row in store.query(PREFIXES + query, use_default_graph_as_union=True)]


def record_values(store: ox.Store, label: str, prop: str) -> list[str]:
    return sorted(v for (v,) in rows(
        store, f'SELECT ?v WHERE {{ ?r a kg:ModelRecord ; rdfs:label "{label}" ; {prop} ?v }}'))


@pytest.fixture(scope="module")
def full(tmp_path_factory, all_sources) -> tuple[ImportReport, ox.Store]:
    """The whole real dataset imported once."""
    report = run_import("ecosystem-graphs", [EXTERNAL], tmp_path_factory.mktemp("home"))
    return report, load_trig(report.out)


def test_every_real_file_loads(full):
    report, _ = full
    assert report.files == len(list(ASSETS.glob("*.yaml")))
    assert report.skipped == []
    assert report.records > 300  # models only: datasets and applications are passed over
    assert report.matched >= 25


def fused(report: ImportReport) -> ox.Store:
    """The landscape with the import fused in, as an Oxigraph store."""
    from kg.landscape import Landscape

    return Landscape.load(store_path=report.out.parent.parent).store.store


def test_llama_2_resolves_to_the_curated_model(full):
    report, store = full
    landscape = fused(report)
    assert record_values(landscape, "Llama 2", "kg:recordOf") == [ID + "model/llama-2"]
    assert "same organisation" in record_values(landscape, "Llama 2",
                                                "kg:match/kg:matchMethod")[0]
    # size: 70B parameters (dense)
    assert record_values(store, "Llama 2", "kg:parameterCount") == ["70000000000"]
    assert record_values(store, "Llama 2", "kg:opennessLevel") == [ID + "openness/open-weights"]


def test_llama_2_spelt_llama_2_resolves_too(tmp_path):
    """No asset is named "LLaMA 2" in this release, but other assets cite it so (nous.yaml);
    an entry spelt that way, by "Meta AI" (as meta.yaml spells it once), is the same model."""
    (tmp_path / "spelling.yaml").write_text(
        "- name: LLaMA 2\n  organization: Meta AI\n  type: model\n  access: open\n")
    report = run_import("ecosystem-graphs", [tmp_path / "spelling.yaml", ASSETS / "meta.yaml"],
                        tmp_path / "home")
    store = fused(report)
    for label in ("LLaMA 2", "Llama 2"):
        assert record_values(store, label, "kg:recordOf") == [ID + "model/llama-2"]


def test_wrapped_values_are_unwrapped(full):
    _, store = full
    # created_date: {explanation: ..., value: 2022-12-01}; access: {..., value: limited}
    assert record_values(store, "Jurassic-1 Instruct", "kg:releaseDate") == ["2022-12-01"]
    assert record_values(store, "Jurassic-1 Instruct", "kg:accessWording") == ["limited"]
    assert record_values(store, "Jurassic-1 Instruct", "kg:opennessLevel") == [
        ID + "openness/api-only"]
    assert record_values(store, "Jurassic-1 Instruct", "kg:parameterCount") == ["17000000000"]
    assert record_values(store, "Jurassic-1 Instruct", "rdfs:comment") == [
        "dependencies: Jurassic-1, Jurassic-1 Instruct dataset", "modality: text; text",
        "nationality: Israel"]
    assert record_values(store, "Jurassic-1 Instruct dataset", "rdfs:label") == []


def test_organisations_are_split_and_resolved(full):
    _, store = full
    assert record_values(store, "Megatron-Turing NLG", "kg:organizationName") == [
        "Microsoft", "NVIDIA"]
    assert record_values(store, "Gen-3 Alpha", "kg:organizationName") == ["Runway AI, Inc."]
    # "Google Deepmind" and "Amazon Web Services (AWS)" denote curated organisations
    landscape = fused(full[0])
    # (Gopher has a record in Epoch's data too: both stand for one model)
    assert set(record_values(landscape, "Gopher", "kg:recordOf/kg:developer")) == {
        ID + "org/google-deepmind"}
    assert set(record_values(landscape, "Amazon Nova (Understanding)",
                             "kg:recordOf/kg:developer")) == {ID + "org/amazon"}


def test_duplicates_across_files_merge(full):
    report, store = full
    assert report.merged == 2
    sources = record_values(store, "GPT-4o", "dcterms:source")
    assert sources == [ID + "source/ecosystem-graphs-openai-yaml",
                       ID + "source/ecosystem-graphs-openx-yaml"]


def test_bad_files_and_entries_are_skipped_with_reasons(tmp_path):
    shutil.copy(ASSETS / "ai21.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("- name: X\n  type: [model\n")
    (tmp_path / "mapping.yaml").write_text("name: X\ntype: model\n")
    (tmp_path / "nameless.yml").write_text("- type: model\n  organization: Y\n"
                                           "- type: dataset\n")
    report = run_import("ecosystem-graphs", [tmp_path], tmp_path / "home")
    reasons = {s.file.name: s.reason for s in report.skipped}
    assert reasons.keys() == {"broken.yaml", "mapping.yaml", "nameless.yml"}
    assert reasons["broken.yaml"].startswith("unreadable YAML")
    assert reasons["mapping.yaml"] == "not a list of assets (found dict)"
    assert reasons["nameless.yml"] == "entry 1: model without a name"
    assert report.files == 4
    assert report.records == 5  # the models of ai21.yaml


def test_reimport_replaces_the_graph(tmp_path):
    files = [ASSETS / "ai21.yaml", ASSETS / "meta.yaml"]
    first = run_import("ecosystem-graphs", files, tmp_path)
    size = len(load_trig(first.out))
    second = run_import("ecosystem-graphs", files, tmp_path)
    assert second.out == first.out
    assert len(load_trig(second.out)) == size


def test_unwrap():
    assert eg.unwrap({"value": "open", "explanation": "why"}) == "open"
    assert eg.unwrap({"explanation": "only why"}) is None
    assert eg.unwrap({}) is None
    assert eg.unwrap(["a"]) == ["a"]
