"""`kg export`: every format round-trips; Turtle parses in an independent parser (rapper)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.cli.main import cli
from kg.store.export import EXPORT_FORMATS


def distinct_triples(loaded) -> int:
    return len({(q.subject, q.predicate, q.object) for q in loaded.store.quads()})


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_round_trips(loaded, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    parsed = list(ox.parse(path=out, format=EXPORT_FORMATS[fmt]))
    assert len({(q.subject, q.predicate, q.object) for q in parsed}) == distinct_triples(loaded)


def test_turtle_export_parses_in_rdflib_with_same_count(loaded, tmp_path):
    out = tmp_path / "graph.ttl"
    CliRunner().invoke(cli, ["export", "--out", str(out)])
    assert len(rdflib.Graph().parse(out, format="turtle")) == distinct_triples(loaded)


def test_turtle_export_parses_in_rapper_with_same_count(loaded, tmp_path):
    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI"):
            pytest.fail("rapper (raptor2-utils) must be installed in CI: see scripts/test.sh")
        pytest.skip("rapper (Debian raptor2-utils) not installed")
    out = tmp_path / "graph.ttl"
    CliRunner().invoke(cli, ["export", "--out", str(out)])
    run = subprocess.run([rapper, "-i", "turtle", "-c", str(out)],
                         capture_output=True, text=True, check=True)
    # rapper prints e.g. "rapper: Parsing returned 2795 triples"
    count = int(run.stderr.split("returned")[1].split()[0])
    assert count == distinct_triples(loaded)


def test_unwritable_output_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path / "no" / "x.ttl")])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {tmp_path / 'no' / 'x.ttl'}: cannot write: folder {tmp_path / 'no'} "
        "does not exist")


def test_failed_export_leaves_earlier_file_intact(tmp_path):
    """A write that fails part-way (file-size limit hit) keeps the earlier export whole."""
    out = tmp_path / "graph.ttl"
    out.write_text("earlier export\n")

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    run = subprocess.run([sys.executable, "-m", "kg", "export", "--out", str(out)],
                         capture_output=True, text=True, preexec_fn=limit_file_size)
    assert run.returncode == 2, run.stderr
    assert "cannot write" in run.stderr
    assert "Traceback" not in run.stderr
    assert out.read_text() == "earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_failed_load_does_not_touch_earlier_export(tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("earlier export\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    result = CliRunner().invoke(cli, ["--data", str(bad), "export", "--out", str(out)])
    assert result.exit_code == 2
    assert out.read_text() == "earlier export\n"


def test_user_data_is_exported(tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text("<http://example.org/mine> <http://example.org/p> \"x\" .\n")
    out = tmp_path / "all.nt"
    result = CliRunner().invoke(cli, ["--data", str(extra), "export", "--format", "nt",
                                      "--out", str(out)])
    assert result.exit_code == 0
    assert "<http://example.org/mine>" in Path(out).read_text()


def test_written_files_get_the_umask_mode_and_keep_a_replaced_files_mode(tmp_path):
    """Atomic writes go through a 0o600 temporary file; the result has the mode a plain
    open() would give (0o644 under umask 0o022), and a replaced file keeps its own."""
    from kg.store.export import write_atomically

    fresh, kept = tmp_path / "fresh.ttl", tmp_path / "kept.ttl"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    previous = os.umask(0o022)
    try:
        write_atomically(fresh, b"new")
        write_atomically(kept, b"new")
    finally:
        os.umask(previous)
    assert (fresh.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o644, 0o640)
    assert kept.read_bytes() == b"new"
