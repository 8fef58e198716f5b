"""The ``kg`` command: a thin shell over the package's functions."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click

from kg.errors import EXIT_FAILED, KgError


class KgGroup(click.Group):
    """Reports a user's mistake (KgError) as one line on stderr with its exit code."""

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

    def load(self, extra: tuple[Path, ...] = ()):
        from kg.load import load

        return load([*self.data, *extra])


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Also load this Turtle/TriG/N-Triples/JSON-LD file or folder (repeatable).")
@click.version_option(package_name="ai-landscape-kg")
@click.pass_context
def cli(ctx: click.Context, data: tuple[Path, ...]) -> None:
    """A sourced knowledge graph of the AI landscape: labs, models, openness, licences,
    funding, products and statements."""
    ctx.obj = Settings(list(data))


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@click.pass_obj
def validate(settings: Settings, files: tuple[Path, ...], fmt: str) -> None:
    """Check the ontology, the shipped data and FILES against the SHACL shapes.

    Exit 0 when everything conforms, 1 when not, 2 when a file cannot be read or parsed.
    """
    from kg.validate import validate as run_validation

    report = run_validation(settings.load(files))
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "triples": report.triples,
                               "violations": [asdict(v) for v in report.violations]},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(report.text())
    if not report.conforms:
        sys.exit(EXIT_FAILED)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
              default="ttl", show_default=True, help="RDF syntax to write.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="File to write (replaced atomically).")
@click.pass_obj
def export(settings: Settings, fmt: str, out: Path) -> None:
    """Write the whole graph (ontology, data and --data files) to a file."""
    from kg.export import export as run_export

    loaded = settings.load()
    size = run_export(loaded, fmt, out)
    click.echo(f"wrote {out} ({fmt}, {len(loaded)} quads, {size} bytes)", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]),
              default="table", show_default=True, help="Output format.")
@click.pass_obj
def sources(settings: Settings, fmt: str) -> None:
    """Each source with its title, date, URL or path, and how many facts cite it."""
    from kg.output import render
    from kg.sources import SOURCE_COLUMNS, list_sources

    text = render(list_sources(settings.load()), SOURCE_COLUMNS, fmt, title="Sources")
    if text is not None:
        click.echo(text)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kg")
