"""The project's IRIs and the prefixes every query and export knows."""

from __future__ import annotations

from functools import cache

BASE = "https://w3id.org/ai-landscape-kg/"
KG = BASE + "ontology#"
ID = BASE + "id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ODRL = "http://www.w3.org/ns/odrl/2/"

#: Prefixes predeclared for SPARQL queries and bound in exports.
PREFIXES: dict[str, str] = {
    "kg": KG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "odrl": ODRL,
    "sh": "http://www.w3.org/ns/shacl#",
    "kgs": BASE + "shapes#",
    "spdx": "http://spdx.org/licenses/",
    "org": ID + "org/",
    "person": ID + "person/",
    "role": ID + "role/",
    "family": ID + "family/",
    "model": ID + "model/",
    "release": ID + "release/",
    "lic": ID + "licence/",
    "product": ID + "product/",
    "round": ID + "round/",
    "valuation": ID + "valuation/",
    "investment": ID + "investment/",
    "obs": ID + "observation/",
    "stmt": ID + "statement/",
    "src": ID + "source/",
    "level": ID + "openness/",
    "comp": ID + "component/",
    "grade": ID + "grade/",
    "cap": ID + "capability/",
    "metric": ID + "metric/",
    "platform": ID + "platform/",
    "region": ID + "region/",
    "purpose": ID + "purpose/",
    # the records of the public datasets (kg import NAME), one prefix per source
    "epoch": ID + "epoch/model/",
    "osai": ID + "osai/model/",
    "mof": ID + "mof/model/",
    "ecosystem-graphs": ID + "ecosystem-graphs/model/",
    # the project's own records of what each model's card says (data/datasets/model-cards.trig)
    "card": ID + "model-cards/model/",
}


@cache
def compact(iri: str) -> str:
    """Shorten an IRI with the longest matching prefix (``model:gpt-2``), else return it.

    >>> compact("https://w3id.org/ai-landscape-kg/id/model/gpt-2")
    'model:gpt-2'
    """
    best = ""
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            local = iri[len(ns):]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = name
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def sparql_prologue() -> str:
    """PREFIX declarations for every known prefix, to put before a query's text."""
    return "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())
