"""Find, parse and load the graph's files: the ontology, the curated data and the user's own.

Every file is parsed completely before anything is added to the store, so a file with a
syntax error loads nothing and the error names the file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputFileError
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "data"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

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


@dataclass
class LoadedGraph:
    """The loaded store, the files it came from, and which files describe each subject."""

    store: OxigraphStore
    files: list[Path]
    origins: dict[ox.NamedNode | ox.BlankNode, set[Path]] = field(default_factory=dict)

    def files_of(self, subject: ox.NamedNode | ox.BlankNode) -> list[Path]:
        """The files that state triples about ``subject``, sorted."""
        return sorted(self.origins.get(subject, ()))

    def __len__(self) -> int:
        return len(self.store)


def default_files() -> list[Path]:
    """The shipped ontology, vocabularies and curated data (SHACL shapes excluded)."""
    files = [p for p in rdf_files_in(ONTOLOGY_DIR) if p != SHAPES_FILE]
    return files + rdf_files_in(DATA_DIR)


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


def graph_files(extra: Iterable[str | Path] = (), *, defaults: bool = True,
                home: Path | None = None) -> list[Path]:
    """The files that make the graph: the shipped ones and the imported sources (unless
    ``defaults`` is false), and ``extra``."""
    shipped = default_files() + imported_files(home or home_dir()) if defaults else []
    return shipped + expand_paths(extra)


def parse_all(files: Iterable[Path]) -> list[tuple[Path, list[ox.Quad]]]:
    """Parse every file completely; the first bad file raises InputFileError."""
    return [(path, parse_file(path)) for path in files]


def load(extra: Iterable[str | Path] = (), *, defaults: bool = True,
         home: Path | None = None) -> LoadedGraph:
    """Load the shipped files (unless ``defaults`` is false) plus ``extra`` files or folders
    into memory, remembering which files describe each subject.

    Raises InputFileError, before anything is loaded, for a missing, unknown or malformed file.
    """
    files = graph_files(extra, defaults=defaults, home=home)
    store = ox.Store()
    origins: dict[ox.NamedNode | ox.BlankNode, set[Path]] = {}
    for path, quads in parse_all(files):
        store.extend(quads)
        for q in quads:
            origins.setdefault(q.subject, set()).add(path)
    return LoadedGraph(store=OxigraphStore(store), files=files, origins=origins)
