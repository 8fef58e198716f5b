"""Generate ``docs/ontology.md``: every class, property and controlled term with its comment.

Run ``python -m kg.schema.ontology_doc`` to rewrite the page; a test fails when it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import compact
from kg.resources import ontology_dir
from kg.store.load import ontology_files, parse_all
from kg.store.terms import rdflib_graph

#: The page in a checkout (docs/ beside ontology/).
DOC_PATH = ontology_dir().parent / "docs" / "ontology.md"
ODRL = rdflib.Namespace("http://www.w3.org/ns/odrl/2/")


def ontology_graph() -> rdflib.Graph:
    """The ontology and its vocabularies (not the shapes, not the data)."""
    return rdflib_graph(q for _, quads in parse_all(ontology_files()) for q in quads)


def _names(graph: rdflib.Graph, subject, predicate) -> str:
    values = sorted(compact(str(v)) for v in graph.objects(subject, predicate))
    return ", ".join(f"`{v}`" for v in values) or "—"


def _text(graph: rdflib.Graph, subject, predicate) -> str:
    value = graph.value(subject, predicate)
    return " ".join(str(value).split()) if value is not None else ""


def render(graph: rdflib.Graph) -> str:
    """The reference page as Markdown."""
    out = ["# Ontology reference", "",
           "Generated from `ontology/` by `python -m kg.schema.ontology_doc`; do not edit by hand.",
           "Terms are in `kg:` = `https://w3id.org/ai-landscape-kg/ontology#`.", ""]
    classes = sorted(set(graph.subjects(RDF.type, OWL.Class)), key=str)
    out += ["## Classes", "", "| class | subclass of | comment |", "|---|---|---|"]
    for cls in classes:
        out.append(f"| `{compact(str(cls))}` | {_names(graph, cls, RDFS.subClassOf)} | "
                   f"{_text(graph, cls, RDFS.comment)} |")
    for kind, title in ((OWL.ObjectProperty, "Object properties"),
                        (OWL.DatatypeProperty, "Datatype properties")):
        props = sorted(set(graph.subjects(RDF.type, kind)), key=str)
        out += ["", f"## {title}", "", "| property | domain | range | comment |",
                "|---|---|---|---|"]
        for prop in props:
            out.append(f"| `{compact(str(prop))}` | {_names(graph, prop, RDFS.domain)} | "
                       f"{_names(graph, prop, RDFS.range)} | {_text(graph, prop, RDFS.comment)} |")
    out += ["", "## ODRL extensions", "", "| term | kind | comment |", "|---|---|---|"]
    for kind in (ODRL.LeftOperand, ODRL.Action):
        for term in sorted(set(graph.subjects(RDF.type, kind)), key=str):
            out.append(f"| `{compact(str(term))}` | `{compact(str(kind))}` | "
                       f"{_text(graph, term, RDFS.comment)} |")
    out += ["", "## Controlled vocabularies (SKOS)", ""]
    for scheme in sorted(set(graph.subjects(RDF.type, SKOS.ConceptScheme)), key=str):
        out += [f"### {_text(graph, scheme, SKOS.prefLabel)} (`{compact(str(scheme))}`)", "",
                "| concept | label | definition |", "|---|---|---|"]
        for concept in sorted(set(graph.subjects(SKOS.inScheme, scheme)), key=str):
            label = next((str(v) for v in graph.objects(concept, SKOS.prefLabel)
                          if getattr(v, "language", None) in (None, "en")), "")
            out.append(f"| `{compact(str(concept))}` | {label} | "
                       f"{_text(graph, concept, SKOS.definition)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the page (or the path given as the first argument)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else DOC_PATH
    target.write_text(render(ontology_graph()), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
