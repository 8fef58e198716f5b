"""Stanford CRFM Ecosystem Graphs (YAML): each file a list of one organisation's assets.

Only assets of type ``model`` become records; datasets and applications are passed over
silently (they are not models, so not skipped entries). Any field may be a plain value or
``{value, explanation}`` (sometimes only an explanation, or an empty mapping);
:func:`unwrap` reduces each to its value.

The ``access`` field maps to an openness level and a weights grade:

=========  ==============  =============
access     level           weights grade
=========  ==============  =============
open       open-weights    open
limited    api-only        closed
closed     unreleased      closed
=========  ==============  =============

"limited" in Ecosystem Graphs means access through an API or by approval, without the weights;
"closed" means no public access at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kg.importers.common import (
    Dataset,
    Record,
    Skipped,
    load_yaml,
    normalise_date,
    normalise_parameters,
)

COMMIT = "576655a544c974e91b7ca02e26cf7ba4c8347516"
DATASET = Dataset(
    name="ecosystem-graphs", title="Stanford CRFM, Ecosystem Graphs",
    publisher="Stanford Center for Research on Foundation Models (CRFM)",
    upstream=f"stanford-crfm/ecosystem-graphs @ {COMMIT} (2025-01-24)",
    file_url=f"https://github.com/stanford-crfm/ecosystem-graphs/blob/{COMMIT}/assets/{{path}}",
    licence="see upstream README",
    attribution="Stanford CRFM, Ecosystem Graphs. No licence stated upstream: not shipped; "
                "fused from the user's own copy.")
SUFFIXES = (".yaml", ".yml")

#: Access wording -> (openness level, weights grade).
ACCESS = {
    "open": ("open-weights", "open"),
    "limited": ("api-only", "closed"),
    "closed": ("unreleased", "closed"),
}
EMPTY = {"", "unknown", "none", "n/a"}
#: A comma between organisations, not the one before a company suffix ("Runway AI, Inc.").
_ORG_SEPARATOR = re.compile(r",(?!\s*(?:inc|ltd|llc|gmbh|co)\b)\s*(?:and\s+)?", re.IGNORECASE)


def unwrap(value: Any) -> Any:
    """The value of a ``{value, explanation}`` field (None if it has only an explanation);
    any other value as it is."""
    if isinstance(value, dict) and set(value) <= {"value", "explanation"}:
        return value.get("value")
    return value


def _text(value: Any) -> str | None:
    """A field as stripped text; None for empty, "unknown", "none" and the like."""
    value = unwrap(value)
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(unwrap(v)).strip() for v in value if unwrap(v) is not None)
    text = str(value).strip()
    return None if text.lower() in EMPTY else text


def organizations(value: Any) -> list[str]:
    """The organisations of a comma-separated list ("Meta, CMU, and UC Berkeley").

    >>> organizations("Runway AI, Inc., Spotify, and Meta AI")
    ['Runway AI, Inc.', 'Spotify', 'Meta AI']
    """
    return [o.strip() for o in _ORG_SEPARATOR.split(_text(value) or "") if o.strip()]


def read(files: list[Path]) -> Iterator[Record | Skipped]:
    """Records for the model assets in Ecosystem Graphs files; a file that is not a YAML
    list, or a model entry without a name, is skipped with the reason."""
    for path in files:
        try:
            assets = load_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            yield Skipped(path, f"unreadable YAML: {' '.join(str(err).split())}")
            continue
        if not isinstance(assets, list):
            yield Skipped(path, f"not a list of assets (found {type(assets).__name__})")
            continue
        for number, asset in enumerate(assets, start=1):
            if not isinstance(asset, dict):
                yield Skipped(path, f"entry {number}: not a mapping")
                continue
            if (_text(asset.get("type")) or "").lower() != "model":
                continue  # a dataset or an application
            name = _text(asset.get("name"))
            if not name:
                yield Skipped(path, f"entry {number}: model without a name")
                continue
            yield _record(path, asset, name)


def _record(path: Path, asset: dict[str, Any], name: str) -> Record:
    access = _text(asset.get("access"))
    level, weights = ACCESS.get((access or "").lower(), (None, None))
    notes = {key: text for key in ("modality", "dependencies", "nationality")
             if (text := _text(asset.get(key)))}
    return Record(
        name=name,
        organizations=organizations(asset.get("organization")),
        file=path,
        released=normalise_date(unwrap(asset.get("created_date"))),
        parameters=normalise_parameters(_text(asset.get("size"))),
        licence=_text(asset.get("license")),
        level=level, access=access, grades={"weights": weights} if weights else {},
        url=_text(asset.get("url")),
        notes=notes)
