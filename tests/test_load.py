"""Bad input: a clear one-line error naming file and line, exit 2, nothing loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli.main import cli
from kg.errors import InputFileError
from kg.landscape import Landscape


def load(files, defaults: bool = True) -> Landscape:
    return Landscape.load(files, defaults=defaults, cache=False)

MALFORMED = """@prefix kg: <https://w3id.org/ai-landscape-kg/ontology#> .
<https://w3id.org/ai-landscape-kg/id/model/x> a kg:Model .
<https://w3id.org/ai-landscape-kg/id/model/y> a kg:Model
<https://w3id.org/ai-landscape-kg/id/model/z> a kg:Model .
"""


@pytest.fixture
def malformed(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text(MALFORMED)
    return path


def test_malformed_turtle_names_file_and_line(malformed):
    with pytest.raises(InputFileError) as caught:
        load([malformed])
    assert caught.value.path == str(malformed)
    assert caught.value.line == 4


@pytest.mark.parametrize("args", [["--data", "{f}", "validate"], ["validate", "{f}"],
                                  ["--data", "{f}", "sources"]])
def test_cli_malformed_exits_2_without_traceback(malformed, args):
    result = CliRunner().invoke(cli, [a.format(f=malformed) for a in args])
    assert result.exit_code == 2
    assert f"{malformed}:4:" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_nothing_of_a_malformed_file_is_loaded(malformed, tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    with pytest.raises(InputFileError):
        load([good, malformed], defaults=False)


def test_missing_file(tmp_path):
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "nope.ttl"), "validate"])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_unknown_format(tmp_path):
    path = tmp_path / "facts.txt"
    path.write_text("hello")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert "unknown RDF format '.txt'" in result.output


def test_folder_is_loaded_recursively(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.nt").write_text(
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    (tmp_path / "b.ttl").write_text(
        "<http://example.org/d> <http://example.org/e> <http://example.org/f> .\n")
    loaded = load([tmp_path], defaults=False)
    assert len(loaded.store) == 2


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(InputFileError, match="holds no RDF files"):
        load([tmp_path], defaults=False)


def test_blank_node_labels_stay_local_to_their_file(tmp_path):
    for name in ("one.ttl", "two.ttl"):
        (tmp_path / name).write_text(f'_:b <http://example.org/from> "{name}" .\n')
    loaded = load([tmp_path], defaults=False)
    subjects = {q.subject for q in loaded.store.quads()}
    assert len(subjects) == 2


def test_invalid_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b'<http://example.org/a> <http://example.org/b> "caf\xe9" .\n')
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output
    assert "Traceback" not in result.output
