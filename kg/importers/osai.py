"""The European Open Source AI Index (osai-index.eu): one YAML file per system.

A file has ``system`` (name, basemodelname, endmodelname, endmodellicense, releasedate, ...),
``org`` (name, ...) and twelve dimensions, each ``{class: open|partial|closed, link, notes}``.
``_parameters.yml`` and ``_parameters-descriptions.yml`` define the dimensions and are not
systems; the submission template (a system without a name) is skipped with a reason.

The record is the *end model* the index grades (``endmodelname``, e.g. "Gemma-3-27B-IT";
``system.name`` when the end model is unnamed or "undisclosed"): its grades describe that model,
and the family name ("Gemma") would reconcile to the wrong generation. The family name is kept
as the note "system". Organisation names are kept whole ("Mistral AI and NVIDIA"): splitting
on "and" would break names such as "Centre for Vision, Speech and Signal Processing".

Dimensions -> the project's openness components:

==========================================  ==================  ==================================
index dimension                             component           note
==========================================  ==================  ==================================
datasources_basemodel                       training-data       the end model's data grade is
                                                                kept as a note
weights_endmodel                            weights             the base model's grade is a note
trainingcode                                training-code
code ("code documentation")                 inference-code      the index's only code-release
                                                                signal besides training code;
                                                                documented code is the closest
                                                                the index says about code to run
                                                                the model
hardware_architecture                       architecture
preprint, paper                             paper               the more open of the two: either
                                                                is a paper describing the model
modelcard                                   model-card
datasheet                                   data-documentation
licenses                                    (note)              OSI coverage of the whole project
==========================================  ==================  ==================================

Level: "open-source" when end-model weights, training code and training data are all open;
"open-weights" when end-model weights are open or partial (the index grades gated or
restrictively licensed weights, such as Llama 2's or Gemma's, "partial"); otherwise none.
The licence is ``system.endmodellicense``, also under the misspelt key ``endmodel license``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.importers.common import (
    GRADES,
    Dataset,
    Record,
    Skipped,
    load_mapping,
    most_open,
    normalise_date,
    openness_level,
)

DATASET = Dataset(
    name="osai", title="European Open Source AI Index",
    publisher="European Open Source AI Index (Liesenfeld & Dingemanse)",
    upstream="Language-Technology-Assessment/main-database @ "
             "5a388e871b88735e7ab7e6fb230b76c9d460d99a (2026-06-12)",
    file_url="https://github.com/Language-Technology-Assessment/main-database/blob/"
             "5a388e871b88735e7ab7e6fb230b76c9d460d99a/{path}",
    licence="CC-BY 4.0",
    attribution="European Open Source AI Index, https://osai-index.eu. CC-BY 4.0.")
SUFFIXES = (".yaml", ".yml")

#: Index dimension(s) -> component; several dimensions give the most open of their grades.
COMPONENTS = {
    "training-data": ("datasources_basemodel",),
    "weights": ("weights_endmodel",),
    "training-code": ("trainingcode",),
    "inference-code": ("code",),
    "architecture": ("hardware_architecture",),
    "paper": ("preprint", "paper"),
    "model-card": ("modelcard",),
    "data-documentation": ("datasheet",),
}
#: Dimensions kept as notes: (dimension, note).
NOTED = (("datasources_endmodel", "end model data"), ("weights_basemodel", "base model weights"),
         ("licenses", "licences (OSI coverage)"))
PARAMETER_FILES = {"_parameters.yml", "_parameters-descriptions.yml"}
NO_NAME = {"", "undisclosed", "unknown", "none", "n/a"}


def read(files: list[Path]) -> Iterator[Record | Skipped]:
    """Records from index files; the dimension definitions and broken files are skipped."""
    for path in files:
        if path.name in PARAMETER_FILES:
            yield Skipped(path, "parameter definitions, not a system")
            continue
        data = load_mapping(path)
        if isinstance(data, Skipped):
            yield data
            continue
        system = data.get("system")
        if not isinstance(system, dict):
            yield Skipped(path, "not an index system (no 'system' mapping)")
            continue
        name = _text(system.get("endmodelname"))
        if name.lower() in NO_NAME:
            name = _text(system.get("name"))
        if not name:
            yield Skipped(path, "no system name (a submission template?)")
            continue
        yield _record(path, data, system, name)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _grade(data: dict[str, Any], dimension: str) -> str | None:
    entry = data.get(dimension)
    grade = _text(entry.get("class")).lower() if isinstance(entry, dict) else ""
    return grade if grade in GRADES else None


def _record(path: Path, data: dict[str, Any], system: dict[str, Any], name: str) -> Record:
    grades = {component: grade for component, dimensions in COMPONENTS.items()
              if (grade := most_open(_grade(data, d) for d in dimensions))}
    org: dict[str, Any] = data["org"] if isinstance(data.get("org"), dict) else {}
    licence = _text(system.get("endmodellicense", system.get("endmodel license")))
    notes = {"system": _text(system.get("name")),
             "base model": _text(system.get("basemodelname")),
             "type": _text(system.get("type")),
             "performance class": _text(system.get("performanceclass"))}
    notes |= {note: grade for dimension, note in NOTED if (grade := _grade(data, dimension))}
    return Record(
        name=name,
        organizations=[o] if (o := _text(org.get("name"))) else [],
        file=path,
        released=normalise_date(system.get("releasedate")),
        licence=licence or None,
        level=openness_level(grades),
        grades=grades,
        url=_text(system.get("link")) or None,
        notes={k: v for k, v in notes.items() if v and v != name},
        bases=[base] if (base := notes["base model"]) and base != name else [])
