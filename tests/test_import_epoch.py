"""`kg import epoch` end to end on the real file, and `kg conflicts` over it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.importers.common import run_import
from kg.landscape import Landscape

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
OLDER = Path(__file__).parent / "fixtures" / "epoch" / "older-release.csv"
GRAPH = "https://w3id.org/ai-landscape-kg/graph/epoch"

# every source, fused: the product's default (the suite's is curated, tests/conftest.py)
pytestmark = pytest.mark.usefixtures("all_sources")


@pytest.fixture(scope="module")
def imported(tmp_path_factory, all_sources):
    home = tmp_path_factory.mktemp("home")
    report = run_import("epoch", [EXTERNAL / "epoch" / "notable_ai_models.csv"], home)
    return home, report


def records(home: Path, query: str):
    return Landscape.load(store_path=home).query(query)


def test_whole_file_loads_with_counts(imported):
    _, report = imported
    assert report.files == 1 and report.records > 900 and report.skipped == []
    assert report.matched >= 20  # records fusion links to curated models


def test_llama_2_sizes_are_variants_of_the_curated_llama_2(imported):
    home, _ = imported
    rows = records(home, """
        SELECT ?label ?model ?score WHERE {
            ?r kg:recordOf ?model ; rdfs:label ?label ; kg:match [ kg:matchScore ?score ] .
            ?model kg:variantOf model:llama-2 } ORDER BY ?label""")
    assert {(r["label"], r["model"]) for r in rows} >= {
        ("Llama 2-70B", "model:llama-2-70b"), ("Llama 2-7B", "model:llama-2-7b")}
    assert all(0 < r["score"] <= 1 for r in rows)


def test_records_live_in_their_own_named_graph_with_provenance(imported):
    home, _ = imported
    rows = records(home, f"""
        SELECT ?title ?url WHERE {{ GRAPH <{GRAPH}> {{
            ?r rdfs:label "Llama 2-70B" ; dcterms:source ?s .
            ?s dcterms:title ?title ; schema:url ?url }} }}""")
    assert rows and "notable_ai_models.csv" in rows[0]["title"]
    assert "f111e0fe9115cf0c08e894c0422f2e7e51416c18" in str(rows[0]["url"])


def test_older_and_newer_accessibility_wordings_map_to_one_level(imported, tmp_path):
    home, _ = imported
    newer = records(home, """SELECT ?level WHERE {
        ?r rdfs:label "Llama 2-70B" ; kg:accessWording "Open weights (restricted use)" ;
           kg:opennessLevel ?level }""")
    run_import("epoch", [OLDER], tmp_path)
    older = records(tmp_path, """SELECT ?level ?comment WHERE {
        ?r rdfs:label "Llama 2-70B" ; kg:accessWording "Open access (restricted use)" ;
           kg:opennessLevel ?level ; rdfs:comment ?comment
        FILTER STRSTARTS(?comment, "country") }""")
    assert newer[0]["level"] == older[0]["level"] == "level:open-weights"
    assert older[0]["comment"] == "country: United States of America"


def test_reimport_replaces_the_graph(tmp_path):
    run_import("epoch", [OLDER], tmp_path)
    first = (tmp_path / "imports" / "epoch.trig").read_bytes()
    run_import("epoch", [OLDER], tmp_path)
    second = tmp_path / "imports" / "epoch.trig"
    count = len(list(ox.parse(path=second, format=ox.RdfFormat.TRIG)))
    assert count == len(list(ox.parse(first, format=ox.RdfFormat.TRIG)))
    assert sorted(p.name for p in (tmp_path / "imports").iterdir()) == ["epoch.trig"]


def test_a_file_it_cannot_use_is_skipped_and_the_rest_loads(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_bytes(OLDER.read_bytes())
    (folder / "b.csv").write_text("name,size\nfoo,1\n")
    report = run_import("epoch", [folder], tmp_path / "home")
    assert report.records == 2
    assert [(s.file.name, "not an Epoch models table" in s.reason)
            for s in report.skipped] == [("b.csv", True)]


def test_imported_graph_still_validates(imported):
    home, _ = imported
    result = CliRunner().invoke(cli, ["--store", str(home), "--sources", "curated,epoch",
                                      "validate"])
    assert result.exit_code == 0, result.output[-2000:]


def test_conflicts_report_curated_wins(imported):
    home, _ = imported
    result = CliRunner().invoke(cli, ["--store", str(home), "conflicts", "--format", "json"])
    assert result.exit_code == 0
    import json

    entries = json.loads(result.output)
    curated = [e for e in entries if "curated" in {v["source"] for v in e["values"]}]
    assert curated and {e["wins"] for e in curated} == {"curated"}
    (grok,) = [e for e in entries if e["label"] == "Grok-1" and e["field"] == "released"]
    assert [(v["source"], v["value"]) for v in grok["values"]][0] == ("curated", "2024-03-17")
    assert grok["values"][1]["source"] == "epoch"


def test_cli_import_counts_and_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(tmp_path), "import", "epoch", str(OLDER),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"records": 2' in result.output
    missing = runner.invoke(cli, ["import", "epoch", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
