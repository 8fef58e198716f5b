"""`kg summary`: the landscape at a glance, each figure with its date."""

from __future__ import annotations

from typing import Any

from kg.store import GraphStore

COUNTED_TYPES = ("kg:Lab", "kg:Investor", "kg:Person", "kg:ModelFamily", "kg:Model",
                 "kg:Licence", "kg:Product", "kg:FundingRound", "kg:Investment", "kg:Valuation",
                 "kg:UserMetricObservation", "kg:Statement", "kg:Source")

_COUNTS = """
SELECT ?type (COUNT(DISTINCT ?x) AS ?count) WHERE {
    VALUES ?type { %s }
    ?x a ?type .
} GROUP BY ?type"""

_MODELS_PER_LAB = """
SELECT ?lab ?level (COUNT(DISTINCT ?m) AS ?models) WHERE {
    ?m a kg:Model ; kg:developer ?d ; kg:opennessLevel ?l .
    ?d rdfs:label ?lab . ?l skos:notation ?level .
} GROUP BY ?lab ?level ORDER BY ?lab"""

_RESTRICTIONS = """
SELECT ?licence ?a ?lo ?action ?condition ?clause (COUNT(DISTINCT ?m) AS ?models) WHERE {
    ?l a kg:Licence ; rdfs:label ?licence ; odrl:prohibition ?rule .
    ?rule odrl:action ?a ; kg:clause ?clause .
    OPTIONAL { ?a rdfs:label ?actionLabel }
    BIND (COALESCE(?actionLabel, REPLACE(STR(?a), "^.*[/#]", "")) AS ?action)
    OPTIONAL {
        ?rule odrl:constraint [ odrl:leftOperand ?lo ; odrl:operator ?op ; odrl:rightOperand ?ro ] .
        OPTIONAL { ?lo rdfs:label ?loLabel }
    }
    BIND (IF(BOUND(?ro), CONCAT(COALESCE(?loLabel, REPLACE(STR(?lo), "^.*[/#]", "")), " ",
             REPLACE(STR(?op), "^.*[/#]", ""), " ", STR(?ro)), "always") AS ?condition)
    OPTIONAL { ?m kg:licence ?l }
} GROUP BY ?licence ?a ?lo ?action ?condition ?clause"""

_LARGEST_ROUNDS = """
SELECT ?fundee ?round ?date ?amount ?currency
       (GROUP_CONCAT(DISTINCT ?leadLabel; separator=", ") AS ?lead) ?valuation WHERE {
    ?r a kg:FundingRound ; rdfs:label ?round ; kg:fundee [ rdfs:label ?fundee ] ; kg:date ?date ;
       kg:amount [ schema:value ?amount ; schema:currency ?currency ] .
    OPTIONAL { ?r kg:leadInvestor [ rdfs:label ?leadLabel ] }
    OPTIONAL { ?r kg:postMoneyValuation [ kg:amount [ schema:value ?valuation ] ] }
} GROUP BY ?fundee ?round ?date ?amount ?currency ?valuation
ORDER BY DESC(?amount) LIMIT 10"""

_LATEST_VALUATIONS = """
SELECT ?organisation ?valuation ?currency ?kind ?date WHERE {
    { SELECT ?o (MAX(?d) AS ?date) WHERE { ?any a kg:Valuation ; kg:organization ?o ;
                                                 kg:date ?d } GROUP BY ?o }
    ?v a kg:Valuation ; kg:organization ?o ; kg:date ?date ;
       kg:amount [ schema:value ?valuation ; schema:currency ?currency ] .
    ?o rdfs:label ?organisation .
    OPTIONAL { ?v kg:valuationKind ?kind }
} ORDER BY DESC(?valuation)"""

_PRODUCT_USERS = """
SELECT ?product ?provider ?metric ?users ?qualifier ?date WHERE {
    { SELECT ?p ?m (MAX(?d) AS ?date) WHERE { ?any kg:product ?p ; kg:metric ?m ;
                                                    kg:date ?d } GROUP BY ?p ?m }
    ?p a kg:Product ; rdfs:label ?product ; kg:provider [ rdfs:label ?provider ] .
    ?obs kg:product ?p ; kg:metric ?m ; kg:value ?users ; kg:date ?date .
    ?m skos:notation ?metric .
    OPTIONAL { ?obs kg:valueQualifier ?qualifier }
} ORDER BY DESC(?users)"""

#: Section name -> (title, columns).
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "counts": ("Counts by type", ("type", "count")),
    "models_per_lab": ("Models per lab and openness level", ()),
    "licence_restrictions": ("Licences with usage restrictions",
                             ("licence", "kind", "action", "condition", "clause", "models")),
    "largest_rounds": ("Largest funding rounds (amounts in their own currency)",
                       ("fundee", "round", "date", "amount", "currency", "lead", "valuation")),
    "latest_valuations": ("Latest valuations",
                          ("organisation", "valuation", "currency", "kind", "date")),
    "products": ("Products and their latest users",
                 ("product", "provider", "metric", "users", "qualifier", "date")),
}


def summarise(store: GraphStore) -> dict[str, list[dict[str, Any]]]:
    """The summary's sections, each a list of rows."""
    counts = {r["type"]: r["count"] for r in
              store.select(_COUNTS % " ".join(COUNTED_TYPES))}
    per_lab: dict[str, dict[str, Any]] = {}
    levels: list[str] = []
    for row in store.select(_MODELS_PER_LAB):
        per_lab.setdefault(row["lab"], {"lab": row["lab"]})[row["level"]] = row["models"]
        if row["level"] not in levels:
            levels.append(row["level"])
    for row in per_lab.values():
        row["total"] = sum(row.get(level, 0) for level in levels)
        for level in levels:
            row.setdefault(level, 0)
    return {
        "counts": [{"type": t.removeprefix("kg:"), "count": counts.get(t, 0)}
                   for t in COUNTED_TYPES],
        "models_per_lab": sorted(per_lab.values(), key=lambda r: (-r["total"], r["lab"])),
        "licence_restrictions": _restrictions(store),
        "largest_rounds": store.select(_LARGEST_ROUNDS),
        "latest_valuations": store.select(_LATEST_VALUATIONS),
        "products": store.select(_PRODUCT_USERS),
    }


def section_columns(name: str, rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """The columns of a section (the per-lab table's depend on the levels present)."""
    columns = SECTIONS[name][1]
    if columns:
        return columns
    levels = sorted({k for r in rows for k in r} - {"lab", "total"})
    return ("lab", *levels, "total")


def _restrictions(store: GraphStore) -> list[dict[str, Any]]:
    """Each licence prohibition with its kind (:func:`kg.policy.restrictions.kind_of`)."""
    from kg.policy.restrictions import kind_of

    rows = []
    for row in store.select(_RESTRICTIONS):
        action, operand = row.pop("a"), row.pop("lo", None)
        kind = kind_of({action}, {operand} if operand else set())
        rows.append({"licence": row["licence"], "kind": kind, **row})
    return sorted(rows, key=lambda r: (r["kind"], r["licence"], r["clause"]))
