"""A persistent on-disk Oxigraph copy of the loaded graph, so repeated commands skip parsing.

The cache is keyed by a fingerprint of the files it was built from (path, size, modification
time) and the package version; any change builds a new one. A build writes into a private
temporary folder and renames it into place, so two ``kg`` processes starting at once each get
a complete store: the first rename wins and the other process uses the winner's store.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError

_PREFIX = "store-"


def cache_dir() -> Path:
    """``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/ai-landscape-kg``, else ``~/.cache/...``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ai-landscape-kg"


def fingerprint(files: Iterable[Path]) -> tuple[str, str]:
    """Two digests: of the set of files (the cache slot), and of their sizes and modification
    times with the package version and the fusion code's (the slot's current version)."""
    from kg import __version__

    slot = hashlib.sha256()
    version = hashlib.sha256(__version__.encode())
    for code in _fusion_code():  # the store holds the fused graph: new code, new store
        version.update(f"\0{code.name}\0{code.stat().st_mtime_ns}".encode())
    for path in files:
        stat = path.stat()
        slot.update(f"\0{path.resolve()}".encode())
        version.update(f"\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return slot.hexdigest()[:16], version.hexdigest()[:16]


def _fusion_code() -> list[Path]:
    """The modules that compute the fused graph a store holds."""
    import kg.fusion

    return sorted(Path(kg.fusion.__file__).parent.glob("*.py"))


def cached_store(files: list[Path], build: Callable[[], Iterable[ox.Quad]],
                 folder: Path | None = None) -> ox.Store:
    """A read-only on-disk store holding ``build()``'s quads, built only when ``files`` changed.

    ``folder`` is where stores are kept (default :func:`cache_dir`).
    """
    folder = folder or cache_dir()
    slot, version = fingerprint(files)
    key = f"{slot}-{version}"
    final = folder / f"{_PREFIX}{key}"
    if final.is_dir():
        try:
            return ox.Store.read_only(str(final))
        except OSError:
            shutil.rmtree(final, ignore_errors=True)  # damaged: rebuild below
    quads = list(build())  # parse everything before touching the disk
    try:
        folder.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=folder, prefix=f".build-{key}-"))
    except OSError as err:
        raise KgError(f"{folder}: cannot create the store cache: {err.strerror}") from None
    try:
        from kg.store.progress import step

        with step(f"building the store ({len(quads):,} quads, kept for the next run)"):
            store = ox.Store(str(building))
            store.bulk_extend(quads)
            store.flush()
            del store
        try:
            building.rename(final)
        except OSError:  # another process renamed its complete copy first
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _prune(folder, slot, keep=final.name)
    return ox.Store.read_only(str(final))


def _prune(folder: Path, slot: str, keep: str) -> None:
    """Remove this slot's stores of earlier file versions; other file sets keep theirs."""
    for entry in folder.glob(f"{_PREFIX}{slot}-*"):
        if entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)

