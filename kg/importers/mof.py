"""The LF AI & Data Model Openness Tool (isitopen.ai), which applies the Model Openness
Framework (MOF): one YAML file per model release.

A file has ``framework`` and ``release`` {name, version, date, producer, type, license,
components: [{name, description, license}]}. ``release.license`` holds global licences by
content type (``distribution``, ``code``, ``data``, ``document``; each ``{name, path}``); as
in the tool, a component without a licence of its own takes the global licence of its content
type, else the distribution licence.

MOF components -> the project's components (several give the most open of their grades):

- Model parameters (Final) -> weights
- Model architecture -> architecture
- Training code, Data preprocessing code -> training-code
- Inference code -> inference-code
- Datasets -> training-data
- Data card -> data-documentation
- Research paper, Technical report -> paper
- Model card -> model-card
- Evaluation results, Evaluation code, Evaluation data -> evaluation

Not mapped (no matching component; listed in the note "other components"): Model parameters
(Intermediate), Model metadata, Supporting libraries and tools, Sample model outputs.

Grade from the component's licence: an open licence (OSI or open-data: Apache, MIT, BSD, GPL,
MPL, CC-BY and CC-BY-SA, CC0, ODC-By, ODbL, CDLA-Permissive, the Unlicense, ...) -> open;
"Proprietary", "Undisclosed" or "Component not included" -> closed; no licence or "Pending
evaluation" -> ungraded; any other text (a restrictive named licence such as "Llama 2 Community
License" or "Gemma", OpenRAIL, non-commercial CC, arXiv's licence, "unlicensed" for a component
that is present) -> partial.

Level: "open-source" when weights, training code and training data are all open;
"open-weights" when the weights are open or partial; otherwise none. The record's licence is
the weights' licence. A MOF class, if a file states one, is kept as a note.

``release.date`` is not the model's release date but the date of the tool's entry (GPT-2 and
GPT-3 carry 2024-11-15, Chinchilla 2025-05-30), so it is kept as the note "MOT entry date" and
the record has no release date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.importers.common import (
    Dataset,
    Record,
    Skipped,
    load_mapping,
    most_open,
    normalise_date,
    openness_level,
)

DATASET = Dataset(
    name="mof", title="Model Openness Tool (Model Openness Framework)",
    publisher="LF AI & Data Foundation",
    upstream="lfai/model_openness_tool @ 8b5d30e90a7c62d7d6ece48b91e69ff495920a4d (2026-05-11)",
    file_url="https://github.com/lfai/model_openness_tool/blob/"
             "8b5d30e90a7c62d7d6ece48b91e69ff495920a4d/models/{path}",
    licence="MIT",
    attribution="Model Openness Tool, https://isitopen.ai. Copyright 2024 The Model Openness "
                "Tool Authors. MIT License.")
SUFFIXES = (".yml", ".yaml")

#: MOF component name (lower case) -> (project component, MOF content type).
COMPONENTS = {
    "model parameters (final)": ("weights", "data"),
    "model architecture": ("architecture", "code"),
    "training code": ("training-code", "code"),
    "data preprocessing code": ("training-code", "code"),
    "inference code": ("inference-code", "code"),
    "datasets": ("training-data", "data"),
    "training dataset": ("training-data", "data"),
    "data card": ("data-documentation", "document"),
    "research paper": ("paper", "document"),
    "technical report": ("paper", "document"),
    "model card": ("model-card", "document"),
    "evaluation results": ("evaluation", "document"),
    "evaluation code": ("evaluation", "code"),
    "evaluation data": ("evaluation", "data"),
}
_OPEN = re.compile(
    r"^(apache|mit\b|bsd|isc\b|[al]?gpl|gnu|mpl|mozilla|epl|cc0|cc[- ]?by|creative commons "
    r"attribution|odc[- ]?by|odbl|pddl|cdla[- ]?permissive|unlicense$|the unlicense|zlib)")
_NOT_OPEN = re.compile(r"\b(nc|nd|non[- ]?commercial|no[- ]?deriv)", re.IGNORECASE)
_CLOSED = re.compile(r"^(proprietary|undisclosed|(component )*not include)")
_UNGRADED = {"", "pending evaluation", "none", "null"}


def licence_grade(licence: str) -> str | None:
    """The grade a component's licence gives it (None: no licence to judge).

    >>> [licence_grade(t) for t in ("Apache 2.0", "CC-BY-NC-4.0", "Llama 2 Community License",
    ...                             "unlicensed", "Component not included", "")]
    ['open', 'partial', 'partial', 'partial', 'closed', None]
    """
    text = " ".join(licence.lower().split())
    if text in _UNGRADED:
        return None
    if _CLOSED.match(text):
        return "closed"
    if _OPEN.match(text) and not _NOT_OPEN.search(text):
        return "open"
    return "partial"


def read(files: list[Path]) -> Iterator[Record | Skipped]:
    """Records from MOT model files; a file without a named release is skipped."""
    for path in files:
        data = load_mapping(path)
        if isinstance(data, Skipped):
            yield data
            continue
        release = data.get("release")
        if not isinstance(release, dict) or not _text(release.get("name")):
            yield Skipped(path, "not a MOT model file (no release with a name)")
            continue
        yield _record(path, data, release)


def _text(value: Any) -> str:
    if isinstance(value, dict):  # a global licence: {name, path}
        value = value.get("name")
    return "" if value is None else str(value).strip()


def _record(path: Path, data: dict[str, Any], release: dict[str, Any]) -> Record:
    licences: dict[str, Any] = (release["license"] if isinstance(release.get("license"), dict)
                                else {})
    found: dict[str, list[str | None]] = {}
    licence_of: dict[str, str] = {}
    others: list[str] = []
    components = release.get("components")
    for item in components if isinstance(components, list) else []:
        if not isinstance(item, dict):
            continue
        name = _text(item.get("name"))
        if name.lower() not in COMPONENTS:
            others.append(name)
            continue
        component, kind = COMPONENTS[name.lower()]
        licence = (_text(item.get("license")) or _text(licences.get(kind))
                   or _text(licences.get("distribution")))
        found.setdefault(component, []).append(licence_grade(licence))
        licence_of.setdefault(component, licence)
    grades = {c: grade for c, gs in found.items() if (grade := most_open(gs))}
    mof_class = data.get("class") or release.get("class") or release.get("mof_class")
    framework: dict[str, Any] = (data["framework"] if isinstance(data.get("framework"), dict)
                                 else {})
    notes = {"MOT entry date": normalise_date(release.get("date")) or "",
             "version": _text(release.get("version")), "type": _text(release.get("type")),
             "architecture": _text(release.get("architecture")),
             "MOF class": _text(mof_class),
             "framework": " ".join(_text(framework.get(k)) for k in ("name", "version")).strip(),
             "other components": ", ".join(o for o in others if o)}
    producers = [re.sub(r"^and\s+", "", p.strip()) for p in _text(release.get("producer"))
                 .split(",")]
    return Record(
        name=_text(release.get("name")),
        organizations=[p for p in producers if p],
        file=path,
        licence=licence_of.get("weights") or None,
        level=openness_level(grades),
        grades=grades,
        url=_text(release.get("huggingface")) or _text(release.get("repository")) or None,
        notes={k: v for k, v in notes.items() if v})
