"""The landscape through time: the graph as of a date, dated events, and what changed.

Facts that change are dated nodes (releases, rounds, valuations, user counts, statements,
roles) and models carry their release date, so "as of" is a filter: :func:`as_of_quads` keeps only
what had happened by then, and every read command answers from that view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyoxigraph as ox

from kg.namespaces import KG, PREFIXES, XSD
from kg.store import GraphStore
from kg.store.terms import date_term

#: Kept even when its object lies in the future: an announcement is about what is to come.
_ANNOUNCES = ox.NamedNode(KG + "announces")
#: Predicates whose object dates their subject, and the licence's date of issue.
_DATED_BY = {ox.NamedNode(KG + name) for name in ("releaseDate", "date", "launchDate")}
_ISSUED = ox.NamedNode(PREFIXES["dcterms"] + "issued")
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_LICENCE = ox.NamedNode(KG + "Licence")
_DATE_TYPES = {XSD + "date", XSD + "dateTime"}


def _day(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> date | None:
    """The day an xsd:date or xsd:dateTime literal names, else None (as SPARQL, which cannot
    compare other values with a date)."""
    if not isinstance(term, ox.Literal) or term.datatype.value not in _DATE_TYPES:
        return None
    try:
        return date.fromisoformat(term.value[:10])
    except ValueError:
        return None


def as_of_quads(quads: list[ox.Quad], day: date) -> list[ox.Quad]:
    """The quads of the graph as it stood on ``day``: everything dated later is left out
    (models not yet released, later rounds, valuations, user counts, statements, licence
    versions not yet issued), with the blank nodes that only they held and the links to
    them, except announcements of what was still to come. The same selection runs on a
    server as ``kg/queries/time/as-of-quads.rq``.
    """
    licences = {q.subject for q in quads if q.predicate == _TYPE and q.object == _LICENCE}
    later = set()
    children: dict[Any, list[Any]] = {}
    for q in quads:
        if isinstance(q.object, ox.BlankNode):
            children.setdefault(q.subject, []).append(q.object)
        if q.predicate in _DATED_BY or (q.predicate == _ISSUED and q.subject in licences):
            when = _day(q.object)
            if when is not None and when > day:
                later.add(q.subject)
    dropped = set(later)
    pending = list(later)
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in dropped:
                dropped.add(child)
                pending.append(child)
    return [q for q in quads if q.subject not in dropped
            and (q.object not in dropped or q.predicate == _ANNOUNCES)]


def remote_as_of(remote: GraphStore, day: date, backend: str = "oxigraph") -> GraphStore:
    """The graph of a SPARQL endpoint as it stood on ``day``: the server selects the quads
    (``time/as-of-quads.rq``), named graphs kept, and ``backend`` holds them locally."""
    from kg.queries import load_query
    from kg.store import OxigraphStore, RdflibStore

    answer = remote.query(load_query("time/as-of-quads"), {"asOf": date_term(day)})
    quads = [ox.Quad(row["s"], row["p"], row["o"], row.get("g", ox.DefaultGraph()))
             for row in answer.solutions]
    return RdflibStore(quads) if backend == "rdflib" else OxigraphStore.from_quads(quads)


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
    changes = []
    for name, query in (("valuation", _LATEST_VALUATION), ("users", _LATEST_USERS)):
        old = {r["subject"]: r for r in store.select(query, {"asOf": date_term(start)})}
        for row in store.select(query, {"asOf": date_term(end)}):
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
SELECT ?subject ?lab ?label ?value ?date ?source ?asOf WHERE {
    ?v a kg:Valuation ; kg:organization ?subject ; kg:date ?date ;
       kg:amount [ schema:value ?value ] .
    OPTIONAL { ?v dcterms:source ?source }
    ?subject rdfs:label ?name . BIND (?subject AS ?lab)
    BIND (CONCAT(?name, " valuation") AS ?label)
    FILTER (?date <= ?asOf)
    FILTER NOT EXISTS {
        ?later a kg:Valuation ; kg:organization ?subject ; kg:date ?d .
        FILTER (?d > ?date && ?d <= ?asOf)
    }
}"""

_LATEST_USERS = """
SELECT ?subject ?lab ?label ?value ?date ?source ?asOf WHERE {
    ?o a kg:UserMetricObservation ; kg:product ?product ; kg:metric ?metric ; kg:value ?value ;
       kg:date ?date .
    OPTIONAL { ?o dcterms:source ?source }
    ?product rdfs:label ?name ; kg:provider ?lab . ?metric skos:notation ?m .
    BIND (IRI(CONCAT(STR(?product), "#", ?m)) AS ?subject)
    BIND (CONCAT(?name, " ", ?m) AS ?label)
    FILTER (?date <= ?asOf)
    FILTER NOT EXISTS {
        ?newer kg:product ?product ; kg:metric ?metric ; kg:date ?d .
        FILTER (?d > ?date && ?d <= ?asOf)
    }
}"""

