"""SHACL validation of the loaded graph, with a report that names node, rule and file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib
from rdflib.namespace import SH

from kg.namespaces import compact
from kg.store.terms import from_rdflib

if TYPE_CHECKING:
    from kg.landscape import Landscape


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node at fault, the property, the rule's message and the files."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    constraint: str
    files: tuple[str, ...]


@dataclass
class ValidationReport:
    """What :func:`validate` returns: conforms, the violations, and pySHACL's report graph."""

    conforms: bool
    violations: list[Violation]
    report_graph: rdflib.Graph
    triples: int

    def text(self) -> str:
        """The report as plain text, one block per violation."""
        if self.conforms:
            return f"valid: {self.triples} triples conform to the shapes"
        lines = [f"invalid: {len(self.violations)} violation(s) in {self.triples} triples"]
        for v in self.violations:
            lines.append(f"- {v.focus}" + (f" {v.path}" if v.path else "") + f": {v.message}")
            if v.value:
                lines.append(f"    value: {v.value}")
            lines.append(f"    rule: {v.constraint}" +
                         (f"   file: {', '.join(v.files)}" if v.files else ""))
        return "\n".join(lines)


def load_shapes() -> rdflib.Graph:
    """The SHACL shapes graph, loaded like every other file (:mod:`kg.store.load`)."""
    from kg.resources import shapes_file
    from kg.store.load import parse_all
    from kg.store.terms import rdflib_graph

    return rdflib_graph(q for _, quads in parse_all([shapes_file()]) for q in quads)


def validate(landscape: Landscape, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Run the SHACL shapes over the landscape; like pySHACL, return the conformance and the
    report graph, here with each result tied to the files that describe its node."""
    from pyshacl import validate as shacl_validate

    from kg.store.progress import step
    from kg.store.terms import rdflib_graph

    data = rdflib_graph(landscape.store.quads())
    with step(f"checking {len(data):,} triples against the SHACL shapes"):
        conforms, report, _ = shacl_validate(
            data, shacl_graph=shapes if shapes is not None else load_shapes(),
            inference="none", advanced=True, allow_warnings=True)
    violations: list[Violation] = []
    if not conforms:
        origins = landscape.origins()
        violations = sorted(_violations(report, data, origins),
                            key=lambda v: (v.files, v.focus, v.path or "", v.message))
    return ValidationReport(bool(conforms), violations, report, len(data))


def _violations(report: rdflib.Graph, data: rdflib.Graph,
                origins: dict[Any, set[Path]]) -> Iterator[Violation]:
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        if focus is None:
            continue
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        component = report.value(result, SH.sourceConstraintComponent)
        shape = report.value(result, SH.sourceShape)
        owner = _named_owner(data, focus)
        files = origins.get(from_rdflib(owner)) or {
            f for referrer in data.subjects(None, focus)
            for f in origins.get(from_rdflib(_named_owner(data, referrer)), ())}
        yield Violation(
            focus=_describe(data, focus),
            path=compact(str(path)) if isinstance(path, rdflib.URIRef) else None,
            value=_term_text(value) if value is not None else None,
            message=str(message) if message else "violates " + compact(str(component)),
            severity=compact(str(severity)).removeprefix("sh:"),
            constraint=(compact(str(shape)) if isinstance(shape, rdflib.URIRef)
                        else compact(str(component))),
            files=tuple(sorted({_relative(p) for p in files})),
        )


def _named_owner(data: rdflib.Graph, node: rdflib.term.Node) -> rdflib.term.Node:
    """The nearest IRI that (through blank nodes) refers to ``node``, or ``node`` itself."""
    seen = set()
    while isinstance(node, rdflib.BNode) and node not in seen:
        seen.add(node)
        parent = next(data.subjects(None, node), None)
        if parent is None:
            break
        node = parent
    return node


def _describe(data: rdflib.Graph, node: rdflib.term.Node) -> str:
    if isinstance(node, rdflib.BNode):
        owner = _named_owner(data, node)
        label = data.value(node, rdflib.RDF.type)
        kind = compact(str(label)) if label is not None else "blank node"
        if owner != node:
            return f"{compact(str(owner))} → [{kind}]"
        return f"[{kind}]"
    return _term_text(node)


def _term_text(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        return compact(str(term))
    if isinstance(term, rdflib.Literal):
        return repr(str(term)) + (f"^^{compact(str(term.datatype))}" if term.datatype else "")
    return str(term)


def _relative(path: Path) -> str:
    """A shipped file relative to the folder holding ontology/ and data/; others as given."""
    from kg.resources import ontology_dir

    try:
        return str(path.resolve().relative_to(ontology_dir().parent))
    except ValueError:
        return str(path)
