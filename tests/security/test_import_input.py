"""Hostile dataset files for `kg import`: binary junk, YAML bombs, wrong shapes and
overflowing numbers are skipped with a reason (or refused in one line) while the rest of the
folder loads, and a failed import leaves the earlier imports/NAME.trig untouched."""

from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

import pyoxigraph as ox
import pytest
from kgprobe import Run, assert_one_line_error, kg

GOOD = {
    "epoch": ("good.csv", "Model,Organization,Publication date,Parameters\n"
                          "Acme-1,Acme Labs,2024-05-01,7B\n"),
    "ecosystem-graphs": ("good.yaml", "- type: model\n  name: Acme-1\n  organization: Acme\n"
                                      "  created_date: 2024-05-01\n  access: open\n"),
    "osai": ("good.yaml", "system:\n  name: Acme-1\n  releasedate: 2024-05\norg:\n"
                          "  name: Acme\n"),
    "mof": ("good.yml", "release:\n  name: Acme-1\n  producer: Acme\n"),
}
SUFFIX = {"epoch": ".csv", "ecosystem-graphs": ".yaml", "osai": ".yaml", "mof": ".yml"}


def billion_laughs(top_key: str) -> str:
    """Nine levels of nine aliases each: 9**9 strings once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    body = "\n".join(lines)
    if top_key == "assets":  # Ecosystem Graphs: a list of assets
        return "- " + "\n  ".join(lines) + "\n- type: model\n  name: *i\n"
    return f"{body}\n{top_key}:\n  name: *i\n"


BOMBS = {"ecosystem-graphs": "assets", "osai": "system", "mof": "release"}


def imported_labels(home: Path, source: str) -> set[str]:
    trig = home / "imports" / f"{source}.trig"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    return {q.object.value for q in ox.parse(path=trig, format=ox.RdfFormat.TRIG)
            if q.predicate.value == label and "/model/" in q.subject.value}


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def import_beside_good(tmp_path: Path, source: str, odd: dict[str, str | bytes],
                       **options) -> tuple[Run, Path]:
    """`kg import SOURCE` of a folder holding the ``odd`` files beside one good file."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in odd.items():
        target = folder / f"{name}{SUFFIX[source]}"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    name, text = GOOD[source]
    (folder / name).write_text(text)
    home = tmp_path / "home"
    return kg("--store", home, "import", source, folder, **options), home


@pytest.mark.parametrize("source", sorted(BOMBS))
def test_yaml_bomb_is_skipped_fast_and_the_rest_loads(tmp_path, source):
    run, home = import_beside_good(tmp_path, source, {"bomb": billion_laughs(BOMBS[source])},
                                   timeout=60, preexec_fn=limit_memory)
    assert run.code == 0, run.err[-1500:]
    assert run.seconds < 20
    assert "bomb" in run.err and "skipped" in run.err and "Traceback" not in run.err
    assert imported_labels(home, source) == {"Acme-1"}


JUNK = bytes(range(256)) * 64 + b"\x00\xff\xfe" * 1000


@pytest.mark.parametrize("source", sorted(GOOD))
def test_binary_junk_is_skipped_and_the_rest_loads(tmp_path, source):
    run, home = import_beside_good(tmp_path, source, {"junk": JUNK})
    assert run.code == 0, run.err[-1500:]
    assert "skipped" in run.err and "junk" in run.err and "Traceback" not in run.err
    assert imported_labels(home, source) == {"Acme-1"}


WRONG_SHAPES = {
    "epoch": ["a,b\n1,2\n", "", "Model,Organization,Publication date\n,,\n\"unclosed,x,y\n",
              "Model,Organization,Publication date,Parameters\nX,Y,not a date,inf\n"
              "Z,Y,2023-13-45,1e400 parameters\nW,Y,３０２３,99999999999999999999999999999B\n"],
    "ecosystem-graphs": ["just a string\n", "{a: 1}\n", "- 1\n- [2]\n- type: model\n",
                         "- type: model\n  name: {value: [1, {x: 2}]}\n  size: inf\n"
                         "  created_date: 2023-02-30\n", "[" * 50_000 + "]" * 50_000],
    "osai": ["- a list\n", "system: 5\n", "system:\n  releasedate: 2023-13-01\n",
             "system:\n  name: [1, 2]\n  releasedate: 99999\n",
             "system:\n  name: X\nweights_endmodel: [open]\ntrainingcode: {class: 7}\n"],
    "mof": ["release: []\n", "release:\n  name: ''\n",
            "release:\n  name: X\n  components: {a: 1}\n  license: [1]\n",
            "release:\n  name: Y\n  components: [1, {name: [x]}, {name: Training code, "
            "license: {name: 5}}]\n  producer: [a, b]\n"],
}


@pytest.mark.parametrize("source", sorted(WRONG_SHAPES))
def test_wrong_shapes_never_crash_the_import(tmp_path, source):
    run, home = import_beside_good(
        tmp_path, source, {f"odd{n}": text for n, text in enumerate(WRONG_SHAPES[source])})
    assert run.code == 0, run.err[-1500:]
    assert "Traceback" not in run.err
    assert "Acme-1" in imported_labels(home, source)
    # what was imported loads: the named graph is valid TriG with well-formed literals
    check = kg("--store", home, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g "
               "{ ?r a kg:ModelRecord } }", "--format", "csv")
    assert check.code == 0, check.err


def test_missing_path_and_unknown_source_are_one_line(tmp_path):
    assert_one_line_error(kg("--store", tmp_path, "import", "epoch", tmp_path / "nope.csv"),
                          2, "no such file or folder")
    run = kg("--store", tmp_path, "import", "nonsense", tmp_path)
    assert run.code == 2 and "Traceback" not in run.err and "nonsense" in run.err


def test_import_that_fails_while_writing_keeps_the_earlier_import(tmp_path):
    """A write cut short by the file-size limit: earlier imports/epoch.trig stays whole."""
    home = tmp_path / "home"
    small = tmp_path / "small.csv"
    small.write_text(GOOD["epoch"][1])
    assert kg("--store", home, "import", "epoch", small).code == 0
    earlier = (home / "imports" / "epoch.trig").read_bytes()
    big = tmp_path / "big.csv"
    big.write_text("Model,Organization,Publication date\n"
                   + "".join(f"Model-{i},Org {i},2024-01-01\n" for i in range(2000)))

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(earlier) + 100,) * 2)

    run = kg("--store", home, "import", "epoch", big, preexec_fn=limit_file_size)
    assert_one_line_error(run, 2, "cannot write")
    assert (home / "imports" / "epoch.trig").read_bytes() == earlier
    assert os.listdir(home / "imports") == ["epoch.trig"]
