"""Importers for public landscape datasets: each reads its files into :class:`Record` objects
(:mod:`kg.importers.common`), which one shared mapper turns into a named graph per source."""

from __future__ import annotations

from importlib import import_module

#: Importer name (as `kg import NAME` takes it) -> module in this package.
IMPORTERS = {
    "epoch": "epoch",
    "ecosystem-graphs": "ecosystem_graphs",
    "osai": "osai",
    "mof": "mof",
}


def importer(name: str):
    """The importer module for ``name`` (it defines DATASET and read(paths))."""
    return import_module(f"kg.importers.{IMPORTERS[name]}")
