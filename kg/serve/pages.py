"""The pages of ``kg serve``, drawn in a query worker: an entity's page at ``/id/...`` (HTML,
or its triples as Turtle, N-Triples or JSON-LD), the search page and the named questions as
forms. Every label is escaped by the templates (Jinja2 autoescape).

>>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", ENTITY_FORMATS)
'html'
>>> negotiate("text/turtle;q=0.5, application/ld+json", ENTITY_FORMATS)
'jsonld'
"""

from __future__ import annotations

import re
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.namespaces import ID, compact
from kg.serve.answers import Answer, error

if TYPE_CHECKING:
    import jinja2

    from kg.landscape import Landscape

#: An entity's formats by media type, the first one the default.
ENTITY_FORMATS = {"text/html": "html", "application/xhtml+xml": "html",
                  "text/turtle": "ttl", "application/n-triples": "nt",
                  "application/ld+json": "jsonld"}
#: The suffixes that ask for a format in the address (``/id/model/llama-2.ttl``).
SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".html": "html"}
MEDIA = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
         "nt": "application/n-triples", "jsonld": "application/ld+json"}
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT_SOURCE = "http://purl.org/dc/terms/source"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
def negotiate(accept: str, offered: dict[str, str]) -> str | None:
    """The offered format the Accept header prefers (q-values honoured, ties by the client's
    order; ``*/*`` or no header: the first offered), or None if it accepts none of them.

    >>> negotiate("", {"text/turtle": "ttl"})
    'ttl'
    >>> negotiate("text/csv", {"text/turtle": "ttl"}) is None
    True
    """
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip().lower() for p in part.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in offered:
            fmt = offered[media]
        elif media in ("*/*", "", "*"):
            fmt = next(iter(offered.values()))
        elif media.endswith("/*"):
            fmt = next((f for m, f in offered.items() if m.startswith(media[:-1])), "")
            if not fmt:
                continue
        else:
            continue
        # an exact type beats a wildcard of the same quality
        rank = (quality, -position - (1000 if "*" in media or not media else 0), fmt)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else None


@cache
def _templates() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("kg.serve", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["href"] = href
    return env


def html(template: str, status: int = 200, **context: Any) -> Answer:
    """A page drawn from ``kg/serve/templates/TEMPLATE``."""
    text = _templates().get_template(template).render(**context)
    return Answer(status, MEDIA["html"], text.encode())


def href(iri: str) -> str:
    """Where a link to ``iri`` goes: this server's page for the graph's own ids, else the IRI.

    >>> href("https://w3id.org/ai-landscape-kg/id/model/llama-2")
    '/id/model/llama-2'
    >>> href("http://spdx.org/licenses/MIT")
    'http://spdx.org/licenses/MIT'
    >>> href("javascript:alert(1)")
    '#'
    """
    if iri.startswith(ID):
        return "/id/" + iri.removeprefix(ID)
    return iri if iri.startswith(("http://", "https://")) else "#"


def words(prop: str) -> str:
    """A property's compact name as words (``kg:releaseDate`` -> ``release date``).

    >>> words("kg:componentOpenness"), words("rdfs:label")
    ('component openness', 'rdfs:label')
    """
    if not prop.startswith("kg:"):
        return prop
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", prop[3:]).lower()


def not_found(path: str, accept: str) -> Answer:
    """The 404 answer for an address that names nothing: a page for a browser (its Accept
    names text/html), else one line of text."""
    if "text/html" in accept.lower():
        return html("notfound.html", 404, path=path)
    return error(HTTPStatus.NOT_FOUND, f"no such page: {path}")


# --------------------------------------------------------------------------- entities
def entity(landscape: Landscape, path: str, accept: str, params: dict[str, str]) -> Answer:
    """The answer for ``/id/PATH``: the entity's page or its triples, or 404."""
    from kg.queries import load_query
    from kg.store import results

    def exists(iri: str) -> bool:
        return bool(landscape.store.query(load_query("store/entity-exists"),
                                          {"entity": ox.NamedNode(iri)}).boolean)

    iri, fmt = ID + path, None
    if not _safe(iri) or not exists(iri):
        stem, dot, suffix = path.rpartition(".")
        if not dot or "." + suffix not in SUFFIXES or not _safe(ID + stem) \
                or not exists(ID + stem):
            return not_found("/id/" + path, accept)
        iri, fmt = ID + stem, SUFFIXES["." + suffix]
    if fmt is None:
        fmt = negotiate(accept, ENTITY_FORMATS)
        if fmt is None:
            return error(HTTPStatus.NOT_ACCEPTABLE, "an entity comes as "
                         + ", ".join(m for m in ENTITY_FORMATS))
    if fmt != "html":
        from kg.queries import load_query

        triples = landscape.store.query(load_query("serve/entity-triples"),
                                        {"entity": ox.NamedNode(iri)})
        return Answer(200, MEDIA[fmt], results.graph_text(triples, fmt).encode())
    return entity_page(landscape, iri, params)


def _safe(iri: str) -> bool:
    return not any(c in iri for c in ' <>"{}|\\^`\n\r\t')


def entity_page(landscape: Landscape, iri: str, params: dict[str, str]) -> Answer:
    """The HTML page of one entity: facts with footnoted sources, links, the licence memo of
    a model (for the situation in ``params``: mau, region, purpose), its timeline."""
    from kg.errors import KgError
    from kg.queries import load_query

    store, index = landscape.store, landscape.index
    bound = {"entity": ox.NamedNode(iri)}
    notes: dict[str, int] = {}

    def cite(source: str) -> int:
        return notes.setdefault(source, len(notes) + 1)

    by_node: dict[Any, list[tuple[str, Any]]] = {}
    for row in store.query(load_query("reports/entity-properties"), bound).solutions:
        by_node.setdefault(row["node"], []).append((row["property"].value, row["value"]))

    def value(term: Any, depth: int = 0) -> dict[str, Any]:
        if isinstance(term, ox.NamedNode):
            return {"kind": "link", "href": href(term.value), "id": compact(term.value),
                    "label": index.labels.get(term.value, compact(term.value))}
        if isinstance(term, ox.BlankNode):
            facts = facts_of(term, depth + 1) if depth < 4 else []
            return {"kind": "node", "facts": facts[0], "notes": facts[1]}
        text = term.value
        if isinstance(term, ox.Literal) and term.datatype.value.endswith(
                ("#integer", "#decimal")) and len(text) > 6:
            text = f"{text} ({_short_number(text)})"
        return {"kind": "text", "text": text}

    def facts_of(node: Any, depth: int = 0) -> tuple[list[dict[str, Any]], list[int]]:
        rows, own_notes = [], []
        for prop, term in sorted(by_node.get(node, []), key=lambda pt: (
                pt[0] != RDF_TYPE, compact(pt[0]), str(pt[1]))):
            if prop == DCT_SOURCE and isinstance(term, ox.NamedNode):
                own_notes.append(cite(compact(term.value)))
                continue
            if depth and prop == RDF_TYPE:
                continue  # a nested fact's type says what its property already says
            rows.append({"property": words(compact(prop)), "value": value(term, depth)})
        return rows, sorted(set(own_notes))

    facts, entity_notes = facts_of(ox.NamedNode(iri))
    referrers = [{"property": words(r["property"]), "link": value(ox.NamedNode(
                  _expand(r["subject"])))}
                 for r in store.query(load_query("reports/entity-referrers"), bound).rows()]
    events = []
    for event in timeline(landscape, iri):
        event_iri = _expand(str(event.get("event", "")))
        events.append({"date": str(event["date"]), "kind": event.get("kind", ""),
                       "link": value(ox.NamedNode(event_iri)) if event_iri else None,
                       "label": event.get("label", ""), "detail": event.get("detail") or "",
                       "notes": sorted({cite(s) for s in event.get("source") or []})})
    types = sorted(index.types.get(iri, ()))
    memo, problem = None, None
    situation = {k: params.get(k, "").strip() for k in ("mau", "region", "purpose")}
    if "kg:Model" in types:
        try:
            decision = landscape.can_use(iri, purpose=situation["purpose"] or "inference",
                                         mau=situation["mau"] or None,
                                         region=situation["region"] or None)
            memo = _memo(decision, cite)
        except KgError as err:
            problem = str(err)
    by_id = _sources(landscape, list(notes))
    footnotes = []
    for source, number in sorted(notes.items(), key=lambda kv: kv[1]):
        info = by_id.get(source, {})
        location = info.get("location", "")
        footnotes.append({"number": number, "id": source, "title": info.get("title", ""),
                          "date": info.get("date", ""), "location": location,
                          "href": location if location.startswith(("http://", "https://"))
                          else ""})
    label = index.labels.get(iri, compact(iri))
    return html("entity.html", 400 if problem else 200, label=label, iri=iri, id=compact(iri),
                types=types, facts=facts, entity_notes=entity_notes, referrers=referrers,
                events=events, memo=memo, problem=problem, situation=situation,
                footnotes=footnotes, path=href(iri))


def _sources(landscape: Landscape, ids: list[str]) -> dict[str, dict[str, str]]:
    """Title, date and location of each source id (``src:...``)."""
    from kg.queries import load_query
    from kg.store.remote import with_rows

    iris = [i for i in map(_expand, ids) if i and _safe(i)]
    if not iris:
        return {}
    found: dict[str, dict[str, str]] = {}
    query = with_rows(load_query("serve/source-details"), "source", map(ox.NamedNode, iris))
    for row in landscape.store.query(query).solutions:
        record = found.setdefault(compact(row["source"].value), {})
        for key in ("title", "date", "location"):
            if key in row and key not in record:
                record[key] = row[key].value
    return found


@cache
def _all_events(landscape: Landscape) -> tuple[dict[str, Any], ...]:
    """Every dated event of the (read-only) graph, read once per worker."""
    return tuple(landscape.timeline())


def timeline(landscape: Landscape, iri: str) -> list[dict[str, Any]]:
    """:meth:`Landscape.timeline` of one entity (its own events, as ``kg timeline NAME``
    lists them), filtered from the events read once: the events that are it, refer to it or
    belong to it as their lab."""
    from kg.queries import load_query

    rows = landscape.store.select(load_query("time/referring-entities"),
                                  {"entity": ox.NamedNode(iri)})
    own = compact(iri)
    related = {own} | {r["other"] for r in rows}
    return [e for e in _all_events(landscape) if e["event"] in related or e.get("lab") == own]


def warm(landscape: Landscape) -> None:
    """Build what the first page would otherwise wait for: the index and the events."""
    landscape.index  # noqa: B018 - a cached property
    _all_events(landscape)


def _expand(name: str) -> str:
    from kg.reports.entities import expand

    return expand(name) or ""


def _short_number(text: str) -> str:
    """``700000000`` -> ``700M``."""
    number = float(text)
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(number) >= size:
            return f"{number / size:.4g}{unit}"
    return text


def _memo(decision: Any, cite: Any) -> dict[str, Any]:
    """The sections of :func:`kg.policy.memo.memo` as data for the page; sources as
    footnotes shared with the rest of the page."""
    from kg.policy.verdicts import ALLOWED, UNKNOWN

    def item(r: dict[str, Any]) -> dict[str, Any]:
        where = ", ".join(str(x) for x in (r.get("term"), r.get("clause")) if x)
        scope = "; ".join(f"{k} {r[k]}" for k in ("variant", "purpose") if r.get(k))
        return {"where": where, "scope": scope, "why": r.get("why", ""),
                "notes": [cite(str(r["source"]))] if r.get("source") else []}

    deciding = [r for r in decision.reasons if r["effect"] == decision.verdict] or \
        [r for r in decision.reasons if r["effect"] not in ("note", ALLOWED)] or \
        decision.reasons
    return {"verdict": decision.verdict, "licences": decision.licences,
            "combined": decision.combined, "deciding": [item(r) for r in deciding],
            "versions": [item(r) for r in decision.reasons if r["effect"] == "note"],
            "duties": [item(d) for d in decision.duties],
            "unknown": decision.verdict == UNKNOWN or bool(decision.undecided),
            "undecided": decision.undecided, "variants": decision.variants,
            "purposes": decision.purposes if len(decision.purposes) > 1 else []}


# --------------------------------------------------------------------------- search
def search(landscape: Landscape, query: str, limit: int = 50) -> Answer:
    """The search page: the entities whose labels, aliases or ids match ``query``."""
    from kg.reports.entities import normalise

    query = query.strip()[:200]
    index = landscape.index
    found: list[str] = []
    if query:
        key = normalise(query)
        found += sorted(index.by_name.get(key, ()),
                        key=lambda i: (index.rank_of.get((key, i), 4), i))
        found += [i for i in index.closest(query, n=limit) if i not in found]
        if key and len(found) < limit:
            found += sorted(i for k, iris in index.by_name.items() if key in k
                            for i in iris if i not in found)[:limit - len(found)]
    hits = [{"href": href(i), "label": index.labels.get(i, compact(i)), "id": compact(i),
             "types": ", ".join(sorted(index.types.get(i, ())))}
            for i in dict.fromkeys(found) if i in index.labels][:limit]
    return html("search.html", 200, query=query, hits=hits)


# --------------------------------------------------------------------------- questions
def questions() -> Answer:
    """The named questions, each a link to its form."""
    from kg.queries.questions import all_questions

    return html("questions.html", 200, questions=list(all_questions().values()))


def question(landscape: Landscape, name: str, params: dict[str, str],
             max_rows: int) -> Answer:
    """A question's form and, once asked (``params`` has ``run``), its answer as a table."""
    from kg.errors import KgError
    from kg.queries.questions import get_question
    from kg.store.terms import python_value

    try:
        asked = get_question(name)
    except KgError as err:
        return html("notfound.html", 404, path=f"/questions/{name}", message=str(err))
    given = {k: v for k, v in params.items() if k != "run" and v.strip()}
    table, problem = None, None
    if "run" in params:
        try:
            result = landscape.ask_result(name, **given)
            rows = result.solutions[:max_rows]
            table = {"columns": result.variables, "rows": [
                [_cell(row.get(v), python_value, landscape) for v in result.variables]
                for row in rows], "total": len(result.solutions)}
        except KgError as err:
            problem = str(err)
    return html("question.html", 400 if problem else 200, question=asked, given=given,
                table=table, problem=problem, max_rows=max_rows)


def _cell(term: Any, python_value: Any, landscape: Landscape) -> dict[str, Any]:
    if term is None:
        return {"kind": "text", "text": ""}
    if isinstance(term, ox.NamedNode):
        return {"kind": "link", "href": href(term.value), "id": compact(term.value),
                "label": landscape.index.labels.get(term.value, compact(term.value))}
    return {"kind": "text", "text": str(python_value(term))}
