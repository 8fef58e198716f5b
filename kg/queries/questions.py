"""Named questions: documented SPARQL files with typed parameters bound as query bindings.

A question is a ``.rq`` file in ``kg/queries/named/`` whose header comments give its title, a
description and its parameters::

    # title: A lab's open-weight releases in date order
    # description: ...
    # param: lab iri -- a lab, e.g. org:openai
    # param: mau integer optional -- ...
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib.resources.abc import Traversable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespaces import XSD
from kg.resources import query_file

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")
_HEADER = re.compile(r"^#\s*(title|description|param|example):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)(\s+optional)?\s*(?:--\s*(.*))?$")
_SCALE = {"k": 10**3, "m": 10**6, "b": 10**9, "bn": 10**9, "t": 10**12}


class QuestionError(KgError):
    """An unknown question or parameter, or a parameter value of the wrong type."""


@dataclass(frozen=True)
class Parameter:
    """One typed parameter of a question."""

    name: str
    type: str
    optional: bool
    description: str


@dataclass(frozen=True)
class Question:
    """A named question: its SPARQL and its documentation."""

    name: str
    title: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = field(default=())
    examples: tuple[str, ...] = field(default=())


def parse_question(path: Path | Traversable) -> Question:
    """Read one ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    name = path.name.removesuffix(".rq")
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": []}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            last = match.group(1)
            fields[last].append(match.group(2).strip())
        elif last and line.startswith("#  "):
            fields[last][-1] += " " + line[1:].strip()
    params = []
    for spec in fields["param"]:
        match = _PARAM.match(spec)
        if not match or match.group(2) not in PARAM_TYPES:
            raise ValueError(f"{path}: bad parameter line {spec!r}")
        params.append(Parameter(match.group(1), match.group(2), bool(match.group(3)),
                                match.group(4) or ""))
    return Question(name=name, title=" ".join(fields["title"]),
                    description=" ".join(fields["description"]), sparql=text,
                    parameters=tuple(params), examples=tuple(fields["example"]))


def all_questions() -> dict[str, Question]:
    """Every shipped question by name."""
    found = [parse_question(p) for p in query_file("named").iterdir() if p.name.endswith(".rq")]
    return {q.name: q for q in sorted(found, key=lambda q: q.name)}


def get_question(name: str) -> Question:
    """The question called ``name``; an unknown name lists the known ones."""
    questions = all_questions()
    if name not in questions:
        import difflib

        close = difflib.get_close_matches(name, questions, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QuestionError(f"unknown question '{name}'{hint} (kg ask --list shows all)")
    return questions[name]


def bind_parameters(question: Question, given: Mapping[str, str],
                    resolve_iri: Callable[[str], str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Typed RDF terms for the given ``name=value`` strings; checks names, types, required."""
    known = {p.name: p for p in question.parameters}
    for name in given:
        if name not in known:
            expected = ", ".join(known) or "none"
            raise QuestionError(f"question '{question.name}' has no parameter '{name}' "
                                f"(parameters: {expected})")
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in question.parameters:
        if param.name not in given:
            if not param.optional:
                raise QuestionError(f"question '{question.name}' needs --param "
                                    f"{param.name}=... ({param.type}: {param.description})")
            continue
        bindings[param.name] = to_term(param, given[param.name], resolve_iri)
    return bindings


def parse_count(name: str, raw: str) -> int:
    """A whole number as people type it: ``800000000``, ``800,000,000``, ``800M``, ``1.5B``.

    >>> parse_count("--mau", "800M")
    800000000
    """
    value = raw.strip()
    match = re.fullmatch(r"([0-9][0-9_,]*(?:\.[0-9]+)?)\s*([a-zA-Z]*)", value)
    scale = _SCALE.get(match.group(2).lower()) if match and match.group(2) else 1
    if not match or scale is None:
        raise QuestionError(f"{name} must be a whole number such as 800000000 or 800M, "
                            f"not {raw!r}")
    number = Decimal(match.group(1).replace("_", "").replace(",", "")) * scale
    if number != number.to_integral_value():
        raise QuestionError(f"{name} must be a whole number, not {raw!r}")
    return int(number)


def to_term(param: Parameter, raw: str, resolve_iri: Callable[[str], str]
            ) -> ox.NamedNode | ox.Literal:
    """Convert one parameter value to an RDF term of the parameter's type."""
    value = raw.strip()

    def wrong(expected: str) -> QuestionError:
        return QuestionError(f"parameter '{param.name}' must be {expected}, not {raw!r}")

    if param.type == "iri":
        return ox.NamedNode(resolve_iri(value))
    if param.type == "string":
        return ox.Literal(value)
    if param.type == "integer":
        count = parse_count(f"parameter '{param.name}'", value)
        return ox.Literal(str(count), datatype=ox.NamedNode(XSD + "integer"))
    if param.type == "decimal":
        try:
            return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(XSD + "decimal"))
        except InvalidOperation:
            raise wrong("a number") from None
    if param.type == "date":
        try:
            return ox.Literal(date.fromisoformat(value).isoformat(),
                              datatype=ox.NamedNode(XSD + "date"))
        except ValueError:
            raise wrong("a date as YYYY-MM-DD") from None
    if value.lower() not in ("true", "false", "yes", "no", "1", "0"):
        raise wrong("true or false")
    return ox.Literal("true" if value.lower() in ("true", "yes", "1") else "false",
                      datatype=ox.NamedNode(XSD + "boolean"))
