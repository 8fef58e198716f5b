"""The Python API: one object that loads the graph and answers everything the CLI and the
server answer. Every ``kg`` command parses its options, calls one method here and renders
what it returns.

>>> from kg import Landscape
>>> ls = Landscape.load()
>>> ls.query("SELECT ?year WHERE { model:gpt-2 kg:releaseDate ?d BIND (YEAR(?d) AS ?year) }")
[{'year': 2019}]
>>> ls.resolve("LLaMA 2")
'https://w3id.org/ai-landscape-kg/id/model/llama-2'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.store import GraphStore, QueryResult
from kg.store.terms import to_term

if TYPE_CHECKING:
    import networkx as nx

    from kg.policy.licences import Decision, Situation
    from kg.reports.entities import EntityIndex
    from kg.schema.validate import ValidationReport
    from kg.store.load import Subject

#: The query engines :meth:`Landscape.load` offers.
BACKENDS = ("oxigraph", "rdflib")


class EmptyGraph(KgError):
    """The graph loaded without a single triple: nothing could be answered from it."""


class Landscape:
    """The loaded landscape graph. Build it with :meth:`load`.

    ``store`` answers SPARQL (:class:`kg.store.GraphStore`), ``files`` lists what it was
    loaded from (empty for a remote endpoint), ``as_of`` is the date of a time-travel view.
    """

    def __init__(self, store: GraphStore, files: list[Path] | None = None,
                 as_of: date | None = None) -> None:
        self.store = store
        self.files = list(files or [])
        self.as_of = as_of

    @classmethod
    def load(cls, data: Iterable[str | Path] = (), *, defaults: bool = True,
             backend: str = "oxigraph", store_path: str | Path | None = None,
             cache: bool = True, as_of: date | None = None,
             endpoint: str | None = None, sources: Iterable[str] | None = None) -> Landscape:
        """Load the shipped graph (unless ``defaults`` is false) plus ``data`` files or folders.

        ``backend`` is ``"oxigraph"`` (default, embedded) or ``"rdflib"`` (plain memory). With
        Oxigraph the parsed graph is kept in an on-disk store, under ``store_path`` or the
        user cache folder, and reused until a file changes; ``cache=False`` keeps it in memory.
        With ``as_of``, the landscape is the one that stood on that date, in the same backend.
        With ``endpoint`` (a SPARQL 1.1 query URL) every read goes to that server; with
        ``as_of`` as well, the server selects what stood on that date. ``sources`` keeps
        only some sources ("curated", "epoch", ...; default all), fused afresh.

        >>> Landscape.load(backend="rdflib", as_of=date(2020, 1, 1)).store.backend
        'rdflib'
        """
        from kg.store.load import graph_files, home_dir, load_store

        if backend not in BACKENDS:
            raise KgError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
        if endpoint is not None:
            from kg.store.remote import RemoteStore

            if sources is not None:
                raise KgError("--sources chooses among local files; an endpoint serves "
                              "what it holds")
            remote = RemoteStore(endpoint)
            if as_of is None:
                return cls(remote)
            from kg.time.view import remote_as_of

            return cls(remote_as_of(remote, as_of, backend), as_of=as_of)
        files = graph_files(data, defaults=defaults, home=home_dir(store_path),
                            sources=sources)
        store = load_store(files, backend=backend, cache=cache, store_path=store_path,
                           as_of=as_of)
        if len(store) == 0:
            raise EmptyGraph("the graph is empty: " + (
                "the files given hold no triples" if files else "no files to load"))
        return cls(store, files, as_of)

    # -- SPARQL -----------------------------------------------------------------------
    def result(self, sparql: str, *, timeout: float | None = None,
               allow_service: bool = False, **bindings: Any) -> QueryResult:
        """Run any query form and return the raw :class:`~kg.store.QueryResult`; keyword
        arguments bind query variables (Python values or pyoxigraph terms).

        >>> Landscape.load().result("ASK { ?m a kg:Model }").boolean
        True
        """
        terms = {name: to_term(value) for name, value in bindings.items()}
        return self.store.query(sparql, terms, timeout=timeout, allow_service=allow_service)

    def query(self, sparql: str, *, timeout: float | None = None, allow_service: bool = False,
              **bindings: Any) -> list[dict[str, Any]] | bool | list[tuple[Any, Any, Any]]:
        """Rows (SELECT), a boolean (ASK) or (s, p, o) tuples (CONSTRUCT, DESCRIBE) as plain
        Python values. Keyword arguments bind query variables (projected in the SELECT).

        >>> Landscape.load().query("SELECT ?m ?l WHERE { ?m rdfs:label ?l }", m=ox.NamedNode(
        ...     "https://w3id.org/ai-landscape-kg/id/model/gpt-2"))
        [{'m': 'model:gpt-2', 'l': 'GPT-2'}]
        """
        answer = self.result(sparql, timeout=timeout, allow_service=allow_service, **bindings)
        if answer.kind == "ask":
            return bool(answer.boolean)
        if answer.kind == "graph":
            from kg.store.terms import python_value

            return [(python_value(t.subject), python_value(t.predicate), python_value(t.object))
                    for t in answer.triples]
        return answer.rows()

    # -- names ------------------------------------------------------------------------
    @cached_property
    def index(self) -> EntityIndex:
        """The entity index behind :meth:`resolve` (built on first use)."""
        from kg.reports.entities import EntityIndex

        return EntityIndex.build(self.store)

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> str:
        """The IRI a loose name denotes ("llama 2", "Llama-2", "model:llama-2", an IRI).

        Raises :class:`kg.reports.entities.EntityNotFound` (exit 1) for an unknown name.

        >>> Landscape.load().resolve("model:llama-2")
        'https://w3id.org/ai-landscape-kg/id/model/llama-2'
        """
        from kg.queries import load_query
        from kg.reports.entities import expand

        iri = expand(name)
        if iri is not None and not kinds and self.store.query(
                load_query("store/entity-exists"), {"entity": ox.NamedNode(iri)}).boolean:
            return iri  # a known id needs no index
        return self.index.resolve(name, kinds)

    def iri(self, name: str) -> ox.NamedNode:
        """:meth:`resolve` as a term, for use as a query binding.

        >>> Landscape.load().iri("OpenAI").value
        'https://w3id.org/ai-landscape-kg/id/org/openai'
        """
        return ox.NamedNode(self.resolve(name))

    # -- the answers of the commands ----------------------------------------------------
    def ask(self, name: str, **params: str) -> list[dict[str, Any]]:
        """The rows of the named question ``name``; parameters are strings as a user types
        them (names are resolved like :meth:`resolve`).

        >>> rows = Landscape.load().ask("funding-round", round="round:openai-2025-03")
        >>> rows[0]["total"]
        40000000000
        """
        return self.ask_result(name, **params).rows()

    def ask_result(self, name: str, **params: str) -> QueryResult:
        """:meth:`ask` as the raw :class:`~kg.store.QueryResult` (for the standard result
        formats of ``kg serve``)."""
        from kg.queries.questions import bind_parameters, get_question

        question = get_question(name)
        bindings = bind_parameters(question, params, self.resolve)
        return self.store.query(question.sparql, bindings)

    def summary(self) -> dict[str, list[dict[str, Any]]]:
        """The landscape at a glance, as sections of rows: see
        :func:`kg.reports.summary.summarise`.

        >>> sorted(Landscape.load().summary())[:2]
        ['counts', 'largest_rounds']
        """
        from kg.reports.summary import summarise

        return summarise(self.store)

    def show(self, name: str) -> dict[str, Any]:
        """Everything about one entity, with sources: see :func:`kg.reports.entities.describe`.

        >>> Landscape.load().show("GPT-2")["id"]
        'model:gpt-2'
        """
        from kg.reports.entities import describe

        return describe(self.store, self.index, self.resolve(name))

    def compare(self, *names: str) -> list[dict[str, Any]]:
        """Models side by side: see :func:`kg.reports.compare.compare_models`.

        >>> [r["label"] for r in Landscape.load().compare("GPT-2", "Llama 2")]
        ['GPT-2', 'Llama 2']
        """
        from kg.reports.compare import compare_models

        return compare_models(self.store, [self.resolve(n, ("kg:Model",)) for n in names])

    def sources(self) -> list[dict[str, Any]]:
        """Each source with its title, date, location and citation count.

        >>> any(s["facts"] > 0 for s in Landscape.load().sources())
        True
        """
        from kg.reports.sources import list_sources

        return list_sources(self.store)

    def unknown_terms(self, sparql: str) -> list[str]:
        """The ``kg:`` terms a query names that the ontology does not declare, each with the
        closest declared ones: why a query about ``kg:Modell`` finds nothing.

        >>> Landscape.load().unknown_terms("SELECT ?m WHERE { ?m a kg:Modell }")
        ['kg:Modell (closest: kg:Model, kg:ModelFamily)']
        """
        import difflib
        import re

        from kg.namespaces import KG
        from kg.queries import load_query
        from kg.store.base import masked

        declared = {r["term"].value.removeprefix(KG)
                    for r in self.store.query(load_query("store/ontology-terms")).solutions}
        named = dict.fromkeys(re.findall(r"(?<![\w:])kg:([A-Za-z_][\w-]*)", masked(sparql)))
        found = []
        for name in named:
            if name not in declared:
                near = difflib.get_close_matches(name, sorted(declared), n=3, cutoff=0.6)
                hint = f" (closest: {', '.join('kg:' + n for n in near)})" if near else ""
                found.append(f"kg:{name}{hint}")
        return found

    def labels_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The display label of each compact id (``org:openai`` -> ``OpenAI``) that has one.

        >>> Landscape.load().labels_of(["org:openai", "model:nothing-here"])
        {'org:openai': 'OpenAI'}
        """
        from kg.namespaces import compact
        from kg.queries import load_query
        from kg.reports.entities import expand
        from kg.store.remote import with_rows

        terms = []
        for iri in sorted({iri for iri in map(expand, ids) if iri}):
            try:
                terms.append(ox.NamedNode(iri))
            except ValueError:  # not an IRI (a space, a quote): no entity has it
                continue
        if not terms:
            return {}
        query = with_rows(load_query("reports/labels-of"), "entity", terms)
        return {compact(r["entity"].value): r["label"].value
                for r in self.store.query(query).solutions}

    def source_urls(self) -> dict[str, str]:
        """Each source's compact id and its address (a URL, or a local path), read once per
        landscape (a summary prints six tables with footnotes).

        >>> Landscape.load().source_urls()["src:meta-llama-2-license"].startswith("https://")
        True
        """
        return dict(self._source_urls)

    @cached_property
    def _source_urls(self) -> dict[str, str]:
        from kg.queries import load_query

        return {str(r["source"]): str(r["url"])
                for r in self.store.select(load_query("reports/source-urls"))}

    def conflicts(self, name: str | None = None) -> list[dict[str, Any]]:
        """Facts on which sources disagree (of the model ``name`` only, if given), each
        source's value, the value shown and why: see :func:`kg.reports.conflicts.conflicts`.
        The curated data alone has none:

        >>> Landscape.load(sources=["curated"]).conflicts("Llama 2")
        []
        """
        from kg.reports.conflicts import conflicts

        return conflicts(self.store, self.resolve(name, ("kg:Model",)) if name else None)

    def resolve_entity(self, name: str, source: str | None = None) -> dict[str, Any]:
        """The canonical entity a name (or one source's record of it) resolves to, with the
        sources that describe it: see :func:`kg.reports.resolution.resolve_name`.

        >>> Landscape.load().resolve_entity("Llama 2")["sources"][0]
        'curated'
        """
        from kg.reports.resolution import resolve_name

        return resolve_name(self.store, self.index, name, source)

    def review(self) -> list[dict[str, Any]]:
        """The pairs record linkage found alike but did not merge (``kg review``)."""
        from kg.reports.resolution import review

        return review(self.store)

    def pin(self, a: str, b: str, *, same: bool, store_path: str | Path | None = None
            ) -> Path:
        """Pin the decision that ids ``a`` and ``b`` are one model (``same``) or two, in
        ``decisions.ttl`` of the store folder; the next load honours it."""
        from kg.reports.resolution import pin
        from kg.store.load import home_dir

        return pin(home_dir(store_path), a, b, same, self.store)

    # -- licences as policy, and time -------------------------------------------------
    def can_use(self, name: str, *, purpose: str | Sequence[str] = "inference",
                commercial: bool = True, mau: int | str | None = None,
                region: str | None = None) -> Decision:
        """May a licensee in this situation use the model ``name``? ``purpose`` is one
        purpose or several (the least permissive verdict holds, each is reported); ``mau``
        may be a number or text such as ``"800M"``; ``region`` an ISO 3166-1 alpha-2 code
        or EU / EEA. Returns a :class:`kg.policy.licences.Decision` with the verdict and
        every term that decided it.

        >>> Landscape.load().can_use("Llama 2", mau="800M").verdict
        'needs a separate licence'
        """
        from kg.policy.licences import evaluate_many

        situation = self._situation(purpose, commercial, mau, region)
        return evaluate_many(self.store, [self.resolve(name, ("kg:Model",))], situation)[0]

    def can_use_all(self, *, purpose: str | Sequence[str] = "inference",
                    commercial: bool = True, mau: int | str | None = None,
                    region: str | None = None) -> list[Decision]:
        """:meth:`can_use` for every model, most permissive first.

        >>> Landscape.load().can_use_all(mau="1M")[0].verdict
        'allowed'
        """
        from kg.policy.licences import evaluate_many
        from kg.policy.verdicts import rank
        from kg.queries import load_query

        situation = self._situation(purpose, commercial, mau, region)
        models = [row["m"].value for row in self.store.query(load_query("store/models")).solutions]
        decisions = evaluate_many(self.store, models, situation)
        return sorted(decisions, key=lambda d: (rank(d.verdict), d.label))

    def _situation(self, purpose: str | Sequence[str], commercial: bool,
                   mau: int | str | None, region: str | None) -> Situation:
        from kg.policy.licences import Situation
        from kg.policy.regions import check_region
        from kg.queries import load_query
        from kg.queries.questions import parse_count

        users = parse_count("--mau", mau) if isinstance(mau, str) else mau
        if region is not None:
            groups = {r["code"] for r in self.store.select(load_query("policy/region-groups"))}
            region = check_region(region, groups)
        wanted = [purpose] if isinstance(purpose, str) else list(purpose)
        purposes = tuple(dict.fromkeys(p.strip() for item in wanted for p in item.split(",")
                                       if p.strip()))
        return Situation(purposes, commercial, users, region, self.as_of)

    def timeline(self, name: str | None = None,
                 with_competitors: bool = False) -> list[dict[str, Any]]:
        """Dated events in order (releases, rounds, valuations, user counts, statements,
        licence versions), all of them or those of one entity (its own; with
        ``with_competitors`` also those of the entities linked to it).

        >>> Landscape.load().timeline("GPT-2")[0]["date"]
        datetime.date(2019, 2, 14)
        """
        from kg.time.view import events

        return events(self.store, self.resolve(name) if name else None, with_competitors)

    def diff(self, start: date, end: date) -> list[dict[str, Any]]:
        """What was added or changed after ``start`` up to ``end``, by lab.

        >>> changes = Landscape.load().diff(date(2025, 1, 1), date(2025, 12, 31))
        >>> {"model:gpt-oss-120b", "round:openai-2025-03"} <= {c["event"] for c in changes}
        True
        """
        from kg.time.view import diff

        if end < start:
            raise KgError(f"END must not be before START ({end} is before {start})")
        return diff(self.store, start, end)

    def claims(self) -> list[dict[str, Any]]:
        """Each announcement or promise with its outcome and whether it was kept.

        >>> {c["verdict"] for c in Landscape.load().claims()} <= {"kept", "broken", "pending"}
        True
        """
        from kg.time.claims import claims

        return claims(self.store)

    # -- analyses ---------------------------------------------------------------------
    def view(self, name: str, focus: str | None = None, depth: int = 2) -> nx.Graph:
        """The NetworkX projection ``name`` (see :data:`kg.analysis.projections.VIEWS`),
        or with ``focus`` only the part within ``depth`` links of that entity.

        >>> Landscape.load().view("lab-model").has_edge("org:openai", "model:gpt-2")
        True
        """
        from kg.analysis.projections import project
        from kg.namespaces import compact

        graph = project(self.store, name)
        if focus is None:
            return graph
        from kg.viz.explorer import focus as around

        return around(graph, compact(self.resolve(focus)), depth)

    def analyze(self, analysis: str, *, view: str | None = None, entity: str | None = None,
                target: str | None = None, **options: Any) -> list[dict[str, Any]]:
        """Run one positioning analysis (:data:`kg.analysis.measures.ANALYSES`): its rows.

        ``view`` names the projection for centrality and communities; ``entity`` (and
        ``target``) the entities for competitors and path; ``options`` go to the analysis.

        >>> rows = Landscape.load().analyze("centrality", view="funding", top=3)
        >>> len(rows)
        3
        """
        from kg.analysis.measures import run
        from kg.namespaces import compact

        graph = self.view(view or "full") if view or analysis == "path" else None
        kinds = ("kg:Model", "kg:Lab") if analysis == "competitors" else ()
        first = compact(self.resolve(entity, kinds)) if entity else None
        second = compact(self.resolve(target)) if target else None
        return run(analysis, self.store, graph=graph, entity=first, target=second, **options)

    def frontier_gap(self, *, years: int | None = None,
                     include_unreleased: bool = False) -> dict[str, Any]:
        """How far the open-weight models trail the closed ones in training compute, month by
        month, with a summary of the lag over all months or the last ``years`` years: see
        :func:`kg.analysis.frontier.report` (``analyze("frontier-gap")`` gives the rows).

        >>> sorted(Landscape.load().frontier_gap())
        ['months', 'summary']
        """
        from kg.analysis.frontier import report

        return report(self.store, years=years, include_unreleased=include_unreleased)

    # -- files out ----------------------------------------------------------------------
    def export(self, fmt: str, out: Path) -> int:
        """Write the whole graph to ``out`` in ``fmt`` (ttl, nt, nq, trig, jsonld),
        atomically; returns the bytes written.

        >>> import tempfile
        >>> Landscape.load().export("nt", Path(tempfile.mkdtemp()) / "kg.nt") > 100_000
        True
        """
        from kg.store.export import export

        return export(self.store, fmt, out)

    def explorer(self, out: Path, *, view: str = "full", focus: str | None = None,
                 depth: int = 2, size_by: str = "degree",
                 page_base: str = "http://127.0.0.1:7878") -> tuple[nx.Graph, int]:
        """Write the offline explorer page of a view; returns the graph drawn and the bytes
        written. With ``focus`` the page centres on that entity and sizes the nodes by their
        relevance to it (``size_by`` is then ignored); each node's details link to its page
        under ``page_base`` (where ``kg serve`` runs). An empty view is
        :class:`kg.viz.explorer.NothingToShow` (exit 1).

        >>> import tempfile
        >>> graph, size = Landscape.load().explorer(Path(tempfile.mkdtemp()) / "m.html",
        ...                                         view="lab-model", focus="Mistral AI")
        >>> "model:mistral-7b" in graph
        True
        """
        from kg.viz.explorer import NothingToShow, centrality, entity_details, write_explorer

        graph = self.view(view, focus, depth)
        title = f"AI landscape: {view} view"
        centre = None
        if focus:
            from kg.namespaces import compact

            centre = compact(self.resolve(focus))
            title += f" around {graph.nodes[centre]['label']}"
        if self.as_of:
            title += f" as of {self.as_of}"
        if not graph:
            raise NothingToShow(f"the {view} view is empty: nothing to draw")
        return graph, write_explorer(
            graph, out, title=title, focus_on=centre, page_base=page_base,
            size_by=None if centre else centrality(graph, size_by),
            details=entity_details(self.store, graph))

    def plot(self, chart: str, out: Path, **options: Any) -> int:
        """Draw the chart ``chart`` (:data:`kg.viz.plots.PLOTS`) to ``out`` (.png or .svg);
        returns the bytes written. ``options`` go to the chart (frontier-gap: ``years``,
        ``include_unreleased``).

        >>> import tempfile
        >>> Landscape.load().plot("timeline", Path(tempfile.mkdtemp()) / "t.svg") > 1000
        True
        """
        from kg.viz.plots import PLOTS

        return PLOTS[chart](self.store, out, **options)

    def push(self, url: str, method: str = "gsp") -> int:
        """Upload every graph to a SPARQL server (Graph Store Protocol or Update); returns
        the number of quads sent (tests/test_remote.py runs it against a real server).
        A graph read from an endpoint is not pushed:

        >>> Landscape.load(endpoint="http://127.0.0.1:9/query").push("http://127.0.0.1:9/")
        Traceback (most recent call last):
        kg.errors.KgError: push uploads a local graph, not one read from an endpoint
        """
        from kg.store.remote import RemoteStore, push

        if isinstance(self.store, RemoteStore):
            raise KgError("push uploads a local graph, not one read from an endpoint")
        return push(self.store, url, method)

    # -- checks -------------------------------------------------------------------------
    def validate(self) -> ValidationReport:
        """Check the graph against the SHACL shapes; each violation names its files.

        >>> Landscape.load().validate().conforms
        True
        """
        from kg.schema.validate import validate

        return validate(self)

    def origins(self) -> dict[Subject, set[Path]]:
        """Which files state triples about each subject (the files are parsed again).

        >>> sorted(p.name for p in Landscape.load().origins()[
        ...     ox.NamedNode("https://w3id.org/ai-landscape-kg/id/model/gpt-2")])
        ['models-openai.ttl']
        """
        from kg.store.load import origins

        return origins(self.files)
