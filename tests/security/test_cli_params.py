"""Hostile command-line parameters: output paths that climb out of the folder, folders,
/dev/full and missing folders; bad dates, numbers and options. Each is written exactly where
asked or refused in one line (exit 2), never a traceback, never a file somewhere else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kgprobe import assert_one_line_error, kg


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_traversing_output_name_is_written_exactly_there(tmp_path):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    run = kg("export", "--format", "nt", "--out", "../../x.nt", cwd=work)
    assert run.code == 0, run.err
    assert (tmp_path / "x.nt").stat().st_size > 100_000
    assert files_under(tmp_path) == {"a", "a/b", "x.nt"}  # nothing else, no temp file


def test_output_to_a_folder_is_refused(tmp_path):
    run = kg("export", "--out", tmp_path)
    assert run.code == 2 and "Traceback" not in run.err
    assert "is a directory" in run.err.splitlines()[-1]
    assert files_under(tmp_path) == set()


def test_output_to_a_missing_folder_is_refused(tmp_path):
    assert_one_line_error(kg("export", "--out", tmp_path / "missing" / "x.ttl"), 2,
                          "does not exist")
    assert files_under(tmp_path) == set()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_output_through_a_link_to_dev_full_says_the_disk_is_full(tmp_path):
    """Writes into the device; never renames a file over it (as root that replaced the
    /dev/full node itself). A link in tmp_path keeps a regression from harming /dev."""
    link = tmp_path / "out.ttl"
    link.symlink_to("/dev/full")
    assert_one_line_error(kg("export", "--out", link), 2, "No space left on device")
    assert link.is_symlink() and link.is_char_device()
    assert files_under(tmp_path) == {"out.ttl"}


@pytest.mark.skipif(os.geteuid() == 0 or not os.path.exists("/dev/full"),
                    reason="as root a regression would replace /dev/full itself")
def test_output_to_dev_full_is_refused():
    assert_one_line_error(kg("export", "--out", "/dev/full"), 2, "/dev/full: cannot write")
    assert Path("/dev/full").is_char_device()


def test_output_to_dev_stdout_writes_the_graph(tmp_path):
    link = tmp_path / "stdout.nt"
    link.symlink_to("/dev/stdout")
    run = kg("export", "--format", "nt", "--out", link)
    assert run.code == 0, run.err
    assert run.out.count("\n") > 1000 and link.is_symlink()


def test_output_in_a_read_only_folder_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    tmp_path.chmod(0o500)
    try:
        assert_one_line_error(kg("export", "--out", tmp_path / "x.ttl"), 2, "cannot write")
    finally:
        tmp_path.chmod(0o700)


@pytest.mark.parametrize("args,fragment", [
    (["--as-of", "2025-13-01", "summary"], "2025-13-01"),
    (["--as-of", "yesterday", "summary"], "yesterday"),
    (["diff", "2025-02-30", "2025-03-01"], "2025-02-30"),
    (["diff", "2025-06-01", "2025-01-01"], "END must not be before START"),
    (["can-use", "llama 2", "--mau", "lots"], "mau"),
    (["can-use", "llama 2", "--mau", "1e999"], "mau"),
    (["ask", "commercial-use-at-mau", "--param", "mau=-5x"], "mau"),
    (["ask", "commercial-use-at-mau", "--param", "no-equals-sign"], "KEY=VALUE"),
    (["ask", "no-such-question"], "no-such-question"),
    (["query", "ASK {}", "--timeout", "-1"], "timeout"),
    (["query", "ASK {}", "--timeout", "soon"], "timeout"),
    (["analyze", "centrality", "--top", "0"], "top"),
    (["analyze", "centrality", "--top", "ten"], "top"),
    (["serve", "--port", "70000"], "port"),
    (["export", "--out", "x.ttl", "--format", "xml"], "format"),
    (["summary", "--no-such-option"], "no-such-option"),
    (["--no-such-option", "summary"], "no-such-option"),
    (["no-such-command"], "no-such-command"),
])
def test_bad_parameter_is_refused_clearly(tmp_path, args, fragment):
    run = kg(*args, cwd=tmp_path)
    assert run.code == 2, (run.code, run.err[-1500:])
    assert "Traceback" not in run.err
    assert fragment in run.err
    assert files_under(tmp_path) == set()


@pytest.mark.parametrize("name", ["'; DROP ALL; --", "<script>alert(1)</script>",
                                  "model:../../etc/passwd", "\x01\x7f", "a" * 5000])
def test_hostile_entity_names_are_not_found_in_one_line(name):
    assert_one_line_error(kg("show", name), 1, "Error: no entity named")
