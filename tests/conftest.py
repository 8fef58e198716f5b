"""Shared fixtures: the shipped graph, loaded once, and its validation report."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.load import LoadedGraph, load
from kg.query import select

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
        return select(loaded, query, bindings)

    return run
