"""A wheel built from the repository, installed into a fresh virtual environment in a
temporary folder, answers like the checkout: every subpackage, the questions, the templates,
the ontology and the curated data travel inside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EPOCH_FIXTURE = Path(__file__).parent / "fixtures" / "epoch" / "older-release.csv"


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the venv's bin folder): the wheel installed without the checkout on the
    path. Its dependencies come from this test environment's site-packages (a .pth line),
    which holds the checkout only through an editable hook that a plain path line does
    not run."""
    root = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "--disable-pip-version-check", "-w", str(root / "dist"), str(REPO)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((root / "dist").glob("ai_landscape_kg-*.whl"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                                "--no-deps", "-q", "--disable-pip-version-check", str(wheel)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr[-2000:]
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return wheel, venv / "bin"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(KG_CACHE_DIR=str(tmp_path / "cache"), KG_HOME=str(tmp_path / "home"),
               COLUMNS="120")
    return env


def test_wheel_holds_every_resource(wheel_venv):
    wheel, _ = wheel_venv
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"kg/importers/epoch.py", "kg/queries/named/funding-round.rq",
                "kg/_assets/data/datasets/epoch.trig", "kg/_assets/data/datasets/NOTICE.md",
                "kg/queries/store/entity-exists.rq", "kg/viz/templates/explorer.html",
                "kg/serve/templates/entity.html", "kg/serve/templates/base.html",
                "kg/_assets/ontology/landscape.ttl", "kg/_assets/ontology/shapes.ttl",
                "kg/_assets/data/sources.ttl"}
    assert expected <= names, sorted(expected - names)
    shipped = {p.relative_to(REPO).as_posix() for folder in ("ontology", "data")
               for p in (REPO / folder).rglob("*") if p.is_file()}
    assert {"kg/_assets/" + p for p in shipped} <= names


def test_installed_kg_runs_from_the_wheel_not_the_checkout(wheel_venv, tmp_path):
    _, bin_dir = wheel_venv
    where = _run([str(bin_dir / "python"), "-c", "import kg, kg.resources as r; "
                  "print(kg.__file__); print(r.data_dir())"], tmp_path, _env(tmp_path))
    package, data = where.stdout.split()
    assert str(REPO) not in package and str(REPO) not in data
    assert "site-packages" in package and data.endswith("kg/_assets/data")


def test_summary_matches_the_checkout(wheel_venv, tmp_path):
    _, bin_dir = wheel_venv
    installed = _run([str(bin_dir / "kg"), "summary", "--format", "json"], tmp_path,
                     _env(tmp_path))
    assert installed.returncode == 0, installed.stderr
    checkout = _run([sys.executable, "-m", "kg", "summary", "--format", "json"], REPO,
                    _env(tmp_path / "checkout"))
    assert checkout.returncode == 0, checkout.stderr
    counts = {r["type"]: r["count"] for r in json.loads(installed.stdout)["counts"]}
    assert counts == {r["type"]: r["count"] for r in json.loads(checkout.stdout)["counts"]}
    assert counts["Model"] > 50 and counts["Source"] > 100


def test_named_questions_are_listed_and_answer(wheel_venv, tmp_path):
    _, bin_dir = wheel_venv
    listed = _run([str(bin_dir / "kg"), "ask", "--list", "--format", "json"], tmp_path,
                  _env(tmp_path))
    assert listed.returncode == 0, listed.stderr
    names = {q["name"] for q in json.loads(listed.stdout)}
    shipped = {p.stem for p in (REPO / "kg" / "queries" / "named").glob("*.rq")}
    assert names == shipped
    answer = _run([str(bin_dir / "kg"), "ask", "funding-round", "-p",
                   "round=round:openai-2025-03", "--format", "json"], tmp_path, _env(tmp_path))
    assert answer.returncode == 0, answer.stderr
    assert {row["total"] for row in json.loads(answer.stdout)} == {40_000_000_000}


def test_viz_writes_the_explorer(wheel_venv, tmp_path):
    _, bin_dir = wheel_venv
    out = tmp_path / "landscape.html"
    drawn = _run([str(bin_dir / "kg"), "viz", "--out", str(out)], tmp_path, _env(tmp_path))
    assert drawn.returncode == 0, drawn.stderr
    page = out.read_text(encoding="utf-8")
    assert "vis-network" in page and "GPT-2" in page


def test_import_reads_a_dataset_into_the_installed_landscape(wheel_venv, tmp_path):
    _, bin_dir = wheel_venv
    env = _env(tmp_path)
    imported = _run([str(bin_dir / "kg"), "import", "epoch", str(EPOCH_FIXTURE), "--format",
                     "json"], tmp_path, env)
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)[0]
    assert report["records"] > 0 and report["matched to curated"] > 0
    # the import replaces the shipped snapshot of epoch: its records are the imported ones
    query = _run([str(bin_dir / "kg"), "--sources", "curated,epoch", "query", "--format", "csv",
                  "SELECT (COUNT(?r) AS ?n) WHERE { ?r a kg:ModelRecord }"], tmp_path, env)
    assert query.returncode == 0, query.stderr
    assert int(query.stdout.split()[-1]) == report["records"]
