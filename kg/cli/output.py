"""Render rows as a rich table, JSON, CSV or Markdown: one format switch for every command.

JSON and CSV keep exact values and ids. The formats people read (table, Markdown) show
numbers as people write them ("$40B", "€1.7B", "117B", "800M WAU"), names instead of
compact ids, and sources as numbered footnotes under the table, so that nothing a reader
needs is cut at 80 columns.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from kg.reports.numbers import money, short_number

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "csv", "markdown")


def format_option(func):
    """The shared ``--format`` option of every command that prints rows."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(func)


_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?) ([A-Z]{3,4})$")
COMPACT_ID = re.compile(r"^[a-z][\w-]*:[\w.%-]+$")
_BIG = re.compile(r"(?<![\w.:/-])\d{7,}(?![\w.:/-])")


#: Columns that hold what the user types next (ids, question names): shown whole, as ids.
ID_COLUMNS = {"id", "model", "name", "event", "statement", "entity"}


@dataclass
class Readable:
    """What the human formats need to show names and footnotes: compact id -> label, and
    source id -> address; the footnotes collected while rendering."""

    labels: Mapping[str, str] = field(default_factory=dict)
    urls: Mapping[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def cell(self, value: Any, column: str) -> str:
        """One cell as a person reads it."""
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return (" " if column == "source" else "; ").join(self.cell(v, column)
                                                              for v in value)
        if isinstance(value, dict):
            if "schema:value" in value and "schema:currency" in value:
                return money(float(value["schema:value"]), str(value["schema:currency"]))
            return ", ".join(f"{k.split(':')[-1]}: {self.cell(v, k)}" for k, v in value.items()
                             if k != "rdf:type")
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float) and abs(value) >= 1e6:
            return short_number(value)
        if isinstance(value, int) and abs(value) >= 10_000:
            return f"{value:,}"
        text = str(value)
        if column == "source" or (text.startswith("src:") and COMPACT_ID.match(text)):
            return self.footnote(self.urls.get(text, text))
        if text.isdigit() and len(text) >= 7:
            return short_number(int(text))
        amount = _AMOUNT.match(text)
        if amount:
            number, unit = float(amount.group(1)), amount.group(2)
            return money(number, unit) if len(unit) == 3 and unit not in (
                "WAU", "MAU", "DAU") else f"{short_number(number)} {unit}"
        if column not in ID_COLUMNS and COMPACT_ID.match(text) and text in self.labels:
            return self.labels[text]
        if column in ID_COLUMNS:
            return text
        # a large count inside a text ("no use if monthlyActiveUsers gt 700000000")
        return _BIG.sub(lambda m: short_number(int(m.group())), text)

    def footnote(self, address: str) -> str:
        if address not in self.notes:
            self.notes.append(address)
        return f"[{self.notes.index(address) + 1}]"

    def footer(self) -> str:
        """The footnotes: "[1] https://..." lines."""
        return "\n".join(f"[{n}] {text}" for n, text in enumerate(self.notes, 1))


def fold(rows: Sequence[dict[str, Any]], columns: Sequence[str]
         ) -> tuple[list[dict[str, Any]], list[str], dict[str, Any]]:
    """For people: rows that differ only in their source become one row with every source,
    and the columns with one value in every row become a heading.

    >>> rows = [{"round": "r", "investor": "a", "source": "s1"},
    ...         {"round": "r", "investor": "a", "source": "s2"},
    ...         {"round": "r", "investor": "b", "source": "s1"}]
    >>> folded, kept, heading = fold(rows, ["round", "investor", "source"])
    >>> folded
    [{'investor': 'a', 'source': ['s1', 's2']}, {'investor': 'b', 'source': ['s1']}]
    >>> kept, heading
    (['investor', 'source'], {'round': 'r'})
    """
    merged: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(repr(row.get(c)) for c in columns if c != "source")
        record = merged.setdefault(key, {**{c: row.get(c) for c in columns}, "source": []})
        for source in row.get("source") or [] if isinstance(row.get("source"), list) \
                else [row.get("source")]:
            if source and source not in record["source"]:
                record["source"].append(source)
    folded = list(merged.values())
    if "source" not in columns:
        for record in folded:
            record.pop("source", None)
    constant: dict[str, Any] = {}
    if len(folded) > 1:
        for c in columns:
            values = {repr(r.get(c)) for r in folded}
            if len(values) == 1 and c != "source" and folded[0].get(c) not in (None, "", []):
                constant[c] = folded[0].get(c)
    kept = [c for c in columns if c not in constant]
    return [{c: r.get(c) for c in kept} for r in folded], kept, constant


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str,
           title: str | None = None, readable: Readable | None = None) -> str | None:
    """Text of ``rows`` in ``fmt``; for ``table`` print with rich and return None. With
    ``readable``, the human formats show names, short numbers and footnoted sources, one
    row per fact with all its sources, and what every row shares once above the table."""
    heading: dict[str, Any] = {}
    if readable is not None and fmt in ("table", "markdown"):
        rows, columns, heading = fold(rows, columns)
        if heading:
            lines = [f"{c}: {readable.cell(v, c)}" for c, v in heading.items()]
            if fmt == "markdown":
                title = "\n".join(([f"### {title}", ""] if title else [])
                                  + [f"{line}  " for line in lines])
            else:
                click.echo("\n".join(([title] if title else []) + lines))
                title = None
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
            lines.append("| " + " | ".join(
                (readable.cell(row.get(c), c) if readable else _cell(row.get(c)))
                .replace("|", "\\|") for c in columns) + " |")
        if readable and readable.notes:
            lines += ["", *(f"{line}  " for line in readable.footer().splitlines())]
        head = [] if not title else [title, ""] if title.startswith("### ") else \
            [f"### {title}", ""]
        return "\n".join(head + lines)
    from rich.table import Table
    from rich.text import Text

    cells = [[readable.cell(row.get(c), c) if readable else _readable(row.get(c))
              for c in columns] for row in rows]
    console = _console()

    def build(widths: Sequence[int | None]) -> Table:
        table = Table(title=title, show_lines=False)
        for column, width in zip(columns, widths, strict=True):
            # a word longer than its column folds onto the next line: nothing is cut
            table.add_column(column, overflow="fold", min_width=width)
        for line in cells:
            table.add_row(*(Text(cell) for cell in line))
        return table

    table = build([None] * len(columns))
    unbounded = console.options.update(max_width=10_000)
    if console.measure(table, options=unbounded).minimum <= console.width:
        # every word fits without folding: keep the row names and ids whole too
        table = build(_min_widths(columns, cells, console.width))
    console.print(table)
    if readable and readable.notes:
        # addresses are printed whole, never cut: a terminal wraps them
        click.echo(readable.footer())
    return None


def _min_widths(columns: Sequence[str], cells: list[list[str]], width: int) -> list[int | None]:
    """Each column's least width, so that what names a row does not fold: an id column its
    longest value (up to 40), the first column its longest word (up to 16); the other
    columns fold as the terminal needs.

    >>> _min_widths(["name", "title"], [["commercial-use-at-mau", "Models a service"]], 80)
    [21, None]
    >>> _min_widths(["lab", "total"], [["Massachusetts Institute", "3"]], 80)
    [13, None]
    """
    wanted: list[int | None] = []
    for n, column in enumerate(columns):
        values = [line[n] for line in cells]
        if column in ID_COLUMNS:
            wanted.append(min(max((len(v) for v in values), default=0), 40) or None)
        elif n == 0:
            words = [w for v in values for w in v.split()]
            wanted.append(min(max((len(w) for w in words), default=0), 16) or None)
        else:
            wanted.append(None)
    if sum(w or 4 for w in wanted) + 3 * len(columns) + 1 > width:
        return [None] * len(columns)
    return wanted


def _console() -> Console:
    """The console a table is printed on, as wide as the terminal is now ($COLUMNS, else
    the terminal's size; rich is imported on first use)."""
    import shutil

    from rich.console import Console

    return Console(width=shutil.get_terminal_size((80, 24)).columns)


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


def card(row: Mapping[str, Any], readable: Readable, width: int = 80,
         markdown: bool = False) -> str:
    """One claim as a card: date, speaker and verdict; what was said, quoted; the outcome;
    each check; its sources as footnotes.

    >>> print(card({"date": "2025-03-31", "speaker": "Sam Altman", "verdict": "kept",
    ...     "label": "An open model", "quote": "We will release it.", "outcome": "released",
    ...     "checks": ["model:x: released -> kept"], "sources": ["src:a"]},
    ...     Readable(urls={"src:a": "https://example.org/a"}), width=40))
    2025-03-31  Sam Altman  KEPT
    An open model
      "We will release it."
    Outcome: released
      - model:x: released -> kept
    Sources: [1]
    """
    import textwrap

    def wrap(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=indent,
                             subsequent_indent=indent + ("  " if indent.endswith("- ") else ""),
                             break_on_hyphens=False) or [indent]

    head = f"{row.get('date')}  {row.get('speaker')}  {str(row.get('verdict', '')).upper()}"
    lines = [f"**{head}**" if markdown else head]
    lines += wrap(str(row.get("label") or ""))
    if row.get("quote"):
        lines += wrap(f"\u201c{row['quote']}\u201d" if markdown else f'"{row["quote"]}"', "  ")
    if row.get("outcome"):
        lines += wrap(f"Outcome: {row['outcome']}")
    for check in row.get("checks") or []:
        lines += wrap(str(check), "  - ")
    sources = " ".join(readable.cell(s, "source") for s in row.get("sources") or [])
    if sources:
        lines.append(f"Sources: {sources}")
    return ("  \n" if markdown else "\n").join(lines)
