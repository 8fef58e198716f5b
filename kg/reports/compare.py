"""`kg compare`: models side by side."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.store import GraphStore

_FACTS = """
SELECT ?model ?label ?developer ?family ?released ?level ?licence WHERE {
    ?model rdfs:label ?label ; kg:developer [ rdfs:label ?developer ] ;
           kg:releaseDate ?released ; kg:opennessLevel [ skos:notation ?level ] .
    OPTIONAL { ?model kg:family [ rdfs:label ?family ] }
    OPTIONAL { ?model kg:licence [ rdfs:label ?licence ] }
}"""

_MANY = """
SELECT ?model ?what ?value WHERE {
    {
        ?model kg:componentOpenness [ kg:component [ skos:notation ?c ] ;
                                      kg:grade [ skos:notation ?value ] ] .
        BIND (CONCAT("openness: ", ?c) AS ?what)
    } UNION {
        ?model kg:capability [ skos:prefLabel ?value ] . BIND ("capabilities" AS ?what)
    } UNION {
        ?model kg:parameterCount ?n . BIND ("parameters" AS ?what) BIND (STR(?n) AS ?value)
    } UNION {
        ?model kg:licence ?l . ?l odrl:prohibition ?rule .
        ?rule odrl:action ?a ; kg:clause ?clause .
        OPTIONAL { ?rule odrl:constraint [ odrl:leftOperand ?lo ; odrl:operator ?op ;
                                           odrl:rightOperand ?ro ] }
        BIND ("licence restrictions" AS ?what)
        BIND (CONCAT("no ", REPLACE(STR(?a), "^.*[/#]", ""),
                     IF(BOUND(?ro), CONCAT(" if ", REPLACE(STR(?lo), "^.*[/#]", ""), " ",
                                           REPLACE(STR(?op), "^.*[/#]", ""), " ", STR(?ro)), ""),
                     " (", ?clause, ")") AS ?value)
    }
}"""

#: Rows of the comparison, in order; component rows follow "licence restrictions".
FIELDS = ("developer", "family", "released", "level", "licence", "licence restrictions",
          "capabilities", "parameters")


def compare_models(store: GraphStore, iris: list[str]) -> list[dict[str, Any]]:
    """One record per model: developer, release date, openness level and per-component
    grades, licence with its restrictions, capabilities and sizes."""
    records = []
    for iri in iris:
        bound = {"model": ox.NamedNode(iri)}
        facts = store.select(_FACTS, bound)
        record: dict[str, Any] = dict(facts[0]) if facts else {"model": iri}
        for row in store.select(_MANY, bound):
            values = record.setdefault(row["what"], [])
            if row["value"] not in values:
                values.append(row["value"])
        for value in record.values():
            if isinstance(value, list):
                value.sort(key=lambda v: int(v) if str(v).isdigit() else str(v))
        records.append(record)
    return records


def comparison_rows(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The records turned sideways: one row per field, one column per model."""
    components = sorted({k for r in records for k in r if k.startswith("openness: ")})
    columns = ["field"] + [r.get("label", r["model"]) for r in records]
    rows = []
    for name in (*FIELDS, *components):
        row: dict[str, Any] = {"field": name}
        for record, column in zip(records, columns[1:], strict=True):
            row[column] = record.get(name)
        rows.append(row)
    return rows, columns
