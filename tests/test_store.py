"""The store layer: both backends agree; the on-disk cache is reused, rebuilt and race-safe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.landscape import Landscape
from kg.queries.questions import all_questions


@pytest.fixture(scope="module")
def on_rdflib():
    return Landscape.load(backend="rdflib")


@pytest.mark.parametrize("name", sorted(all_questions()))
def test_backends_agree_on_every_question(landscape, on_rdflib, answers, name):
    assert answers(landscape, name) == answers(on_rdflib, name)


def test_backends_hold_the_same_quads(landscape, on_rdflib):
    assert len(landscape.store) == len(on_rdflib.store) > 5000


def _stores(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("store-"))


def test_cache_is_reused_then_rebuilt_when_a_file_changes(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text('<https://w3id.org/ai-landscape-kg/id/org/acme> '
                    '<http://www.w3.org/2000/01/rdf-schema#label> "Acme" .\n')
    folder = tmp_path / "cache"
    first = Landscape.load([mine], store_path=folder)
    assert first.query("SELECT ?l WHERE { org:acme rdfs:label ?l }") == [{"l": "Acme"}]
    (built,) = _stores(folder)
    stamp = built.stat().st_mtime_ns
    again = Landscape.load([mine], store_path=folder)
    assert _stores(folder) == [built] and built.stat().st_mtime_ns == stamp
    assert len(again.store) == len(first.store)
    mine.write_text('<https://w3id.org/ai-landscape-kg/id/org/acme> '
                    '<http://www.w3.org/2000/01/rdf-schema#label> "Acme Corp" .\n')
    os.utime(mine, ns=(stamp + 10**9, stamp + 10**9))
    changed = Landscape.load([mine], store_path=folder)
    assert changed.query("SELECT ?l WHERE { org:acme rdfs:label ?l }") == [{"l": "Acme Corp"}]
    assert len(_stores(folder)) == 1 and _stores(folder)[0] != built


def test_malformed_file_builds_no_cache(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all")
    folder = tmp_path / "cache"
    from kg.errors import InputFileError

    with pytest.raises(InputFileError):
        Landscape.load([bad], store_path=folder)
    assert not folder.exists()  # parsed before the cache folder is made: nothing on disk


def test_two_processes_starting_at_once_share_one_cache(tmp_path):
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "kg", "summary", "--format", "json"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [o[1] for o in outputs]
    assert len({o[0] for o in outputs}) == 1
    assert len(_stores(tmp_path)) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build-")]


def test_no_cache_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    ls = Landscape.load(cache=False)
    assert ls.query("ASK { model:gpt-2 a kg:Model }") is True
    assert not (tmp_path / "cache").exists()
