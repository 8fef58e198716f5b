"""Importers for public landscape datasets: each reads its files into :class:`Record` objects
(:mod:`kg.importers.common`), which one shared mapper turns into a named graph per source."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.importers.common import ImportReport

#: Importer name (as `kg import NAME` takes it) -> module in this package.
IMPORTERS = {
    "epoch": "epoch",
    "ecosystem-graphs": "ecosystem_graphs",
    "osai": "osai",
    "mof": "mof",
}


def importer(name: str) -> ModuleType:
    """The importer module for ``name`` (it defines DATASET and read(paths))."""
    return import_module(f"kg.importers.{IMPORTERS[name]}")


def run_import(name: str, paths: Iterable[str | Path], *, store_path: str | Path | None = None,
               progress: bool = False) -> ImportReport:
    """Import the public dataset ``name`` (a key of :data:`IMPORTERS`) from ``paths`` (files
    or folders) into its own named graph under the store folder (``store_path``, else
    ``$KG_HOME`` or ``~/.local/share/ai-landscape-kg``), replacing any earlier import of it;
    every later :meth:`kg.Landscape.load` reads it. Returns what was read and matched.
    """
    from kg.importers.common import run_import as import_into
    from kg.store.load import home_dir

    return import_into(name, paths, home_dir(store_path), progress=progress)


def describe_datasets(loaded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The loaded datasets (``source``, ``records``; :func:`kg.reports.sources.list_datasets`)
    with their title, licence and the attribution the licence asks for."""
    rows = []
    for row in loaded:
        known = importer(row["source"]).DATASET if row["source"] in IMPORTERS else None
        own = PROJECT_SOURCES.get(row["source"])
        rows.append({"dataset": known.title if known else own[0] if own else row["source"],
                     "records": row["records"],
                     "licence": known.licence if known else "MIT" if own else None,
                     "attribution": known.attribution if known else own[1] if own else None})
    return rows


#: Sources the project writes itself, as records beside the datasets': title, attribution.
PROJECT_SOURCES = {
    "model-cards": ("Model cards: the licence each model's card names (ai-landscape-kg)",
                    "Written by the ai-landscape-kg project (MIT), data/datasets/"
                    "model-cards.trig: each record cites the model card or licence file it "
                    "was read from."),
}
