"""Fusion: the public datasets and the curated data resolved into one landscape, read by every
command; record linkage measured on hand-labelled pairs from the real datasets."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.fusion.resolve import Item, resolve_models
from kg.landscape import Landscape
from kg.namespaces import ID

PAIRS = Path(__file__).parent / "data" / "linkage" / "pairs.csv"
EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"

# every source, fused: the product's default (the suite's is curated, tests/conftest.py)
pytestmark = pytest.mark.usefixtures("all_sources")


@pytest.fixture(scope="module")
def landscape(all_sources):
    return Landscape.load()


def count(landscape, sparql):
    return landscape.query(sparql)[0]["n"]


# --------------------------------------------------------------------------- the whole field
def test_the_fused_landscape_covers_the_field(landscape):
    summary = {r["type"]: r["count"] for r in landscape.summary()["counts"]}
    assert summary["Model"] >= 2500
    assert summary["Organization"] >= 300
    assert count(landscape, """SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
        ?m a kg:Model ; kg:opennessLevel level:open-source }""") >= 20


def test_curated_sources_alone_give_the_curated_view():
    curated = Landscape.load(sources=["curated"])
    counts = {r["type"]: r["count"] for r in curated.summary()["counts"]}
    assert counts["Model"] >= 150 and counts["Lab"] >= 20
    assert curated.query("ASK { ?r a kg:ModelRecord }") is False


def test_open_source_question_lists_olmo_and_pythia():
    result = CliRunner().invoke(cli, ["ask", "models-by-openness", "-p",
                                      "level=level:open-source", "--format", "json"])
    assert result.exit_code == 0, result.output
    labels = {r["modelLabel"] for r in json.loads(result.output)}
    # curated (OLMo 7B, Pythia-12B) and known only from the datasets (CrystalChat)
    assert {"OLMo 7B", "Pythia-12B", "CrystalChat"} <= labels


def test_the_open_and_permissive_niche_is_not_empty(landscape):
    cells = {(c["openness"], c["permissiveness"]): c for c in landscape.analyze("niches")}
    assert cells["high", "high"]["models"] >= 10
    assert any(r["label"] == "OLMo 7B" for r in landscape.analyze("positioning"))


def test_olmo_shows_facts_from_two_datasets(landscape):
    shown = landscape.show("OLMo-7B")  # a dataset's name for the curated OLMo 7B
    sources = {f["source"] for f in shown["facts_by_source"]}
    assert {"curated", "epoch", "mof"} <= sources
    level = [f for f in shown["facts_by_source"] if f["field"] == "level"]
    assert {(f["source"], f["value"], f["shown"]) for f in level} == {
        ("curated", "level:open-source", True), ("mof", "level:open-source", False),
        ("epoch", "level:open-weights", False)}


@pytest.mark.parametrize("name,expected", [
    ("Llama 2", "model:llama-2"), ("gpt-oss-120b", "model:gpt-oss-120b"),
    ("GPT-4", "model:gpt-4"), ("Phi-4", "model:phi-4"), ("Qwen2.5-72B", "model:qwen-2-5-72b")])
def test_names_resolve_to_one_entity(landscape, name, expected):
    assert landscape.show(name)["id"] == expected


def test_variants_link_to_their_release_and_are_not_merged(landscape):
    assert landscape.resolve_entity("Llama 2-70B", source="epoch")["id"] == "model:llama-2-70b"
    assert landscape.query("""ASK { model:llama-2-70b kg:variantOf model:llama-2 }""") is True
    # Qwen-72B (Nov 2023) is not the curated Qwen (7B, Aug 2023), nor Gemini 1.5 Flash-8B
    # Gemini 1.5
    assert landscape.resolve_entity("Qwen-72B", source="epoch")["id"] == "model:qwen-72b"
    flash = landscape.resolve_entity("Gemini 1.5 Flash-8B", source="epoch")["id"]
    assert flash not in ("model:gemini-1-5", "model:gemini-1-5-flash")


def test_a_first_word_is_the_models_name_not_a_variant_word(landscape):
    """"Code Llama" names its own model: its sizes are no variants of LLaMA 1 ("code" is a
    variant word only after the name, as in "Qwen2.5-Coder")."""
    assert landscape.query("""ASK { ?m kg:variantOf model:llama ;
                                     rdfs:label ?l FILTER(STRSTARTS(?l, "Code Llama")) }""") \
        is False
    assert landscape.query("ASK { model:llama-65b kg:variantOf model:llama }") is True


def test_a_pinned_dataset_record_joins_the_curated_model(landscape):
    """Epoch AI's "Llama 3.2 11B" is the curated Llama 3.2 11B Vision (a pin in the curated
    data), so its licence answer carries the model's multimodal capability."""
    assert landscape.resolve_entity("Llama 3.2 11B", source="epoch")["id"] == \
        "model:llama-3-2-11b-vision"


def test_one_model_in_several_datasets_is_one_entity(landscape):
    olmo = landscape.resolve_entity("OLMo-7B", source="mof")
    assert olmo == landscape.resolve_entity("OLMo-7B", source="epoch")
    assert olmo["sources"] == ["curated", "epoch", "mof"]


def test_resolve_cli_json_and_unknown_source():
    result = CliRunner().invoke(cli, ["resolve", "Llama 2", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"id": "model:llama-2", "label": "Llama 2",
                                         "sources": ["curated"]}
    result = CliRunner().invoke(cli, ["resolve", "Llama 2", "--source", "nowhere"])
    assert result.exit_code == 2 and "no source 'nowhere'" in result.output


def test_unknown_source_is_refused():
    result = CliRunner().invoke(cli, ["--sources", "curated,bogus", "summary"])
    assert result.exit_code == 2
    assert "unknown source 'bogus'" in result.output


def test_conflicts_between_datasets_group_by_entity_and_fact():
    result = CliRunner().invoke(cli, ["conflicts", "--format", "json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    with_curated = [e for e in entries if "curated" in {v["source"] for v in e["values"]}]
    assert with_curated and all(e["wins"] == "curated" for e in with_curated)
    between_datasets = [e for e in entries if "curated" not in {v["source"] for v in e["values"]}]
    assert between_datasets, "no conflict between two datasets"
    assert all(len(e["values"]) >= 2 for e in entries)


def test_sources_restrict_every_command():
    def models(sources: str) -> int:
        result = CliRunner().invoke(cli, ["--sources", sources, "summary", "--format", "json"])
        counts = {r["type"]: r["count"] for r in json.loads(result.output)["counts"]}
        return counts["Model"]

    assert models("curated") < models("curated,mof") < models("all")


# --------------------------------------------------------------------------- pins
def test_a_pin_wins_and_survives_reimport(tmp_path):
    home = tmp_path / "home"
    runner = CliRunner()
    pairs = runner.invoke(cli, ["--store", str(home), "review", "--format", "json"])
    assert pairs.exit_code == 0, pairs.output
    first = json.loads(pairs.output)[0]
    a, b = first["a"], first["b"]
    result = runner.invoke(cli, ["--store", str(home), "review", "--same", a, b])
    assert result.exit_code == 0, result.output
    assert (home / "decisions.ttl").is_file()
    landscape = Landscape.load(store_path=home)
    model_a = landscape.resolve_entity(a)["id"]
    assert model_a == landscape.resolve_entity(b)["id"]
    # and the opposite decision replaces it
    runner.invoke(cli, ["--store", str(home), "review", "--different", a, b])
    landscape = Landscape.load(store_path=home)
    assert landscape.resolve_entity(a)["id"] != landscape.resolve_entity(b)["id"]
    bad = runner.invoke(cli, ["--store", str(home), "review", "--same", "model:nope", a])
    assert bad.exit_code == 2 and "not a record or curated model id" in bad.output


def test_pinned_different_keeps_records_apart():
    items = [Item("a", "epoch", ["Falcon 40B"], {"org:tii"}),
             Item("b", "mof", ["Falcon-40B"], {"org:tii"})]
    assert len(resolve_models(items, {}).clusters) == 1
    assert len(resolve_models(items, {}, different=[("a", "b")]).clusters) == 2


def test_import_ecosystem_graphs_keeps_names_resolving(tmp_path):
    home = tmp_path / "home"
    folder = EXTERNAL / "ecosystem-graphs" / "assets"
    files = [folder / "meta.yaml", folder / "openai.yaml"]
    result = CliRunner().invoke(cli, ["--store", str(home), "import", "ecosystem-graphs",
                                      *map(str, files), "--format", "json"])
    assert result.exit_code == 0, result.output
    landscape = Landscape.load(store_path=home)
    assert landscape.show("Llama 2")["id"] == "model:llama-2"
    assert "ecosystem-graphs" in landscape.resolve_entity("Llama 2")["sources"]


def test_import_replaces_the_shipped_snapshot(tmp_path):
    home = tmp_path / "home"
    excerpt = tmp_path / "mof"
    excerpt.mkdir()
    for name in ("OLMo-7B.yml", "Pythia-12B.yml"):
        shutil.copy(EXTERNAL / "model-openness-tool" / "models" / name, excerpt / name)
    result = CliRunner().invoke(cli, ["--store", str(home), "import", "mof", str(excerpt)])
    assert result.exit_code == 0, result.output
    landscape = Landscape.load(store_path=home)
    assert count(landscape, """SELECT (COUNT(*) AS ?n) WHERE {
        GRAPH <https://w3id.org/ai-landscape-kg/graph/mof> { ?r a kg:ModelRecord } }""") == 2


# --------------------------------------------------------------------------- measured quality
def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def with_ecosystem_graphs(tmp_path_factory, all_sources):
    """The default landscape with the user's copy of Ecosystem Graphs imported."""
    from kg.importers import run_import

    home = tmp_path_factory.mktemp("home")
    run_import("ecosystem-graphs", [EXTERNAL / "ecosystem-graphs" / "assets"], store_path=home)
    return Landscape.load(store_path=home)


def linkage_quality(landscape: Landscape, pairs: list[dict[str, str]]
                    ) -> tuple[float, float, list[tuple[str, str, str, bool]]]:
    """Precision and recall of "same model" over labelled pairs, and the pairs it got wrong.
    A record is looked up by its exact name in its source (one query for all of them); a
    curated model by its label."""
    from kg.fusion.fuse import GRAPH_BASE
    from kg.queries import load_query

    model_of: dict[tuple[str, str], set[str]] = {}
    for row in landscape.store.select(load_query("fusion/records")):
        source = str(row["graph"]).removeprefix(GRAPH_BASE)
        model_of.setdefault((source, row["label"]), set()).add(row["entity"])

    def model(source: str, name: str) -> str | None:
        if source == "curated":
            return landscape.resolve_entity(name, source="curated")["id"]
        found = model_of[source, name]
        return next(iter(found)) if len(found) == 1 else None

    tp = fp = fn = 0
    wrong = []
    for pair in pairs:
        a, b = model(pair["source_a"], pair["name_a"]), model(pair["source_b"], pair["name_b"])
        if a is None or b is None:  # two records of one name in one source: not a pair
            continue
        same = a == b
        truth = pair["same"] == "1"
        tp += same and truth
        fp += same and not truth
        fn += truth and not same
        if same != truth:
            wrong.append((pair["name_a"], pair["name_b"], pair["case"], truth))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, wrong


def test_linkage_precision_and_recall_on_labelled_pairs(with_ecosystem_graphs):
    pairs = _pairs()
    assert len(pairs) >= 200
    precision, recall, wrong = linkage_quality(with_ecosystem_graphs, pairs)
    assert precision >= 0.98 and recall >= 0.95, (precision, recall, wrong)


def test_records_are_not_entities_of_their_own(landscape):
    """A record is found through its model: no name is ambiguous between the two."""
    assert landscape.index.resolve("Llama 2-70B") == ID + "model/llama-2-70b"
