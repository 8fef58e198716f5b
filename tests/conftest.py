"""Shared fixtures: the shipped graph, loaded once, and its validation report."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Every test process uses its own store cache and import folder, never the user's.
os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-test-cache-")
os.environ["KG_HOME"] = tempfile.mkdtemp(prefix="kg-test-home-")
# The suite's facts are the curated ones, checked by hand; the fused landscape of every
# source (the product's default) is tested in tests/test_fusion.py, which asks for "all"
# sources explicitly. $KG_SOURCES is the documented way to choose a default selection.
os.environ["KG_SOURCES"] = "curated"

from kg.landscape import Landscape

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def all_sources():
    """The product's default for a whole test module: every source, fused."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_SOURCES", "all")
        yield


@pytest.fixture(scope="session")
def loaded() -> Landscape:
    return Landscape.load(cache=False)


@pytest.fixture(scope="session")
def report(loaded):
    return loaded.validate()


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


#: Parameters for the named questions that need them, on the shipped data.
QUESTION_PARAMS = {
    "funding-round": {"round": "round:openai-2025-03"},
    "open-weight-releases": {"lab": "org:openai"}, "competitors": {"lab": "org:openai"},
    "person-statements": {"person": "person:sam-altman"},
    "entity-sources": {"entity": "model:llama-2"}, "commercial-use-at-mau": {"mau": "800M"},
}


@pytest.fixture(scope="session")
def answers():
    """A named question's rows on a landscape, in a canonical order (to compare backends)."""

    def run(landscape, name: str) -> list[list[tuple[str, str]]]:
        rows = landscape.ask(name, **QUESTION_PARAMS.get(name, {}))
        # GROUP_CONCAT joins in no defined order (engines differ): compare the parts sorted
        return sorted(sorted((k, ", ".join(sorted(str(v).split(", ")))) for k, v in r.items())
                      for r in rows)

    return run


def pytest_terminal_summary(terminalreporter, config):
    """Tests run in a shuffled order (pytest-randomly): name the order even under -q, so a
    failure that depends on it can be rerun."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(
            f"tests ran shuffled: --randomly-seed={seed} repeats this order, -p no:randomly "
            "keeps file order")
