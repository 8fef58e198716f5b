"""Shared fixtures: the shipped graph, loaded once, and its validation report."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Every test process uses its own store cache and import folder, never the user's.
os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-test-cache-")
os.environ["KG_HOME"] = tempfile.mkdtemp(prefix="kg-test-home-")

from kg.load import LoadedGraph, load

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def loaded() -> LoadedGraph:
    return load()


@pytest.fixture(scope="session")
def report(loaded):
    from kg.validate import validate

    return validate(loaded)


@pytest.fixture(scope="session")
def ask(loaded):
    """Run a SELECT over the shipped graph and return plain rows."""

    def run(query: str, **bindings):
        return loaded.store.select(query, bindings)

    return run


@pytest.fixture(scope="session")
def landscape():
    from kg.landscape import Landscape

    return Landscape.load()
