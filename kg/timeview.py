"""The landscape through time: the graph as of a date, dated events, and what changed.

Facts that change are dated nodes (releases, rounds, valuations, user counts, statements,
roles) and models carry their release date, so "as of" is a filter: :func:`as_of` keeps only
what had happened by then, and every read command answers from that view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyoxigraph as ox

from kg.namespaces import KG
from kg.store import GraphStore, OxigraphStore

_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
#: Kept even when its object lies in the future: an announcement is about what is to come.
_ANNOUNCES = ox.NamedNode(KG + "announces")

_LATER = """
SELECT DISTINCT ?asOf ?node WHERE {
    { ?node kg:releaseDate ?when } UNION { ?node kg:date ?when }
    UNION { ?node a kg:Licence ; dcterms:issued ?when }
    UNION { ?node kg:launchDate ?when }
    FILTER (?when > ?asOf)
}"""


def date_term(day: date) -> ox.Literal:
    """An xsd:date literal."""
    return ox.Literal(day.isoformat(), datatype=_XSD_DATE)


def as_of(store: GraphStore, day: date) -> OxigraphStore:
    """A copy of the graph as it stood on ``day``: everything dated later is left out
    (models not yet released, later rounds, valuations, user counts, statements, licence
    versions not yet issued), with the blank nodes that only they held and the links to
    them, except announcements of what was still to come."""
    later = {row["node"] for row in store.query(_LATER, {"asOf": date_term(day)}).solutions}
    quads = list(store.quads())
    children: dict[Any, list[Any]] = {}
    for q in quads:
        if isinstance(q.object, ox.BlankNode):
            children.setdefault(q.subject, []).append(q.object)
    dropped = set(later)
    pending = list(later)
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in dropped:
                dropped.add(child)
                pending.append(child)
    return OxigraphStore.from_quads(
        q for q in quads if q.subject not in dropped
        and (q.object not in dropped or q.predicate == _ANNOUNCES))


_EVENTS = """
SELECT ?date ?kind ?event ?label ?lab ?detail ?source WHERE {
    {
        ?event a kg:Model ; kg:releaseDate ?date ; rdfs:label ?label ; kg:developer ?lab .
        OPTIONAL { ?event kg:opennessLevel [ skos:notation ?detail ] }
        BIND ("model release" AS ?kind)
    } UNION {
        ?event a kg:FundingRound ; kg:date ?date ; kg:fundee ?lab ;
               kg:amount [ schema:value ?v ; schema:currency ?c ] .
        OPTIONAL { ?event rdfs:label ?roundLabel }
        BIND (COALESCE(?roundLabel, "funding round") AS ?label)
        BIND (CONCAT(STR(?v), " ", ?c) AS ?detail) BIND ("funding round" AS ?kind)
    } UNION {
        ?event a kg:Investment ; kg:date ?date ; kg:fundee ?lab .
        OPTIONAL { ?event rdfs:label ?investmentLabel }
        OPTIONAL { ?event kg:amount [ schema:value ?iv ; schema:currency ?ic ] }
        BIND (COALESCE(?investmentLabel, "investment") AS ?label)
        BIND (IF(BOUND(?iv), CONCAT(STR(?iv), " ", ?ic), "amount undisclosed") AS ?detail)
        BIND ("investment" AS ?kind)
    } UNION {
        ?event a kg:Valuation ; kg:date ?date ; kg:organization ?lab ;
               kg:amount [ schema:value ?v ; schema:currency ?c ] .
        OPTIONAL { ?event rdfs:label ?valuationLabel }
        BIND (COALESCE(?valuationLabel, "valuation") AS ?label)
        BIND (CONCAT(STR(?v), " ", ?c) AS ?detail) BIND ("valuation" AS ?kind)
    } UNION {
        ?event a kg:UserMetricObservation ; kg:date ?date ; kg:value ?v ;
               kg:product ?p ; kg:metric [ skos:notation ?m ] .
        ?p rdfs:label ?productLabel ; kg:provider ?lab .
        BIND (CONCAT(?productLabel, " users") AS ?label)
        BIND (CONCAT(STR(?v), " ", ?m) AS ?detail) BIND ("user count" AS ?kind)
    } UNION {
        ?event a kg:Statement ; kg:date ?date ; kg:speaker ?speaker .
        OPTIONAL { ?event rdfs:label ?statementLabel }
        OPTIONAL { ?role kg:person ?speaker ; kg:organization ?lab }
        ?speaker rdfs:label ?speakerLabel .
        BIND (COALESCE(?statementLabel, "statement") AS ?label)
        BIND (?speakerLabel AS ?detail) BIND ("statement" AS ?kind)
    } UNION {
        ?event a kg:Licence ; dcterms:issued ?date ; rdfs:label ?label .
        OPTIONAL { ?event kg:licensor ?lab }
        BIND ("licence issued" AS ?kind)
    } UNION {
        ?event a kg:Release ; kg:date ?date ; kg:releasedModel ?m .
        ?m kg:developer ?lab ; rdfs:label ?modelLabel .
        OPTIONAL { ?event rdfs:label ?releaseLabel }
        BIND (COALESCE(?releaseLabel, CONCAT(?modelLabel, " release")) AS ?label)
        BIND ("release" AS ?kind)
    }
    OPTIONAL { ?event dcterms:source ?source }
}"""


def events(store: GraphStore, entity: str | None = None) -> list[dict[str, Any]]:
    """Every dated event in date order (one row per event, sources joined); with ``entity``
    only the events that are it, concern it directly, or belong to it as their lab."""
    rows = store.select(_EVENTS)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row["date"], row["kind"], row["event"], row.get("lab"))
        record = merged.setdefault(key, {**row, "source": []})
        if row.get("source") and row["source"] not in record["source"]:
            record["source"].append(row["source"])
    found = list(merged.values())
    if entity is not None:
        related = _related(store, entity)
        found = [r for r in found if r["event"] in related or r.get("lab") in related]
    found.sort(key=lambda r: (r["date"], r["kind"], r["label"]))
    return found


def _related(store: GraphStore, iri: str) -> set[str]:
    """The entity itself and the nodes that refer to it or that it refers to."""
    from kg.namespaces import compact

    rows = store.select("""
        SELECT ?entity ?other WHERE {
            { ?entity ?p ?other } UNION { ?other ?p ?entity } FILTER (isIRI(?other))
        }""", {"entity": ox.NamedNode(iri)})
    return {compact(iri)} | {r["other"] for r in rows}


def diff(store: GraphStore, start: date, end: date) -> list[dict[str, Any]]:
    """What was added or changed between ``start`` (exclusive) and ``end`` (inclusive),
    one row per change, grouped by lab: new events, and valuations and user counts that
    moved (with the value before and after)."""
    added = [dict(r, change="added") for r in events(store) if start < r["date"] <= end]
    before, after = as_of(store, start), as_of(store, end)
    changes = []
    for name, query in (("valuation", _LATEST_VALUATION), ("users", _LATEST_USERS)):
        old = {r["subject"]: r for r in before.select(query)}
        for row in after.select(query):
            prior = old.get(row["subject"])
            if prior and prior["value"] != row["value"]:
                changes.append({
                    "lab": row["lab"], "date": row["date"], "kind": name,
                    "change": "changed", "label": row["label"],
                    "detail": f"{prior['value']} ({prior['date']}) -> {row['value']}",
                    "event": row["subject"], "source": [row["source"]]})
    rows = added + changes
    rows.sort(key=lambda r: (r.get("lab") or "", r["date"], r["kind"]))
    return rows


_LATEST_VALUATION = """
SELECT ?subject ?lab ?label ?value ?date ?source WHERE {
    ?v a kg:Valuation ; kg:organization ?subject ; kg:date ?date ;
       kg:amount [ schema:value ?value ] .
    OPTIONAL { ?v dcterms:source ?source }
    ?subject rdfs:label ?name . BIND (?subject AS ?lab)
    BIND (CONCAT(?name, " valuation") AS ?label)
    FILTER NOT EXISTS {
        ?later a kg:Valuation ; kg:organization ?subject ; kg:date ?d . FILTER (?d > ?date)
    }
}"""

_LATEST_USERS = """
SELECT ?subject ?lab ?label ?value ?date ?source WHERE {
    ?o a kg:UserMetricObservation ; kg:product ?product ; kg:metric ?metric ; kg:value ?value ;
       kg:date ?date .
    OPTIONAL { ?o dcterms:source ?source }
    ?product rdfs:label ?name ; kg:provider ?lab . ?metric skos:notation ?m .
    BIND (IRI(CONCAT(STR(?product), "#", ?m)) AS ?subject)
    BIND (CONCAT(?name, " ", ?m) AS ?label)
    FILTER NOT EXISTS {
        ?newer kg:product ?product ; kg:metric ?metric ; kg:date ?d . FILTER (?d > ?date)
    }
}"""
