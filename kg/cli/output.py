"""Render rows as a rich table, JSON, CSV or Markdown: one format switch for every command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "csv", "markdown")


def format_option(func):
    """The shared ``--format`` option of every command that prints rows."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(func)


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
           title: str | None = None) -> str | None:
    """Text of ``rows`` in ``fmt``; for ``table`` print with rich and return None."""
    if fmt == "json":
        return json.dumps([{c: row.get(c) for c in columns} for row in rows],
                          indent=2, ensure_ascii=False, default=str)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})
        return buffer.getvalue().rstrip("\n")
    if fmt == "markdown":
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for row in rows:
            lines.append("| " + " | ".join(_cell(row.get(c)).replace("|", "\\|")
                                           for c in columns) + " |")
        return "\n".join(([f"### {title}", ""] if title else []) + lines)
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(_readable(row.get(c))) for c in columns))
    _console().print(table)
    return None


@cache
def _console() -> Console:
    """One console for every table a command prints (rich is imported on first use)."""
    from rich.console import Console

    return Console()


def _readable(value: Any) -> str:
    """A table cell: large whole numbers get thousands separators."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    return _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k.split(':')[-1]}: {_cell(v)}" for k, v in value.items()
                         if k != "rdf:type")
    return str(value)
