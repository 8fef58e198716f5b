"""Where the package's own files are: the ontology, the curated data, the queries, the
explorer's templates. Everything is read through :mod:`importlib.resources`, so an installed
wheel finds the same files as a checkout.

A wheel carries ``ontology/`` and ``data/`` inside the package (``kg/_assets/``, see
pyproject.toml); in a checkout they stay at the repository's top level, beside ``kg/``.

>>> (ontology_dir() / "landscape.ttl").is_file()
True
>>> query_file("named", "funding-round.rq").read_text().startswith("#")
True
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from kg.errors import ResourceMissing

#: The shipped folders of RDF files, by name.
ASSET_FOLDERS = ("ontology", "data")


def asset_dir(name: str) -> Path:
    """The shipped folder ``name`` (``ontology`` or ``data``) as a real path.

    Raises ResourceMissing when neither the installed package nor the checkout holds it.
    """
    if name not in ASSET_FOLDERS:
        raise ValueError(f"unknown asset folder {name!r}")
    package = files("kg")
    for candidate in (package / "_assets" / name, package / ".." / name):
        if candidate.is_dir():
            if not isinstance(candidate, Path):
                raise ResourceMissing(f"the package's {name}/ folder is not on a file system "
                                      f"({candidate}); install ai-landscape-kg unzipped")
            return candidate.resolve()
    raise ResourceMissing(f"the package's {name}/ folder is missing (looked in {package}); "
                          "reinstall ai-landscape-kg")


def ontology_dir() -> Path:
    """The ontology, its vocabularies and the SHACL shapes."""
    return asset_dir("ontology")


def data_dir() -> Path:
    """The curated, sourced facts."""
    return asset_dir("data")


def shapes_file() -> Path:
    """The SHACL shapes ``kg validate`` enforces."""
    return ontology_dir() / "shapes.ttl"


def package_file(*parts: str) -> Traversable:
    """A file or folder inside the ``kg`` package; missing is ResourceMissing."""
    found = files("kg").joinpath(*parts)
    if not (found.is_file() or found.is_dir()):
        raise ResourceMissing(f"the package file kg/{'/'.join(parts)} is missing; "
                              "reinstall ai-landscape-kg")
    return found


def query_file(*parts: str) -> Traversable:
    """A ``.rq`` file (or folder) under ``kg/queries/``."""
    return package_file("queries", *parts)
