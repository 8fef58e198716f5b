"""`kg import osai` and `kg import mof` end to end on the real files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.importers import mof, osai
from kg.importers.common import Record, run_import
from kg.landscape import Landscape

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
OSAI = EXTERNAL / "open-source-ai-index"
MOF = EXTERNAL / "model-openness-tool" / "models"

# every source, fused: the product's default (the suite's is curated, tests/conftest.py)
pytestmark = pytest.mark.usefixtures("all_sources")


@pytest.fixture(scope="module")
def homes(tmp_path_factory, all_sources) -> dict[str, tuple[Path, object]]:
    result = {}
    for name, folder in (("osai", OSAI), ("mof", MOF)):
        home = tmp_path_factory.mktemp(name)
        result[name] = (home, run_import(name, [folder], home))
    return result


def query(home: Path, text: str) -> list[dict]:
    return Landscape.load(store_path=home).query(text)


def only_record(module, path: Path) -> Record:
    [record] = list(module.read([path]))
    assert isinstance(record, Record)
    return record


def grades_of(home: Path, label: str) -> dict[str, str]:
    rows = query(home, f"""SELECT ?c ?g WHERE {{
        ?r rdfs:label "{label}" ; kg:componentOpenness [ kg:component ?c ; kg:grade ?g ] }}""")
    return {r["c"].removeprefix("comp:"): r["g"].removeprefix("grade:") for r in rows}


def test_every_index_file_loads_or_is_skipped_with_a_reason(homes):
    _, report = homes["osai"]
    assert report.files == len(list(OSAI.glob("*.y*ml")))
    assert report.records + len(report.skipped) == report.files
    reasons = {s.file.name: s.reason for s in report.skipped}
    assert reasons["_parameters.yml"] == "parameter definitions, not a system"
    assert reasons["_parameters-descriptions.yml"] == "parameter definitions, not a system"
    assert "no system name" in reasons["a_submission_template.yaml"]
    assert report.records > 120 and report.matched >= 3  # most end models are variants


def test_misspelt_endmodel_licence_key_still_gives_the_licence():
    assert "endmodel license:" in (OSAI / "StableAudio.yaml").read_text()
    record = only_record(osai, OSAI / "StableAudio.yaml")
    assert record.licence == "Stability AI Community License"


def test_index_grades_map_onto_the_components(homes):
    home, _ = homes["osai"]
    assert grades_of(home, "GPT-OSS-120B") == {
        "weights": "open", "training-data": "closed", "training-code": "closed",
        "inference-code": "closed", "architecture": "open", "paper": "open",
        "model-card": "open", "data-documentation": "closed"}
    rows = query(home, """SELECT ?level ?same ?licence WHERE {
        ?r rdfs:label "GPT-OSS-120B" ; kg:opennessLevel ?level ; kg:recordOf ?same ;
           kg:licence ?licence }""")
    assert rows == [{"level": "level:open-weights", "same": "model:gpt-oss-120b",
                     "licence": "spdx:Apache-2.0"}]


def test_index_open_source_level_and_notes():
    record = only_record(osai, OSAI / "amber.yaml")
    assert record.level == "open-source" and record.name == "AmberSafe"
    assert record.notes["system"] == "Amber" and record.notes["base model"] == "Amber"
    assert record.released == "2023-11" and record.organizations == ["LLM360"]


def test_index_end_model_resolves_to_the_right_generation(homes):
    home, _ = homes["osai"]
    rows = query(home, """SELECT ?label ?same WHERE {
        ?r kg:recordOf ?same ; rdfs:label ?label } ORDER BY ?label""")
    same = {r["label"]: r["same"] for r in rows}
    # an end model of one size is a variant of the curated release, linked, not merged
    variants = {r["model"]: r["release"] for r in query(home, """SELECT ?model ?release
        WHERE { ?model kg:variantOf ?release }""")}
    assert variants[same["Gemma-3-27B-IT"]] == "model:gemma-3"
    assert variants[same["Llama-2-70B-Chat"]] == "model:llama-2"
    # an organisation the curated graph lacks does not match a curated Qwen model
    assert same["Qwen2.5-32B"] != "model:qwen-2-5"


def test_every_mof_file_loads(homes):
    _, report = homes["mof"]
    assert report.files == len(list(MOF.glob("*.y*ml"))) == report.records
    assert report.skipped == [] and report.matched >= 15


def test_mof_llama_2_70b_is_llama_2_with_partial_weights(homes):
    home, _ = homes["mof"]
    rows = query(home, """SELECT ?same ?licence ?level WHERE {
        ?r rdfs:label "Llama-2-70B" ; kg:recordOf ?same ; kg:licence ?licence ;
           kg:opennessLevel ?level }""")
    assert rows == [{"same": "model:llama-2-70b", "licence": "lic:llama-2-community",
                     "level": "level:open-weights"}]
    assert query(home, "ASK { model:llama-2-70b kg:variantOf model:llama-2 }") is True
    assert grades_of(home, "Llama-2-70B") == {
        "weights": "partial", "architecture": "partial", "paper": "partial"}


def test_mof_gpt_oss_takes_the_distribution_licence(homes):
    home, _ = homes["mof"]
    rows = query(home, """SELECT ?same WHERE {
        ?r rdfs:label "gpt-oss-120b" ; kg:recordOf ?same }""")
    assert rows == [{"same": "model:gpt-oss-120b"}]
    record = only_record(mof, MOF / "gpt-oss-120b.yml")
    assert record.licence == "Apache-2.0" and record.grades["weights"] == "open"
    assert record.released is None and record.notes["MOT entry date"] == "2025-12-03"


def test_mof_open_source_and_closed_components():
    olmo = only_record(mof, MOF / "OLMo-7B-hf.yml")
    assert olmo.level == "open-source"
    assert olmo.grades["training-data"] == olmo.grades["training-code"] == "open"
    gpt2 = only_record(mof, MOF / "GPT-2.yml")
    assert gpt2.grades["weights"] == "closed" and gpt2.level is None


def test_mof_instruct_point_release_is_a_variant_not_the_base(homes):
    home, _ = homes["mof"]
    rows = query(home, """SELECT ?model WHERE {
        ?r rdfs:label "Mistral-7B-Instruct-v0.2" ; kg:recordOf ?model }""")
    assert rows and rows[0]["model"] != "model:mistral-7b"


@pytest.mark.parametrize(("text", "grade"), [
    ("Apache 2.0", "open"), ("MIT license", "open"), ("CC-BY-4.0", "open"),
    ("CDLA-Permissive-2.0", "open"), ("CC-BY-NC-4.0", "partial"),
    ("Creative Commons Attribution Non Commercial 4.0", "partial"), ("gemma", "partial"),
    ("OpenRAIL", "partial"), ("unlicensed", "partial"), ("Proprietary", "closed"),
    ("Component not include.", "closed"), ("Pending evaluation", None), ("", None)])
def test_mof_licence_grades(text: str, grade: str | None):
    assert mof.licence_grade(text) == grade


@pytest.mark.parametrize("name", ["osai", "mof"])
def test_broken_file_is_skipped_and_the_rest_loads(tmp_path, name: str):
    good = OSAI / "GPT-OSS.yaml" if name == "osai" else MOF / "gpt-oss-120b.yml"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "broken.yaml").write_text("system: {name: [unclosed\n")
    (folder / "list.yml").write_text("- just\n- a list\n")
    (folder / "other.yml").write_text("something: else\n")
    report = run_import(name, [folder], tmp_path / "home")
    assert report.records == 1
    reasons = {s.file.name: s.reason for s in report.skipped}
    assert set(reasons) == {"broken.yaml", "list.yml", "other.yml"}
    assert reasons["broken.yaml"].startswith("not valid YAML")
    assert "not a YAML mapping" in reasons["list.yml"]


@pytest.mark.parametrize("name", ["osai", "mof"])
def test_reimport_replaces_the_graph(tmp_path, name: str):
    files = sorted((OSAI if name == "osai" else MOF).glob("[Ll]lama*"))
    run_import(name, files, tmp_path)
    out = tmp_path / "imports" / f"{name}.trig"
    first = len(list(ox.parse(path=out, format=ox.RdfFormat.TRIG)))
    run_import(name, files, tmp_path)
    assert len(list(ox.parse(path=out, format=ox.RdfFormat.TRIG))) == first > 0
    assert [p.name for p in (tmp_path / "imports").iterdir()] == [f"{name}.trig"]
