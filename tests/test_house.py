"""The house keeps its shape: no import cycle between the package's modules, every module
importable on its own, and no module outside the rooms."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import networkx as nx

import kg

PACKAGE = Path(kg.__file__).parent
#: The rooms and the few modules that stand at the top: the API, errors, IRIs, resources.
ROOMS = {"store", "queries", "reports", "policy", "time", "analysis", "viz", "schema", "serve",
         "cli", "importers", "fusion"}
TOP_MODULES = {"__init__", "__main__", "landscape", "errors", "namespaces", "resources"}


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages([str(PACKAGE)], "kg."))


def _imports(module: str) -> set[str]:
    """Every kg module ``module`` imports at run time, at the top or inside a function
    (imports for type checking only, under ``if TYPE_CHECKING:``, are no cycle)."""
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for block in ast.walk(tree):
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING":
            block.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kg"))
    return found & set(_modules()) | ({"kg"} & found)


def test_no_import_cycle():
    modules = set(_modules())
    graph = nx.DiGraph()
    for module in modules:
        for target in _imports(module):
            if target in modules and target != module and not module.startswith(target + "."):
                graph.add_edge(module, target)
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], cycles[:5]


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    """A hidden cycle shows as a partly initialised module when a module is imported first."""
    modules = [m for m in _modules() if m != "kg.__main__"]
    running = {m: subprocess.Popen([sys.executable, "-c", f"import {m}"],
                                   stderr=subprocess.PIPE, text=True) for m in modules}
    failed = {m: p.communicate(timeout=120)[1].strip().splitlines()[-1:]
              for m, p in running.items() if p.wait(timeout=120) != 0}
    assert failed == {}


def test_every_module_lives_in_a_room():
    stray = [p.name for p in PACKAGE.glob("*.py") if p.stem not in TOP_MODULES]
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert stray == [] and folders == ROOMS
