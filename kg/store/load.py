"""Find, parse and load the graph's files: the ontology, the curated data and the user's own.

Every file is parsed completely before anything is added to the store, so a file with a
syntax error loads nothing and the error names the file, line and column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputFileError, KgError, ResourceMissing
from kg.resources import data_dir, ontology_dir, shapes_file
from kg.store import in_memory
from kg.store.base import GraphStore
from kg.store.oxigraph import OxigraphStore

#: What can be the subject of a triple (a quoted triple too, in RDF-star).
Subject = ox.NamedNode | ox.BlankNode | ox.Triple

#: File name endings the loader reads, with their RDF syntax.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}

_POSITION = re.compile(r"^Parser error at line \d+ column \d+: ")


#: The folder of ``data/`` that holds the shipped snapshots of the public datasets.
DATASETS = "datasets"


def default_files() -> list[Path]:
    """The shipped ontology, vocabularies, curated data and dataset snapshots (SHACL shapes
    excluded).

    Raises ResourceMissing when the package's files are not there.
    """
    files = ontology_files() + rdf_files_in(data_dir())
    if not files:
        raise ResourceMissing("the package ships no ontology or data files; "
                              "reinstall ai-landscape-kg")
    return files


def ontology_files() -> list[Path]:
    """The shipped ontology and its vocabularies, without the SHACL shapes."""
    shapes = shapes_file()
    return [p for p in rdf_files_in(ontology_dir()) if p != shapes]


def rdf_files_in(folder: Path) -> list[Path]:
    """Every RDF file below ``folder`` (by its ending), in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Resolve user-given files and folders to RDF files; a bad path is an InputFileError."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = rdf_files_in(path)
            if not found:
                raise InputFileError(path, "folder holds no RDF files (" +
                                     ", ".join(sorted(FORMATS)) + ")")
            files.extend(found)
        elif path.is_file():
            format_of(path)
            files.append(path)
        elif path.exists():
            raise InputFileError(path, "not a regular file or folder")
        else:
            raise InputFileError(path, "no such file or folder")
    return files


def format_of(path: Path) -> ox.RdfFormat:
    """The RDF syntax of ``path`` from its ending; an unknown ending is an InputFileError."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputFileError(path, f"unknown RDF format '{path.suffix or '(none)'}'; "
                                   f"use one of {known}") from None


def parse_file(path: Path) -> list[ox.Quad]:
    """Parse one file completely; blank nodes are made unique to this file."""
    rdf_format = format_of(path)
    try:
        quads = list(ox.parse(path=path, format=rdf_format))
    except SyntaxError as err:
        message = _POSITION.sub("", str(err.msg or err))
        raise InputFileError(path, message, err.lineno, err.offset) from None
    except (OSError, ValueError) as err:
        raise InputFileError(path, getattr(err, "strerror", None) or str(err)) from None
    except MemoryError as err:  # pyoxigraph's bound on one token (e.g. a 16 MiB literal)
        raise InputFileError(path, f"too large to parse: {err}") from None
    return list(_fresh_blank_nodes(quads))


def _fresh_blank_nodes(quads: list[ox.Quad]) -> Iterator[ox.Quad]:
    """Rename labelled blank nodes so that ``_:b1`` in two files stays two nodes."""
    renamed: dict[ox.BlankNode, ox.BlankNode] = {}

    def fresh(term):
        if isinstance(term, ox.BlankNode):
            return renamed.setdefault(term, ox.BlankNode())
        return term

    for q in quads:
        yield ox.Quad(fresh(q.subject), q.predicate, fresh(q.object), fresh(q.graph_name))


def home_dir(store: str | Path | None = None) -> Path:
    """Where imported sources live: ``store`` (``--store``), else ``$KG_HOME``, else
    ``$XDG_DATA_HOME/ai-landscape-kg`` (``~/.local/share/ai-landscape-kg``)."""
    import os

    if store is not None:
        return Path(store)
    if os.environ.get("KG_HOME"):
        return Path(os.environ["KG_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ai-landscape-kg"


def imported_files(home: Path) -> list[Path]:
    """The named graphs `kg import` wrote (``home/imports/*.trig``)."""
    folder = home / "imports"
    return sorted(folder.glob("*.trig")) if folder.is_dir() else []


def source_files(home: Path | None = None) -> dict[str, Path]:
    """Each public source's file: the user's import (``home/imports/NAME.trig``) where there
    is one, else the shipped snapshot (``data/datasets/NAME.trig``)."""
    folder = data_dir() / DATASETS
    found = {p.stem: p for p in sorted(folder.glob("*.trig"))} if folder.is_dir() else {}
    found.update({p.stem: p for p in imported_files(home or home_dir())})
    return found


def graph_files(extra: Iterable[str | Path] = (), *, defaults: bool = True,
                home: Path | None = None, sources: Iterable[str] | None = None) -> list[Path]:
    """The files that make the graph: the shipped ones and each source's (unless
    ``defaults`` is false), and ``extra``. ``sources`` keeps only some of them ("curated"
    for the curated data, a dataset's name for its records; "all", the default, every one),
    else ``$KG_SOURCES`` (the same, comma-separated); the ontology and ``extra`` are always
    read.
    """
    if not defaults:
        return expand_paths(extra)
    datasets = source_files(home)
    if sources is None and os.environ.get("KG_SOURCES"):
        sources = [s.strip() for s in os.environ["KG_SOURCES"].split(",") if s.strip()]
    wanted = None if sources is None or "all" in sources else set(sources)
    if wanted is not None:
        unknown = sorted(wanted - {"curated", *datasets})
        if unknown:
            raise KgError(f"unknown source {', '.join(map(repr, unknown))}; use "
                          f"{', '.join(['curated', *sorted(datasets)])}")
    folder = data_dir() / DATASETS
    curated = [p for p in default_files() if p.parent != folder]
    if wanted is not None and "curated" not in wanted:
        curated = ontology_files()
    chosen = [path for name, path in sorted(datasets.items())
              if wanted is None or name in wanted]
    decisions = (home or home_dir()) / "decisions.ttl"  # kg review --same/--different
    pins = [decisions] if decisions.is_file() else []
    return curated + chosen + pins + expand_paths(extra)


def parse_all(files: Iterable[Path]) -> list[tuple[Path, list[ox.Quad]]]:
    """Parse every file completely; the first bad file raises InputFileError."""
    return [(path, parse_file(path)) for path in files]


def load_store(files: list[Path], *, backend: str = "oxigraph", cache: bool = True,
               store_path: str | Path | None = None, as_of: date | None = None) -> GraphStore:
    """The one way the graph is loaded: ``files`` parsed completely, then held by
    ``backend``, with the fused graph (:func:`kg.fusion.fuse.fuse`) added. An Oxigraph
    store is kept on disk (``kg.store.cache``) unless ``cache`` is
    false or ``as_of`` asks for a view of the past, which keeps only what had happened by
    that date (:func:`kg.time.view.as_of_quads`) in the chosen backend.
    """

    def quads() -> list[ox.Quad]:
        from kg.fusion.fuse import fuse
        from kg.store.progress import step

        with step(f"reading {len(files)} files"):
            everything = [q for _, file_quads in parse_all(files) for q in file_quads]
        with step("fusing the sources into one landscape"):
            everything += fuse(everything)
        if as_of is None:
            return everything
        from kg.time.view import as_of_quads

        return as_of_quads(everything, as_of)

    if backend == "oxigraph" and as_of is None and (cache or store_path is not None):
        from kg.store.cache import cached_store

        folder = Path(store_path) if store_path is not None else None
        return OxigraphStore(cached_store(files, quads, folder))
    return in_memory(quads(), backend)


def origins(files: Iterable[Path]) -> dict[Subject, set[Path]]:
    """Which of ``files`` state triples about each subject."""
    found: dict[Subject, set[Path]] = {}
    for path, quads in parse_all(files):
        for q in quads:
            found.setdefault(q.subject, set()).add(path)
    return found
