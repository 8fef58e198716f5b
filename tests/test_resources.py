"""The package finds its own files through importlib.resources; a missing resource or an
empty graph is an error (exit 2), never a landscape of zeros."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.resources
from kg.cli import cli
from kg.errors import EXIT_BAD_INPUT, ResourceMissing
from kg.landscape import EmptyGraph, Landscape

REPO = Path(__file__).resolve().parents[1]


def test_checkout_resources_are_the_top_level_folders():
    assert kg.resources.ontology_dir() == REPO / "ontology"
    assert kg.resources.data_dir() == REPO / "data"
    assert kg.resources.shapes_file().is_file()


@pytest.fixture
def no_assets(monkeypatch, tmp_path):
    """The package seen from a folder that holds neither _assets/ nor ontology/ or data/."""
    (tmp_path / "kg").mkdir()
    monkeypatch.setattr(kg.resources, "files", lambda _package: tmp_path / "kg")


def test_missing_assets_are_named(no_assets):
    with pytest.raises(ResourceMissing, match="ontology/ folder is missing"):
        kg.resources.ontology_dir()


def test_cli_with_missing_assets_exits_2_in_one_line(no_assets):
    result = CliRunner().invoke(cli, ["--no-cache", "summary", "--format", "json"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert len(result.output.strip().splitlines()) == 1 and "missing" in result.output
    assert "Traceback" not in result.output


def test_a_graph_without_triples_is_an_error(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("# nothing here\n")
    with pytest.raises(EmptyGraph, match="the graph is empty"):
        Landscape.load([empty], defaults=False, cache=False)


def test_missing_query_file_is_named():
    from kg.queries import load_query

    with pytest.raises(ResourceMissing, match="kg/queries/store/no-such-query.rq"):
        load_query("store/no-such-query")
