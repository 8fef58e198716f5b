"""Write the loaded graph to a file, atomically: a failed export leaves an earlier file intact."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.errors import OutputError
from kg.namespaces import PREFIXES
from kg.store import GraphStore
from kg.store.terms import rdf_bytes

#: Export formats by the name the CLI takes.
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def serialize(store: GraphStore, fmt: str) -> bytes:
    """The graph in ``fmt``. Triple formats merge every named graph into one graph."""
    rdf_format = EXPORT_FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("ttl", "trig") else None
    if rdf_format.supports_datasets:
        return rdf_bytes(list(store.quads()), rdf_format, prefixes)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()},
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return rdf_bytes(triples, rdf_format, prefixes)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` via a temporary file in the same folder and a rename.

    The file gets the mode a plain ``open()`` would give it: a file it replaces keeps its
    own, a new one 0o666 less the umask (0o644 under the usual 0o022), not the 0o600 of the
    temporary file.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: cannot write: folder {folder} does not exist")
    if path.is_dir():
        raise OutputError(f"{path}: cannot write: it is a folder")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        # a device or FIFO (/dev/stdout, /dev/full) or a link to one: write into it; renaming
        # a temporary file over it would replace the device node itself (as root)
        try:
            with path.open("wb") as out:
                out.write(content)
        except OSError as err:
            raise OutputError(f"{path}: cannot write: {err.strerror}") from None
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise OutputError(f"{path}: cannot write: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            os.chmod(tmp, _file_mode(path))
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {err.strerror}") from None


def _file_mode(path: Path) -> int:
    """The permission bits ``path`` should have once written: its own if it exists, else
    what the process's umask leaves of 0o666."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def export(store: GraphStore, fmt: str, out: Path) -> int:
    """Serialise the graph to ``out`` atomically; returns the number of bytes written."""
    content = serialize(store, fmt)
    write_atomically(out, content)
    return len(content)
