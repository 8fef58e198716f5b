"""The ``kg`` command: a thin shell over the package's functions.

Exit codes: 0 success; 1 the answer is "no" (invalid data, unknown entity, empty result);
2 the input could not be used (syntax error, missing file, bad option or parameter);
3 a query ran past its timeout.
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli.output import COMPACT_ID, Readable, card, format_option, render
from kg.errors import EXIT_FAILED, KgError

if TYPE_CHECKING:
    from kg.landscape import Landscape


class KgGroup(click.Group):
    """Reports a user's mistake (KgError) as one line on stderr with its exit code, and
    takes options where people type them: the group's options (``--as-of``, ``--data``,
    ...) also after the command, and ``--format`` also before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._reorder(ctx, list(args)))

    def _reorder(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Group options found after the command move before it (unless the command has an
        option of that name), ``--format`` found before the command moves after it."""
        takes_value = {name: not p.is_flag for p in self.params if isinstance(p, click.Option)
                       for name in p.opts}
        position, i = None, 0
        while i < len(args):
            word = args[i]
            name = word.split("=", 1)[0]
            if word == "--":
                break
            if name in takes_value or name == "--format":
                i += 2 if (takes_value.get(name, True) and "=" not in word) else 1
                continue
            if not word.startswith("-") and word in self.commands:
                position = i
                break
            i += 1
        if position is None:
            return args
        command = self.commands[args[position]]
        own = {name for p in command.params if isinstance(p, click.Option) for name in p.opts}
        before, after = args[:position], args[position + 1:]
        moved_front: list[str] = []
        kept: list[str] = []
        j = 0
        while j < len(after):
            word = after[j]
            name = word.split("=", 1)[0]
            if word == "--":
                kept += after[j:]
                break
            if name in takes_value and name not in own:
                width = 2 if takes_value[name] and "=" not in word else 1
                moved_front += after[j:j + width]
                j += width
                continue
            kept.append(word)
            j += 1
        moved_back: list[str] = []
        rest: list[str] = []
        j = 0
        while j < len(before):
            word = before[j]
            if word.split("=", 1)[0] == "--format" and "--format" in own:
                width = 1 if "=" in word else 2
                moved_back += before[j:j + width]
                j += width
                continue
            rest.append(word)
            j += 1
        return rest + moved_front + [args[position]] + moved_back + kept

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(err.exit_code)


@dataclass
class Settings:
    """Options of the ``kg`` group that every command shares."""

    data: list[Path] = field(default_factory=list)
    store: Path | None = None
    backend: str = "oxigraph"
    cache: bool = True
    as_of: date | None = None
    endpoint: str | None = None
    sources: list[str] | None = None
    _landscape: Landscape | None = None

    def landscape(self, extra: tuple[Path, ...] = ()) -> Landscape:
        """The graph for reading, from the cached store when nothing changed; ``extra``
        files are loaded on top of ``--data``."""
        if self._landscape is None or extra:
            from kg.landscape import Landscape

            landscape = Landscape.load([*self.data, *extra], backend=self.backend,
                                       store_path=self.store, cache=self.cache,
                                       as_of=self.as_of, endpoint=self.endpoint,
                                       sources=self.sources)
            if extra:
                return landscape
            self._landscape = landscape
        return self._landscape


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Also load this Turtle/TriG/N-Triples/JSON-LD file or folder (repeatable).")
@click.option("--store", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of a persistent on-disk store: its imported sources and the "
                   "Oxigraph store built from them (default: imports in $KG_HOME or "
                   "~/.local/share/ai-landscape-kg, the store in the user cache folder).")
@click.option("--backend", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph",
              show_default=True, help="Query engine: embedded Oxigraph or plain rdflib memory.")
@click.option("--no-cache", is_flag=True, help="Parse the files on every call; keep no store.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE",
              help="Answer from the landscape as it stood on DATE (YYYY-MM-DD).")
@click.option("--endpoint", metavar="URL",
              help="Read from a SPARQL 1.1 query endpoint instead of the local files.")
@click.option("--sources", metavar="LIST",
              help="Read only these sources, comma-separated: curated (the hand-checked "
                   "data) and the datasets (epoch, osai, mof, and any you imported), fused "
                   "afresh; 'all' for every one. Default: $KG_SOURCES, else all.")
@click.version_option(package_name="ai-landscape-kg")
@click.pass_context
def cli(ctx: click.Context, data: tuple[Path, ...], store: Path | None, backend: str,
        no_cache: bool, as_of: datetime | None, endpoint: str | None,
        sources: str | None) -> None:
    """A sourced knowledge graph of the AI landscape: labs, models, openness, licences,
    funding, products and statements.

    The options below may also follow the command (kg summary --as-of 2025-01-01), and a
    command's --format may also precede it (kg --format json summary).

    Exit codes: 0 success; 1 the answer is "no" (invalid data, unknown entity, empty
    result); 2 unusable input; 3 a query timed out.
    """
    chosen = None
    if sources is not None:
        chosen = [s.strip().lower() for s in sources.split(",") if s.strip()]
        if not chosen:
            raise click.BadParameter("name at least one source", param_hint="--sources")
    ctx.obj = Settings(list(data), store, backend, not no_cache,
                       as_of.date() if as_of else None, endpoint, chosen)


def _print_rows(rows: list[dict[str, Any]], columns, fmt: str, title: str | None = None) -> None:
    """Print ``rows``; the human formats show names, short numbers and footnoted sources
    when the command has read a landscape."""
    readable = None
    context = click.get_current_context(silent=True)
    settings = context.obj if context else None
    if fmt in ("table", "markdown") and isinstance(settings, Settings) \
            and settings._landscape is not None:
        landscape = settings._landscape
        ids = {v for row in rows for c in columns for v in _values(row.get(c))
               if isinstance(v, str) and COMPACT_ID.match(v) and not v.startswith("src:")}
        readable = Readable(landscape.labels_of(ids), landscape.source_urls())
    text = render(rows, columns, fmt, title=title, readable=readable)
    if text is not None:
        click.echo(text)


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


# --------------------------------------------------------------------------- validation
@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@click.pass_obj
def validate(settings: Settings, files: tuple[Path, ...], fmt: str) -> None:
    """Check the ontology, the shipped data and FILES against the SHACL shapes.

    Exit 0 when everything conforms, 1 when not, 2 when a file cannot be read or parsed.
    """
    report = settings.landscape(files).validate()
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "triples": report.triples,
                               "violations": [asdict(v) for v in report.violations]},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(report.text())
    if not report.conforms:
        sys.exit(EXIT_FAILED)


# --------------------------------------------------------------------------- export
@cli.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
              default="ttl", show_default=True, help="RDF syntax to write.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="File to write (replaced atomically).")
@click.pass_obj
def export(settings: Settings, fmt: str, out: Path) -> None:
    """Write the whole graph (ontology, data and --data files) to a file."""
    landscape = settings.landscape()
    size = landscape.export(fmt, out)
    click.echo(f"wrote {out} ({fmt}, {len(landscape.store)} quads, {size} bytes)", err=True)


# --------------------------------------------------------------------------- SPARQL
@cli.command()
@click.argument("query")
@click.option("--format", "fmt",
              type=click.Choice(["table", "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld"]),
              help="table|json|xml|csv|tsv for SELECT/ASK (default table; json, xml, csv and "
                   "tsv are the SPARQL 1.1 results formats); ttl|nt|jsonld for "
                   "CONSTRUCT/DESCRIBE (default ttl).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
              show_default=True, help="Stop the query after this many seconds (exit 3).")
@click.option("--allow-service", is_flag=True,
              help="Permit SERVICE clauses (they send the query to another server).")
@click.pass_obj
def query(settings: Settings, query: str, fmt: str | None, timeout: float,
          allow_service: bool) -> None:
    """Run a SPARQL query: QUERY is the query text, a .rq/.sparql file, or - for stdin.

    The project's prefixes (kg, model, org, lic, ..., rdf, rdfs, owl, xsd, skos, schema, prov,
    dcterms, odrl) are predeclared. An empty SELECT result exits 1.
    """
    from kg.store import results

    text = _query_text(query)
    answer = settings.landscape().result(text, timeout=timeout, allow_service=allow_service)
    if answer.kind == "graph":
        fmt = fmt or "ttl"
        if fmt not in results.GRAPH_FORMATS:
            raise KgError(f"--format {fmt} is for SELECT/ASK results; use ttl, nt or jsonld")
        click.echo(results.graph_text(answer, fmt), nl=False)
        return
    fmt = fmt or "table"
    if fmt not in results.TABULAR_FORMATS:
        raise KgError(f"--format {fmt} is for CONSTRUCT/DESCRIBE; use table, json, xml, csv "
                      "or tsv")
    if fmt in results.RESULTS_FORMATS:
        text = results.results_text(answer, fmt)
        click.echo(text, nl=not text.endswith("\n"))
    elif answer.kind == "ask":
        click.echo("true" if answer.boolean else "false")
    else:
        _print_rows(answer.rows(), answer.variables, "table")
    if answer.kind == "select" and not answer.solutions:
        unknown = settings.landscape().unknown_terms(text)
        click.echo("no results" + (f"; no such term in the ontology: {'; '.join(unknown)}"
                                   if unknown else ""), err=True)
        sys.exit(EXIT_FAILED)


def _query_text(query: str) -> str:
    if query == "-":
        return sys.stdin.read()
    path = Path(query)
    try:
        is_file = "\n" not in query and path.is_file()
    except OSError:  # e.g. a long one-line query is no valid file name
        is_file = False
    if query.endswith((".rq", ".sparql")) or is_file:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KgError(f"{query}: cannot read the query: {err}") from None
    return query


# --------------------------------------------------------------------------- named questions
@cli.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A question parameter (repeatable).")
@click.option("--list", "list_all", is_flag=True, help="List the named questions.")
@format_option
@click.pass_obj
def ask(settings: Settings, name: str | None, params: tuple[str, ...], list_all: bool,
        fmt: str) -> None:
    """Answer a named question: `kg ask --list` shows them, `kg ask NAME --param k=v` asks one.

    An empty answer exits 1.
    """
    from kg.queries.questions import QuestionError, all_questions, get_question

    if list_all or not name:
        rows = [{"name": q.name, "title": q.title,
                 "parameters": ", ".join(f"{p.name} ({p.type}{', optional' if p.optional else ''})"
                                         for p in q.parameters),
                 "example": "; ".join(q.examples)}
                for q in all_questions().values()]
        wide = fmt not in ("table",) or shutil.get_terminal_size((80, 24)).columns >= 120
        _print_rows(rows, ("name", "title", "parameters", "example") if wide
                    else ("name", "title", "parameters"), fmt, title="Named questions")
        if not wide:
            click.echo("Examples: kg ask --list --format markdown (or a terminal of 120 columns).")
        return
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QuestionError(f"--param takes KEY=VALUE, not {item!r}")
        given[key.strip()] = value
    question = get_question(name)
    rows = settings.landscape().ask(name, **given)
    columns = _columns(rows)
    if not rows:
        click.echo(f"no answer: the graph holds nothing for '{name}' with these parameters",
                   err=True)
        sys.exit(EXIT_FAILED)
    _print_rows(rows, columns, fmt, title=question.title)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order."""
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


# --------------------------------------------------------------------------- summaries
@cli.command()
@format_option
@click.pass_obj
def summary(settings: Settings, fmt: str) -> None:
    """The landscape at a glance: counts, models per lab and openness level, licence
    restrictions, largest rounds, latest valuations, products and their users."""
    from kg.reports.summary import SECTIONS, section_columns

    sections = settings.landscape().summary()
    if fmt == "json":
        click.echo(json.dumps(sections, indent=2, ensure_ascii=False, default=str))
        return
    for name, rows in sections.items():
        title = SECTIONS[name][0]
        if fmt == "csv":
            click.echo(f"# {title}")
        _print_rows(rows, section_columns(name, rows), fmt, title=title)
        if fmt != "table":
            click.echo()


@cli.command()
@click.argument("entity")
@format_option
@click.pass_obj
def show(settings: Settings, entity: str, fmt: str) -> None:
    """Everything about one lab, model, licence, round, person or product, with sources.

    ENTITY is a name ("llama 2", "LLaMA-2"), a prefixed id (model:llama-2) or an IRI; an
    unknown or ambiguous name lists the closest matches and exits 1.
    """
    record = settings.landscape().show(entity)
    if fmt == "json":
        click.echo(json.dumps(record, indent=2, ensure_ascii=False, default=str))
        return
    title = f"{record['label']} ({record['id']})"
    _print_rows(record["properties"], ("property", "value"), fmt, title=title)
    if record["facts_by_source"]:
        rows = [{**r, "shown": "shown" if r["shown"] else "",
                 "disagrees": "DISAGREE" if r["disagrees"] else ""}
                for r in record["facts_by_source"]]
        _print_rows(rows, ("field", "source", "value", "record", "shown", "disagrees"), fmt,
                    title="Facts by source (the shown value wins by the precedence)")
    if record["referenced_by"]:
        _print_rows(record["referenced_by"], ("subject", "property"), fmt, title="Referenced by")
    _print_rows(record["sources"], ("source", "title", "date", "location"), fmt,
                title="Sources")


@cli.command()
@click.argument("models", nargs=-1, required=True)
@format_option
@click.pass_obj
def compare(settings: Settings, models: tuple[str, ...], fmt: str) -> None:
    """Models side by side: developer, release date, openness per component, licence and
    its key restrictions, capabilities, sizes."""
    from kg.reports.compare import comparison_rows

    records = settings.landscape().compare(*models)
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False, default=str))
        return
    rows, columns = comparison_rows(records)
    _print_rows(rows, columns, fmt, title="Comparison")


@cli.command()
@format_option
@click.pass_obj
def sources(settings: Settings, fmt: str) -> None:
    """The public datasets fused in (with the attribution their licences ask for), then each
    source with its title, date, URL or path, and how many facts cite it."""
    from kg.importers import describe_datasets
    from kg.reports.sources import DATASET_COLUMNS, SOURCE_COLUMNS, list_datasets

    landscape = settings.landscape()
    datasets = describe_datasets(list_datasets(landscape.store))
    if fmt == "json":
        click.echo(json.dumps({"datasets": datasets, "sources": landscape.sources()},
                              indent=2, ensure_ascii=False, default=str))
        return
    if datasets and fmt in ("table", "markdown"):  # csv and tsv hold one table
        _print_rows(datasets, DATASET_COLUMNS, fmt, title="Datasets")
        click.echo()
    _print_rows(landscape.sources(), SOURCE_COLUMNS, fmt, title="Sources")


# --------------------------------------------------------------------------- licences, time
@cli.command(name="can-use")
@click.argument("model", required=False)
@click.option("--all", "all_models", is_flag=True, help="Every model, most permissive first.")
@click.option("--coverage", is_flag=True,
              help="With --all: how many open-weight models get a decidable answer.")
@click.option("--mau", metavar="N", help="Your service's monthly active users (800000000, 800M).")
@click.option("--commercial/--non-commercial", default=True, show_default=True,
              help="Whether the use is commercial.")
@click.option("--purpose", "purposes", multiple=True, metavar="PURPOSE",
              help="What you want to do: inference (default), fine-tune, distill, "
                   "redistribute, train-other-models; repeat or comma-separate for several.")
@click.option("--region", metavar="CODE",
              help="Where you are: an ISO 3166-1 alpha-2 code (DE, us) or EU, EEA.")
@format_option
@click.pass_obj
def can_use(settings: Settings, model: str | None, all_models: bool, coverage: bool,
            mau: str | None, commercial: bool, purposes: tuple[str, ...], region: str | None,
            fmt: str) -> None:
    """May you use MODEL so? A memo: the verdict (allowed, not allowed, needs a separate
    licence or unknown), the clause that decides it with its source, the duties that come
    with it, what is unknown and which option would decide it, and the variants.

    Exit 0 when allowed, 1 otherwise (not allowed, a separate licence, or unknown).
    """
    from kg.policy.licences import coverage as licence_coverage

    if bool(model) == all_models:
        raise KgError("name one MODEL, or give --all")
    if coverage and not all_models:
        raise KgError("--coverage goes with --all")
    landscape = settings.landscape()
    wanted = purposes or ("inference",)
    if all_models:
        decisions = landscape.can_use_all(purpose=wanted, commercial=commercial, mau=mau,
                                          region=region)
        if coverage:
            found = licence_coverage(landscape.store, decisions)
            if fmt == "json":
                click.echo(json.dumps(found, indent=2, ensure_ascii=False))
            else:
                click.echo(f"{found['decidable']:,} of {found['open-weight models']:,} "
                           f"open-weight models get a decidable answer "
                           f"({found['share']:.1%}); " + ", ".join(
                               f"{n:,} {v}" for v, n in sorted(found["verdicts"].items())))
            return
        rows = [d.row() for d in decisions]
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        else:
            _print_rows(rows, ("model", "label", "verdict", "licence", "deciding terms"), fmt,
                        title=f"May a {'commercial' if commercial else 'non-commercial'} "
                              f"user ({', '.join(wanted)}) use ...?")
        return
    assert model is not None
    found_one = landscape.can_use(model, purpose=wanted, commercial=commercial, mau=mau,
                                  region=region)
    if fmt == "json":
        click.echo(json.dumps(asdict(found_one), indent=2, ensure_ascii=False, default=str))
    elif fmt in ("table", "markdown"):
        from kg.policy.memo import ids_in, memo

        urls = landscape.source_urls()
        width = min(shutil.get_terminal_size((80, 24)).columns, 100)
        labels = landscape.labels_of(ids_in(found_one))
        asked = [("commercial" if commercial else "non-commercial") + " use",
                 " and ".join(p.strip() for w in wanted for p in w.split(",") if p.strip()),
                 f"{mau} monthly active users" if mau else "users not given (--mau)",
                 f"in {region.upper()}" if region else "region not given (--region)",
                 f"as of {settings.as_of}" if settings.as_of else "as of today"]
        click.echo("\n".join(memo(found_one, urls, width, labels, asked="; ".join(asked))))
    else:
        _print_rows(found_one.reasons, ("effect", "term", "clause", "why", "source"), fmt)
    if found_one.verdict != "allowed":
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("entity", required=False)
@click.option("--with-competitors", is_flag=True,
              help="With ENTITY: add the events of the labs and models linked to it.")
@format_option
@click.pass_obj
def timeline(settings: Settings, entity: str | None, with_competitors: bool, fmt: str) -> None:
    """Dated events in order: releases, rounds, investments, valuations, user counts,
    statements, licence versions; all of them, or ENTITY's own."""
    if with_competitors and not entity:
        raise KgError("--with-competitors needs an ENTITY")
    rows = settings.landscape().timeline(entity, with_competitors)
    _print_rows(rows, ("date", "kind", "label", "lab", "detail", "source"), fmt,
                title="Timeline" + (f" of {entity}" if entity else ""))


@cli.command()
@click.argument("start", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("end", type=click.DateTime(formats=["%Y-%m-%d"]))
@format_option
@click.pass_obj
def diff(settings: Settings, start: datetime, end: datetime, fmt: str) -> None:
    """What was added or changed after START up to END, grouped by lab."""
    rows = settings.landscape().diff(start.date(), end.date())
    _print_rows(rows, ("lab", "date", "change", "kind", "label", "detail", "source"), fmt,
                title=f"Changes from {start.date()} to {end.date()}")


@cli.command()
@format_option
@click.pass_obj
def claims(settings: Settings, fmt: str) -> None:
    """Each announcement or promise with its outcome and whether it was kept."""
    rows = settings.landscape().claims()
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    from kg.time.claims import check_text

    for row in rows:
        row["checks"] = [check_text(c) for c in row["checks"]]
    if fmt == "csv":
        _print_rows(rows, ("date", "speaker", "label", "quote", "outcome", "verdict", "checks",
                           "sources"), fmt)
        return
    landscape = settings.landscape()
    readable = Readable(landscape.labels_of(m for r in rows for m in r["models"]),
                        landscape.source_urls())
    width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    click.echo("\n\n".join(card(row, readable, width, markdown=fmt == "markdown")
                            for row in rows))
    if readable.notes:
        click.echo("\n" + readable.footer())


# --------------------------------------------------------------------------- analyses
VIEW_NAMES = ("full", "funding", "lab-model", "lineage", "competition")
TABLE_FORMATS = click.Choice(["table", "json", "csv", "markdown"])
#: The --format option of the analyses.
_table_format = click.option("--format", "fmt", type=TABLE_FORMATS, default="table",
                             show_default=True, help="Output format.")


@cli.group()
def analyze() -> None:
    """Positioning analyses: centrality, communities, openness, permissiveness, positioning,
    nearest competitors, paths, and the open models' training-compute gap."""


def _analysis_rows(rows: list[dict[str, Any]], fmt: str, title: str) -> None:
    _print_rows(rows, _columns(rows), fmt, title=title)


@analyze.command(name="centrality")
@click.option("--view", type=click.Choice(VIEW_NAMES), default="funding", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@_table_format
@click.pass_obj
def analyze_centrality(settings: Settings, view: str, top: int, fmt: str) -> None:
    """Degree, betweenness and PageRank on a projection of the graph."""
    rows = settings.landscape().analyze("centrality", view=view, top=top)
    _analysis_rows(rows, fmt, f"Centrality ({view} view)")


@analyze.command(name="communities")
@click.option("--view", type=click.Choice(VIEW_NAMES), default="competition", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@_table_format
@click.pass_obj
def analyze_communities(settings: Settings, view: str, seed: int, fmt: str) -> None:
    """Louvain communities of a projection (seeded: the same answer every run)."""
    rows = settings.landscape().analyze("communities", view=view, seed=seed)
    _analysis_rows(rows, fmt, f"Communities ({view} view, seed {seed})")


@analyze.command(name="openness")
@click.option("--by", type=click.Choice(["model", "lab"]), default="model", show_default=True)
@_table_format
@click.pass_obj
def analyze_openness(settings: Settings, by: str, fmt: str) -> None:
    """Openness score per model (weighted component grades) or per lab (docs/analysis.md)."""
    rows = settings.landscape().analyze("openness" if by == "model" else "lab-openness")
    _analysis_rows(rows, fmt, f"Openness score per {by}")


@analyze.command(name="permissiveness")
@_table_format
@click.pass_obj
def analyze_permissiveness(settings: Settings, fmt: str) -> None:
    """Permissiveness of each licence, from its terms (docs/analysis.md)."""
    _analysis_rows(settings.landscape().analyze("permissiveness"), fmt,
                   "Licence permissiveness")


@analyze.command(name="positioning")
@click.option("--niches", "show_niches", is_flag=True,
              help="Show the openness x permissiveness map and its empty niches instead.")
@_table_format
@click.pass_obj
def analyze_positioning(settings: Settings, show_niches: bool, fmt: str) -> None:
    """Each model's openness against licence permissiveness and recency, with the Pareto
    frontier; or (--niches) which niches are crowded and which are empty."""
    if show_niches:
        _analysis_rows(settings.landscape().analyze("niches"), fmt,
                       "Niches (openness x permissiveness)")
    else:
        _analysis_rows(settings.landscape().analyze("positioning"), fmt,
                       "Positioning (frontier first)")


@analyze.command(name="competitors")
@click.argument("entity")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True)
@_table_format
@click.pass_obj
def analyze_competitors(settings: Settings, entity: str, top: int, fmt: str) -> None:
    """The nearest competitors of a model or a lab."""
    rows = settings.landscape().analyze("competitors", entity=entity, top=top)
    _analysis_rows(rows, fmt, f"Nearest competitors of {entity}")


@analyze.command(name="path")
@click.argument("source")
@click.argument("target")
@_table_format
@click.pass_obj
def analyze_path(settings: Settings, source: str, target: str, fmt: str) -> None:
    """How SOURCE is connected to TARGET: the shortest chain of links. Exit 1 when none."""
    steps = settings.landscape().analyze("path", entity=source, target=target)
    if not steps:
        click.echo(f"no path between {source} and {target}", err=True)
        sys.exit(EXIT_FAILED)
    _print_rows(steps, ("from", "direction", "link", "to"), fmt,
                title=f"How {source} is connected to {target}")


@analyze.command(name="frontier-gap")
@click.option("--years", type=click.IntRange(min=1), metavar="N",
              help="Summarise the lag over the last N years (default: over every month).")
@click.option("--include-unreleased", is_flag=True,
              help="Count unreleased models as closed, as Epoch AI does (default: left out).")
@_table_format
@click.pass_obj
def analyze_frontier_gap(settings: Settings, years: int | None, include_unreleased: bool,
                         fmt: str) -> None:
    """How far open models trail closed ones in training compute, month by month: each
    side's frontier (largest compute released so far) and its model, the lag in months
    (how long ago the closed frontier first reached the open one's value), the closed/open
    compute ratio, and a summary of the lag (docs/analysis.md). JSON holds
    {"summary": ..., "months": [...]}; CSV the months only. No open model with a training
    compute exits 1."""
    from kg.analysis.frontier import COLUMNS

    found = settings.landscape().frontier_gap(years=years,
                                              include_unreleased=include_unreleased)
    if not found["months"]:
        click.echo("no open model has both a release date and a training compute: "
                   "nothing to compare", err=True)
        sys.exit(EXIT_FAILED)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False, default=str))
        return
    _print_rows(found["months"], COLUMNS, fmt,
                title="Training-compute frontier gap, open vs closed models")
    if fmt != "csv":
        summary = [{"measure": key, "value": value} for key, value in found["summary"].items()]
        _print_rows(summary, ("measure", "value"), fmt, title="Summary of the lag")


# --------------------------------------------------------------------------- imports
@cli.command(name="import")
@click.argument("source", type=click.Choice(["ecosystem-graphs", "epoch", "osai", "mof"]))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option
@click.pass_obj
def import_(settings: Settings, source: str, paths: tuple[Path, ...], fmt: str) -> None:
    """Import a public dataset (files or folders) into its own named graph, replacing any
    earlier import of it (a shipped snapshot of it included); every command then reads
    its records fused with the other sources."""
    from kg.importers import run_import

    report = run_import(source, paths, store_path=settings.store,
                        progress=fmt == "table" and sys.stderr.isatty())
    rows = [{"source": report.source, "files": report.files, "records": report.records,
             "matched to curated": report.matched, "merged duplicates": report.merged,
             "skipped": len(report.skipped), "graph": report.graph, "written": str(report.out)}]
    _print_rows(rows, list(rows[0]), fmt, title=f"Imported {source}")
    for skip in report.skipped:
        click.echo(f"skipped {skip.file}: {skip.reason}", err=True)


@cli.command(name="conflicts")
@click.argument("model", required=False)
@format_option
@click.pass_obj
def conflicts_(settings: Settings, model: str | None, fmt: str) -> None:
    """Facts on which sources disagree (release date, openness level, licence, parameters,
    training compute), grouped by model and fact: each source's value, the value shown and
    why (the precedence in docs/fusion.md). With MODEL, that model's only."""
    from kg.reports.conflicts import conflict_rows

    entries = settings.landscape().conflicts(model)
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False, default=str))
        return
    _print_rows(conflict_rows(entries), ("model", "field", "source", "value", "record",
                                         "shown"), fmt,
                title=f"{len(entries)} fact{'' if len(entries) == 1 else 's'} on which "
                      "sources disagree")


@cli.command()
@click.argument("name")
@click.option("--source", metavar="SRC",
              help="Resolve that source's record of NAME (curated, epoch, osai, mof, ...).")
@format_option
@click.pass_obj
def resolve(settings: Settings, name: str, source: str | None, fmt: str) -> None:
    """The canonical entity NAME (or one source's record of that name) resolves to: its id,
    label and the sources that describe it."""
    answer = settings.landscape().resolve_entity(name, source=source)
    if fmt == "json":
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    _print_rows([{**answer, "sources": ", ".join(answer["sources"])}],
                ("id", "label", "sources"), fmt, title=f"'{name}' resolves to")


@cli.command()
@click.option("--same", nargs=2, metavar="ID ID", help="Pin: these two are one model.")
@click.option("--different", nargs=2, metavar="ID ID", help="Pin: these are two models.")
@format_option
@click.pass_obj
def review(settings: Settings, same: tuple[str, str] | None,
           different: tuple[str, str] | None, fmt: str) -> None:
    """Pairs of models the record linkage found alike but did not merge, most alike first.

    Decide a pair with --same ID ID or --different ID ID (ids of records or curated
    models, as listed): the decision goes to decisions.ttl in the store folder, wins over
    the automatic one and survives re-imports.
    """
    landscape = settings.landscape()
    if same or different:
        a, b = same or different  # type: ignore[misc]
        path = landscape.pin(a, b, same=bool(same), store_path=settings.store)
        click.echo(f"pinned {a} {'=' if same else '≠'} {b} in {path}", err=True)
        return
    rows = landscape.review()
    _print_rows(rows, ("a", "aLabel", "b", "bLabel", "score", "why"), fmt,
                title=f"{len(rows)} pairs to review")


@cli.command()
@click.option("--endpoint", "url", required=True, metavar="URL",
              help="Graph Store Protocol URL (gsp) or SPARQL Update URL (update).")
@click.option("--method", type=click.Choice(["gsp", "update"]), default="gsp",
              show_default=True, help="Upload protocol.")
@click.pass_obj
def push(settings: Settings, url: str, method: str) -> None:
    """Upload the graph (ontology, data, imports, --data) to a SPARQL server, replacing the
    graphs of the same names there."""
    if settings.endpoint:
        raise KgError("push uploads the local graph: drop the group's --endpoint")
    sent = settings.landscape().push(url, method)
    click.echo(f"sent {sent} triples to {url} ({method})", err=True)


# --------------------------------------------------------------------------- serving
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; 0.0.0.0 exposes the server).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="Seconds a query may run.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) a result may have.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Query worker processes.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let browser pages from ORIGIN (e.g. https://yasgui.triply.cc, or *) "
                   "query the server; repeatable. None by default.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, timeout: float, max_rows: int,
          workers: int, cors: tuple[str, ...]) -> None:
    """Serve the graph: a read-only SPARQL 1.1 endpoint at /sparql (its service description
    without a query), a page for every entity at /id/... (HTML, Turtle, N-Triples, JSON-LD),
    /search, the named questions at /questions and /ask/NAME, the explorer at /, and
    /health."""
    from kg.serve.server import Limits
    from kg.serve.server import serve as run

    if settings.endpoint:
        raise KgError("serve serves the local graph: drop the group's --endpoint")
    load_args = {"data": [str(p) for p in settings.data], "backend": settings.backend,
                 "store_path": str(settings.store) if settings.store else None,
                 "cache": settings.cache, "as_of": settings.as_of}
    for origin in cors:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise KgError(f"--cors takes an origin such as https://example.org or *, "
                          f"not {origin!r}")
    settings.landscape()  # parse errors surface here, before any worker starts
    run(host, port, load_args, Limits(timeout, max_rows), workers, tuple(cors))


def _register_drawing_commands() -> None:
    from kg.cli.drawing import plot, viz

    cli.add_command(viz)
    cli.add_command(plot)


_register_drawing_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kg")

