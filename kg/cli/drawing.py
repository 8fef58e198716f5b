"""The ``kg viz`` and ``kg plot`` commands: an interactive explorer page and static charts.

The choices are spelled out here so that loading the ``kg`` command imports neither NetworkX
nor matplotlib; tests check them against :data:`kg.analysis.projections.VIEWS` and
:data:`kg.viz.plots.PLOTS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # kg.cli.main registers these commands, so it is imported only for typing
    from kg.cli.main import Settings

VIEW_NAMES = ("full", "funding", "lab-model", "lineage", "competition", "positioning")
MEASURE_NAMES = ("degree", "betweenness", "pagerank")
PLOT_NAMES = ("timeline", "funding", "positioning", "users", "frontier-gap")


@click.command()
@click.option("--view", type=click.Choice(VIEW_NAMES), default="full", show_default=True,
              help="Which projection of the graph to draw.")
@click.option("--focus", "focus_on", metavar="ENTITY",
              help="Draw only the part around ENTITY (a name, prefixed id or IRI).")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="With --focus: how many links away from ENTITY to go.")
@click.option("--size-by", type=click.Choice(MEASURE_NAMES), default="degree",
              show_default=True,
              help="The centrality that sizes the nodes (with --focus: relevance to ENTITY).")
@click.option("--pages", "page_base", metavar="URL", default="http://127.0.0.1:7878",
              show_default=True,
              help="Where `kg serve` runs: each node's details link to URL/id/... .")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("landscape.html"), show_default=True,
              help="HTML file to write (replaced atomically).")
@click.pass_obj
def viz(settings: Settings, view: str, focus_on: str | None, depth: int, size_by: str,
        page_base: str, out: Path) -> None:
    """Write an interactive explorer of a view of the graph: one HTML file that works
    offline, coloured by openness level, with a legend, search, a filter by type, labels
    that appear as you zoom, and a details panel (facts, sources, a link to the entity's
    page). The positioning view places labs and models by openness and licence
    permissiveness; --focus centres on ENTITY and sizes nodes by relevance to it.

    An unknown ENTITY, or one not in the view, or an empty view exits 1.
    """
    graph, size = settings.landscape().explorer(out, view=view, focus=focus_on, depth=depth,
                                                size_by=size_by, page_base=page_base)
    click.echo(f"wrote {out} ({view} view, {graph.number_of_nodes()} nodes, "
               f"{graph.number_of_edges()} edges, {size} bytes)", err=True)


@click.command()
@click.argument("chart", type=click.Choice(PLOT_NAMES))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Image to write: FILE.png or FILE.svg (replaced atomically).")
@click.option("--years", type=click.IntRange(min=1), metavar="N",
              help="frontier-gap: also summarise the lag over the last N years.")
@click.option("--include-unreleased", is_flag=True,
              help="frontier-gap: count unreleased models as closed (as Epoch AI does).")
@click.pass_obj
def plot(settings: Settings, chart: str, out: Path, years: int | None,
         include_unreleased: bool) -> None:
    """Draw a chart: timeline (model releases by openness level), funding (rounds,
    investments and valuations per lab, one panel per currency, never converted),
    positioning (openness against licence permissiveness, the frontier and each lab's
    latest model labelled), users (users over time per product) or frontier-gap (the
    training-compute frontier of closed and open models and the open models' lag in
    months). Each title gives the date of the latest fact drawn and the sources cited."""
    if chart != "frontier-gap" and (years is not None or include_unreleased):
        raise click.UsageError("--years and --include-unreleased are for the frontier-gap chart")
    options = {"years": years, "include_unreleased": include_unreleased} \
        if chart == "frontier-gap" else {}
    size = settings.landscape().plot(chart, out, **options)
    click.echo(f"wrote {out} ({chart}, {size} bytes)", err=True)
