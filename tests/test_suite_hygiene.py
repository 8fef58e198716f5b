"""The tests themselves: no assertion accepts several outcomes where exactly one is right.

Scans every test file with ``ast`` and fails on

* ``assert X in (A, B)``, ``[A, B]`` or ``{A, B}``: a choice of literal alternatives;
* ``assert X == A or X == B``: the same choice spelt out;
* an exit code or status compared with ``!=``, ``>`` or ``>=`` (``exit_code != 0``): the
  CLI's codes are documented (0 ok, 1 "no" answer / not found / invalid data, 2 bad input,
  3 timeout), so a test names the one it expects;
* ``pytest.raises((ErrorA, ErrorB))``: a test knows which error it provokes.

A case that legitimately allows a set (a property that holds for any input, say) goes in
ALLOWED below, by file and test name, with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent

#: (file relative to tests/, test or helper function) -> why it may accept several outcomes.
ALLOWED: dict[tuple[str, str], str] = {}

#: Names that hold a process's exit code or an HTTP status.
CODE_NAMES = {"exit_code", "returncode", "code", "status", "rc", "status_code"}


def _literal_choice(node: ast.expr) -> bool:
    """A tuple, list or set display of two or more literals."""
    return (isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) >= 2
            and all(isinstance(e, ast.Constant) for e in node.elts))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _is_code(node: ast.expr) -> bool:
    return _name(node) in CODE_NAMES


def _loose_compares(test: ast.expr) -> list[tuple[ast.AST, str]]:
    """Each part of an assert's expression that accepts more than one outcome."""
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(test):
        if isinstance(node, ast.Compare):
            left = node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, ast.In) and _literal_choice(right):
                    found.append((node, f"`in` a choice of literals: {ast.unparse(node)}"))
                if (isinstance(op, ast.NotEq | ast.Gt | ast.GtE)
                        and isinstance(right, ast.Constant) and _is_code(left)):
                    found.append((node, f"an exit code or status that is merely not one "
                                        f"value: {ast.unparse(node)}"))
                left = right
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            sides = [v.left for v in node.values
                     if isinstance(v, ast.Compare) and len(v.ops) == 1
                     and isinstance(v.ops[0], ast.Eq)]
            if len(sides) == len(node.values) and len({ast.dump(s) for s in sides}) == 1:
                found.append((node, f"one of several equalities: {ast.unparse(node)}"))
    return found


def _raises_choice(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "raises"
            and isinstance(func.value, ast.Name) and func.value.id == "pytest"
            and bool(call.args) and isinstance(call.args[0], ast.Tuple)
            and len(call.args[0].elts) >= 2)


def loose_assertions(source: str) -> list[tuple[str, int, str]]:
    """(enclosing function, line, what) for every loose assertion in ``source``."""
    tree = ast.parse(source)
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if isinstance(child, ast.Assert):
                found.extend((inner, n.lineno, what) for n, what in _loose_compares(child.test))
            elif isinstance(child, ast.Call) and _raises_choice(child):
                found.append((inner, child.lineno, "pytest.raises with a choice of errors: "
                              + ast.unparse(child.args[0])))
            visit(child, inner)

    visit(tree, "<module>")
    return found


def scanned_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "fixtures" not in p.parts)



def test_no_assertion_accepts_several_outcomes():
    offences = []
    for path in scanned_files():
        rel = str(path.relative_to(TESTS))
        for function, line, what in loose_assertions(path.read_text(encoding="utf-8")):
            if (rel, function) not in ALLOWED:
                offences.append(f"tests/{rel}:{line} in {function}: {what}")
    assert offences == [], "\n".join(
        ["assertions that accept more than one outcome (state the one right outcome, or "
         "allow the test in ALLOWED with a reason):", *offences])


def test_allowed_entries_are_still_needed():
    used = set()
    for path in scanned_files():
        rel = str(path.relative_to(TESTS))
        used |= {(rel, function) for function, _, _ in
                 loose_assertions(path.read_text(encoding="utf-8"))}
    assert set(ALLOWED) <= used, f"stale ALLOWED entries: {set(ALLOWED) - used}"


# --------------------------------------------------------------------------- the scanner
@pytest.mark.parametrize("source", [
    "def test_x():\n    assert code in (0, 1)\n",
    "def test_x():\n    assert status in [400, 413]\n",
    "def test_x():\n    assert result.exit_code in {1, 2}, result.output\n",
    "def test_x():\n    assert ok and run.code in (1, 2)\n",
    "def test_x():\n    assert result.exit_code != 0\n",
    "def test_x():\n    assert run.returncode > 0\n",
    "def test_x():\n    assert x == 'a' or x == 'b'\n",
    "def test_x():\n    with pytest.raises((ValueError, KeyError)):\n        f()\n",
])
def test_scanner_finds_loose_assertions(source):
    [(function, _, _)] = loose_assertions(source)
    assert function == "test_x"


@pytest.mark.parametrize("source", [
    "def test_x():\n    assert code == 2\n",
    "def test_x():\n    assert 'word' in (path / 'x').read_text()\n",
    "def test_x():\n    assert name not in ('a', 'b')\n",
    "def test_x():\n    assert x in (y,)\n",
    "def test_x():\n    assert result is None or result > 0\n",
    "def test_x():\n    assert count != 0\n",
    "def test_x():\n    with pytest.raises(ValueError):\n        f()\n",
    "def helper():\n    if result.exit_code not in (0, 1, 2):\n        raise result.exception\n",
])
def test_scanner_passes_exact_assertions(source):
    assert loose_assertions(source) == []
