"""Hostile RDF files given with --data or to `kg validate`: one clear line naming
file:line:column, exit 2, nothing loaded, and no network for remote JSON-LD contexts."""

from __future__ import annotations

import os
import re

import pytest
from kgprobe import assert_one_line_error, kg

BAD = {
    "bad.ttl": (b"@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n",
                "bad.ttl:3:"),
    "bad.trig": (b"@prefix ex: <http://ex.org/> .\nex:g { ex:a ex:b ex:c \n", "bad.trig:"),
    "bad.jsonld": (b'{"@id": "http://ex.org/a",\n "http://ex.org/p": [1, 2,, ]}',
                   "bad.jsonld:2:"),
    "utf8.ttl": (b"@prefix ex: <http://ex.org/> .\nex:a ex:b \"caf\xe9\" .\n", "utf8.ttl:2:"),
    "junk.ttl": (bytes(range(256)) * 4, "junk.ttl:1:"),
}


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("command", ["validate", "summary"])
def test_malformed_file_is_one_line_with_its_position(tmp_path, name, command):
    content, where = BAD[name]
    path = tmp_path / name
    path.write_bytes(content)
    args = ["validate", path] if command == "validate" else ["--data", path, "summary"]
    line = assert_one_line_error(kg(*args, cwd=tmp_path), 2, where)
    assert re.search(rf"{re.escape(name)}:\d+:\d+: ", line), line


def test_invalid_utf8_says_so(tmp_path):
    path = tmp_path / "utf8.ttl"
    path.write_bytes(BAD["utf8.ttl"][0])
    assert "UTF-8" in assert_one_line_error(kg("validate", path), 2)


def test_a_bad_file_among_good_ones_loads_nothing(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text('<http://ex.org/only-here> <http://ex.org/p> "x" .\n')
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(BAD["bad.ttl"][0])
    run = kg("--no-cache", "--data", good, "--data", bad, "query",
             "ASK { <http://ex.org/only-here> ?p ?o }")
    assert_one_line_error(run, 2, "bad.ttl:3:")
    assert run.out == ""


def _query_a_literal_of(tmp_path, length: int):
    """`kg query` for the length of a literal of ``length`` characters, in its own file."""
    path = tmp_path / "big.ttl"
    path.write_text('<http://ex.org/a> <http://ex.org/p> "' + "x" * length + '" .\n')
    return kg("--no-cache", "--data", path, "query",
              "SELECT (STRLEN(?o) AS ?n) WHERE { <http://ex.org/a> ?p ?o }", "--format", "csv",
              timeout=30)


def test_twenty_megabyte_literal_is_refused_cleanly_and_fast(tmp_path):
    """The parser's buffer holds 16 MiB: a longer token is refused in one line, not loaded."""
    run = _query_a_literal_of(tmp_path, 20_000_000)
    assert run.seconds < 15
    assert_one_line_error(run, 2, "big.ttl: too large to parse")
    assert run.out == ""


def test_ten_megabyte_literal_loads(tmp_path):
    run = _query_a_literal_of(tmp_path, 10_000_000)
    assert run.code == 0, run.err[-1000:]
    assert run.out.splitlines() == ["n", "10000000"]


@pytest.mark.parametrize("kind", ["blank nodes", "lists"])
def test_deeply_nested_turtle_loads_without_crashing(tmp_path, kind):
    depth = 5_000
    opening, closing = ("[ ex:p ", " ]") if kind == "blank nodes" else ("( ", " )")
    path = tmp_path / "deep.ttl"
    path.write_text("@prefix ex: <http://ex.org/> .\nex:top ex:p "
                    + opening * depth + '"bottom"' + closing * depth + " .\n")
    run = kg("--no-cache", "--data", path, "query", 'ASK { ?s ?p "bottom" }', timeout=60)
    assert run.code == 0, run.err[-2000:]
    assert run.out.strip() == "true"


@pytest.mark.parametrize("opening", ['{"http://ex.org/p":', "["])
def test_deeply_nested_json_ld_is_refused_with_position(tmp_path, opening):
    depth = 100_000
    closing = "}" if opening.startswith("{") else "]"
    path = tmp_path / "deep.jsonld"
    path.write_text('{"@id": "http://ex.org/a", "http://ex.org/p": '
                    + opening * depth + '"x"' + closing * depth + "}")
    assert_one_line_error(kg("validate", path), 2, "deep.jsonld:1:")


def test_remote_json_ld_context_is_never_fetched(tmp_path, listener):
    path = tmp_path / "remote.jsonld"
    path.write_text(f'{{"@context": "http://127.0.0.1:{listener.port}/context.jsonld",'
                    ' "@id": "http://ex.org/a", "name": "x"}')
    assert_one_line_error(kg("validate", path), 2, "remote.jsonld")
    assert listener.connections == 0


def test_missing_file_and_unknown_ending_are_one_line(tmp_path):
    assert_one_line_error(kg("--data", tmp_path / "nope.ttl", "summary"), 2,
                          "no such file or folder")
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    assert_one_line_error(kg("validate", odd), 2, "unknown RDF format")


def test_folder_without_rdf_files_is_one_line(tmp_path):
    (tmp_path / "readme.txt").write_text("hello")
    assert_one_line_error(kg("--data", tmp_path, "summary"), 2, "holds no RDF files")


def test_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    assert_one_line_error(kg("validate", fifo, timeout=20), 2, "not a regular file")

