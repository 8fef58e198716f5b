"""SPARQL lives in .rq files: every query the package runs is a file under kg/queries/, read
by kg.queries.load_query; Python modules hold no SPARQL beyond a trivial line."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.namespaces import PREFIXES

KG = Path(__file__).resolve().parents[1] / "kg"
QUERIES = KG / "queries"
#: The one module allowed SPARQL-looking text: it parses the named questions' headers.
EXEMPT = {KG / "queries" / "questions.py"}
#: A SPARQL query form followed, later, by WHERE or a group.
SPARQL = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b[\s\S]*?(\bWHERE\b|\{)")

RQ_FILES = sorted(QUERIES.rglob("*.rq"))
MODULES = sorted(p for p in KG.rglob("*.py") if p not in EXEMPT)


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the module's, classes' and functions' docstring nodes."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                found.add(id(body[0].value))
    return found


def embedded_queries(source: str) -> list[tuple[int, str]]:
    """(line, first line of text) of each string literal in ``source`` that holds a SPARQL
    query over more than one line; docstrings (doctest examples) are not code."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [(node.lineno, node.value.strip().splitlines()[0])
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and len(node.value.strip().splitlines()) > 1
            and SPARQL.search(node.value)]


def test_the_detector_finds_a_query_constant_but_not_docstrings_or_one_liners():
    source = ('"""Module doc: SELECT ?x WHERE { ?x ?p ?o }\nover two lines."""\n'
              '_QUERY = """\nSELECT ?x WHERE {\n    ?x a kg:Model\n}"""\n'
              'def f():\n'
              '    """>>> ls.query("SELECT ?m\n    ... WHERE { ?m a kg:Model }")"""\n'
              '    return "ASK { ?x ?p ?o }", "table|json for SELECT/ASK results"\n')
    assert embedded_queries(source) == [(3, "SELECT ?x WHERE {")]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(KG.parent)))
def test_no_module_holds_sparql(module):
    found = embedded_queries(module.read_text(encoding="utf-8"))
    assert not found, (f"{module.relative_to(KG.parent)} holds SPARQL in a string literal "
                       f"(move it to kg/queries/<room>/<name>.rq and call load_query): {found}")


def test_there_are_query_files():
    assert len(RQ_FILES) > 40
    assert {p.parent.name for p in RQ_FILES} >= {
        "named", "reports", "time", "policy", "analysis", "viz", "importers", "store"}


@pytest.mark.parametrize("path", RQ_FILES, ids=lambda p: str(p.relative_to(QUERIES)))
def test_query_file_parses_and_runs(path):
    """Each file parses with Oxigraph (with the project's prefixes) and runs on an empty
    store; each internal one opens with a comment saying what it returns."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{path.name} must open with a comment saying what it returns"
    assert text.endswith("\n") and text.strip()
    try:
        answer = ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as err:
        pytest.fail(f"{path.relative_to(QUERIES)}: SPARQL syntax error: {err}")
    if isinstance(answer, ox.QuerySolutions | ox.QueryTriples):
        list(answer)


def _load_query_calls() -> dict[str, list[str]]:
    """Every ``load_query("room/name")`` in the package: name -> the modules that call it."""
    calls: dict[str, list[str]] = {}
    for module in sorted(KG.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else None
            arg = node.args[0]
            if name == "load_query" and isinstance(arg, ast.Constant) \
                    and isinstance(arg.value, str):
                calls.setdefault(arg.value, []).append(str(module.relative_to(KG.parent)))
    return calls


def test_every_internal_query_file_is_used_and_every_load_finds_its_file():
    calls = _load_query_calls()
    internal = {str(p.relative_to(QUERIES).with_suffix("")) for p in RQ_FILES
                if p.relative_to(QUERIES).parts[0] != "named"}
    assert not internal - set(calls), "orphan .rq files (no load_query call in kg/): " \
        + ", ".join(sorted(internal - set(calls)))
    missing = {name: where for name, where in calls.items()
               if not (QUERIES / f"{name}.rq").is_file()}
    assert not missing, f"load_query of a missing file: {missing}"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_summary_counts_every_counted_type_in_order_zero_included(engine):
    """reports/summary-counts.rq lists its types itself; a type with no node counts 0 on
    both engines (rdflib drops such rows when VALUES feeds an OPTIONAL directly)."""
    from kg.namespaces import KG
    from kg.reports.summary import summarise
    from kg.store import OxigraphStore, RdflibStore

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = [ox.Quad(ox.NamedNode(KG + "lab-1"), rdf_type, ox.NamedNode(KG + "Lab")),
             ox.Quad(ox.NamedNode(KG + "lab-2"), rdf_type, ox.NamedNode(KG + "Lab")),
             ox.Quad(ox.NamedNode(KG + "m"), rdf_type, ox.NamedNode(KG + "Model"))]
    store = OxigraphStore.from_quads(quads) if engine == "oxigraph" else RdflibStore(quads)
    counts = summarise(store)["counts"]
    assert [r["type"] for r in counts] == [
        "Organization", "Lab", "Investor", "Person", "ModelFamily", "Model", "Licence", "Product",
        "FundingRound", "Investment", "Valuation", "UserMetricObservation", "Statement",
        "Source"]
    assert {r["type"]: r["count"] for r in counts if r["count"]} == {"Lab": 2, "Model": 1}
