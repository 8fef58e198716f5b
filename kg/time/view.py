"""The landscape through time: the graph as of a date, dated events, and what changed.

Facts that change are dated nodes (releases, rounds, valuations, user counts, statements,
roles) and models carry their release date, so "as of" is a filter: :func:`as_of_quads` keeps only
what had happened by then, and every read command answers from that view.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyoxigraph as ox

from kg.namespaces import KG, PREFIXES, XSD, compact
from kg.queries import load_query
from kg.store import GraphStore
from kg.store.terms import date_term, first_day

#: Kept even when its object lies in the future: an announcement is about what is to come.
_ANNOUNCES = ox.NamedNode(KG + "announces")
#: Predicates whose object dates their subject, and the licence's date of issue.
_DATED_BY = {ox.NamedNode(KG + name)
             for name in ("releaseDate", "date", "launchDate", "foundingDate")}
_ISSUED = ox.NamedNode(PREFIXES["dcterms"] + "issued")
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_LICENCE = ox.NamedNode(KG + "Licence")
_RELEASED_MODEL = ox.NamedNode(KG + "releasedModel")
_LEVEL = ox.NamedNode(KG + "opennessLevel")
_HAS_LICENCE = ox.NamedNode(KG + "licence")
_DATE = ox.NamedNode(KG + "date")
_DATE_TYPES = {XSD + "date", XSD + "dateTime", XSD + "gYearMonth", XSD + "gYear"}


def _day(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> date | None:
    """The day an xsd:date or xsd:dateTime literal names, the first day of an xsd:gYearMonth
    or xsd:gYear (a source that gives only the month), else None.

    >>> _day(ox.Literal("2023-07", datatype=ox.NamedNode(XSD + "gYearMonth")))
    datetime.date(2023, 7, 1)
    """
    if not isinstance(term, ox.Literal) or term.datatype.value not in _DATE_TYPES:
        return None
    text = term.value[:10]
    text += {4: "-01-01", 7: "-01"}.get(len(text), "")
    try:
        return date.fromisoformat(text)
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
    kept = [q for q in quads if q.subject not in dropped
            and (q.object not in dropped or q.predicate == _ANNOUNCES)]
    return without_orphans(openness_as_released(kept, tracked=_tracked(quads)),
                           ever_used=_used(quads))


#: Kinds that exist through the models that refer to them, when they carry no date of their
#: own: a family from its first model's release, a licence (without dcterms:issued) from the
#: first release of a model under it.
_DERIVED = {ox.NamedNode(KG + "ModelFamily"), _LICENCE}


#: How a model refers to its family and its terms.
_LINKS = {ox.NamedNode(KG + "family"), _HAS_LICENCE, ox.NamedNode(KG + "usagePolicy")}
_MODEL = ox.NamedNode(KG + "Model")


def _used(quads: list[ox.Quad]) -> set[Any]:
    """The families, licences and usage policies some model (not a dataset's record) refers
    to."""
    models = {q.subject for q in quads if q.predicate == _TYPE and q.object == _MODEL}
    return {q.object for q in quads if q.predicate in _LINKS and q.subject in models}


def without_orphans(quads: list[ox.Quad], ever_used: set[Any]) -> list[ox.Quad]:
    """``quads`` without the families and undated licences that models refer to
    (``ever_used``, at any date) but none in ``quads`` does: as of 1990 there is no Llama
    family and no Gemma licence. Those no model ever refers to stay: nothing dates them.

    >>> f = ox.NamedNode("http://x/f")
    >>> family = ox.Quad(f, _TYPE, ox.NamedNode(KG + "ModelFamily"))
    >>> without_orphans([family], ever_used={f}), without_orphans([family], ever_used=set())
    ([], [<Quad ...>])
    """
    kinds = {q.subject for q in quads
             if q.predicate == _TYPE and isinstance(q.object, ox.NamedNode)
             and q.object in _DERIVED}
    if not kinds:
        return quads
    dated = {q.subject for q in quads if q.predicate == _ISSUED and q.subject in kinds}
    used = _used(quads)
    orphans = {node for node in kinds
               if node not in dated and node in ever_used and node not in used}
    if not orphans:
        return quads
    return [q for q in quads if q.subject not in orphans and q.object not in orphans]


def _tracked(quads: list[ox.Quad]) -> set[Any]:
    """The models that have a release with an openness level (at any date)."""
    with_level = {q.subject for q in quads if q.predicate == _LEVEL}
    return {q.object for q in quads if q.predicate == _RELEASED_MODEL and q.subject in with_level}


def openness_as_released(quads: list[ox.Quad], tracked: set[Any] | None = None) -> list[ox.Quad]:
    """A model's openness level and licence as its latest release (``kg:Release`` with a
    ``kg:opennessLevel``) among ``quads`` left them: the model's own ``kg:opennessLevel`` and
    ``kg:licence`` state today's terms, so in a view of the past they are replaced by those of
    the last release still in it (a release that names no licence keeps today's when its
    level is today's), or dropped when none is (the model was out, its openness then
    unknown). Models without such releases keep theirs.

    Grok-2 came out through xAI's API on 2024-08-13 and its weights on 2025-08-23: as of
    2025-01-01 it is API-only.

    >>> m, r = ox.NamedNode("http://x/m"), ox.NamedNode("http://x/r")
    >>> api, ow = ox.NamedNode("http://x/api"), ox.NamedNode("http://x/ow")
    >>> view = openness_as_released([ox.Quad(m, _LEVEL, ow), ox.Quad(r, _RELEASED_MODEL, m),
    ...     ox.Quad(r, _DATE, ox.Literal("2024-08-13", datatype=ox.NamedNode(XSD + "date"))),
    ...     ox.Quad(r, _LEVEL, api)])
    >>> [q.object.value for q in view if q.subject == m]
    ['http://x/api']
    """
    latest: dict[Any, tuple[date, Any]] = {}
    released: dict[Any, Any] = {}
    when: dict[Any, date] = {}
    terms: dict[Any, dict[ox.NamedNode, list[Any]]] = {}
    for q in quads:
        if q.predicate == _RELEASED_MODEL:
            released[q.subject] = q.object
        elif q.predicate == _DATE:
            day = _day(q.object)
            if day is not None:
                when[q.subject] = day
        elif q.predicate in (_LEVEL, _HAS_LICENCE):
            terms.setdefault(q.subject, {}).setdefault(q.predicate, []).append(q.object)
    for release, model in released.items():
        if _LEVEL not in terms.get(release, {}) or release not in when:
            continue
        if model not in latest or when[release] >= latest[model][0]:
            latest[model] = (when[release], release)
    if tracked is None:
        tracked = _tracked(quads)
    if not tracked:
        return quads
    out: list[ox.Quad] = []
    own: dict[Any, list[ox.Quad]] = {}
    for q in quads:
        if q.subject in tracked and q.predicate in (_LEVEL, _HAS_LICENCE):
            own.setdefault(q.subject, []).append(q)
        else:
            out.append(q)
    for model, (_, release) in latest.items():
        state = terms[release]
        today = {q.object for q in own.get(model, []) if q.predicate == _LEVEL}
        graph = next((q.graph_name for q in own.get(model, [])), ox.DefaultGraph())
        out.extend(ox.Quad(model, _LEVEL, level, graph) for level in state[_LEVEL])
        if _HAS_LICENCE in state:
            out.extend(ox.Quad(model, _HAS_LICENCE, lic, graph) for lic in state[_HAS_LICENCE])
        elif today == set(state[_LEVEL]):  # a release that names no licence: today's holds
            out.extend(q for q in own.get(model, []) if q.predicate == _HAS_LICENCE)
    return out


def remote_as_of(remote: GraphStore, day: date, backend: str = "oxigraph") -> GraphStore:
    """The graph of a SPARQL endpoint as it stood on ``day``: the server selects the quads
    (``time/as-of-quads.rq``), named graphs kept, and ``backend`` holds them locally."""
    from kg.store import in_memory

    answer = remote.query(load_query("time/as-of-quads"), {"asOf": date_term(day)})
    quads = []
    for row in answer.solutions:
        subject, predicate, graph = row["s"], row["p"], row.get("g", ox.DefaultGraph())
        assert not isinstance(subject, ox.Literal) and isinstance(predicate, ox.NamedNode)
        assert not isinstance(graph, ox.Literal)
        quads.append(ox.Quad(subject, predicate, row["o"], graph))
    with_releases = remote.query(load_query("time/models-with-releases"), {})
    tracked = {row["model"] for row in with_releases.solutions}
    ever_used = {row["x"] for row in
                 remote.query(load_query("time/families-and-licences-used"), {}).solutions}
    return in_memory(without_orphans(openness_as_released(quads, tracked), ever_used),
                     backend)


def events(store: GraphStore, entity: str | None = None,
           with_competitors: bool = False) -> list[dict[str, Any]]:
    """Every dated event in date order (one row per event, sources joined); with ``entity``
    only its own: the events that are it, refer to it, or belong to it as their lab
    (``with_competitors`` adds those of every entity it is linked to either way)."""
    rows = store.select(load_query("time/events"))
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row["date"], row["kind"], row["event"], row.get("lab"))
        record = merged.setdefault(key, {**row, "source": []})
        if row.get("source") and row["source"] not in record["source"]:
            record["source"].append(row["source"])
    found = list(merged.values())
    for record in found:  # engines return rows in no fixed order
        record["source"].sort()
    if entity is not None:
        related = _related(store, entity, both_ways=with_competitors)
        own = compact(entity)
        found = [r for r in found if r["event"] in related or r.get("lab") == own
                 or (with_competitors and r.get("lab") in related)]
        # an event of several labs (a jointly developed model) once, as the entity's own
        ours = {r["event"] for r in found if r.get("lab") == own}
        found = [r for r in found if r.get("lab") == own or r["event"] not in ours]
    # a source may give only the month or year ("2023-07"): it sorts from its first day
    found.sort(key=lambda r: (first_day(r["date"]) or date.min, str(r["date"]), r["kind"],
                              r["label"]))
    return found


def _related(store: GraphStore, iri: str, both_ways: bool) -> set[str]:
    """The entity itself and the nodes that refer to it (``both_ways``: or that it refers
    to)."""
    query = load_query("time/related-entities") if both_ways else \
        load_query("time/referring-entities")
    rows = store.select(query, {"entity": ox.NamedNode(iri)})
    return {compact(iri)} | {r["other"] for r in rows}


def diff(store: GraphStore, start: date, end: date) -> list[dict[str, Any]]:
    """What was added or changed between ``start`` (exclusive) and ``end`` (inclusive),
    one row per change, grouped by lab: new events, and valuations and user counts that
    moved (with the value before and after)."""
    added = [dict(r, change="added") for r in events(store)
             if start < (first_day(r["date"]) or date.min) <= end]
    changes = []
    for name, query in (("valuation", load_query("time/latest-valuations-as-of")),
                        ("users", load_query("time/latest-users-as-of"))):
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
    rows.sort(key=lambda r: (r.get("lab") or "", first_day(r["date"]) or date.min,
                             str(r["date"]), r["kind"]))
    return rows
