"""Epoch AI's Notable AI Models (CSV): one row per model.

Survives the dataset's changing vocabulary and columns: "Model accessibility" was "Open
access (restricted use)" in older releases and "Open weights (restricted use)" later; the
country column may be "Country (of organization)" or "Country (from Organization)"; a cell
may list several comma-separated organisations.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from pathlib import Path

from kg.importers.common import Dataset, Record, Skipped, normalise_date, normalise_parameters

DATASET = Dataset(
    name="epoch", title="Epoch AI, Notable AI Models and All AI Models", publisher="Epoch AI",
    upstream="vaaniarora/Water_Sustainability @ f111e0fe9115cf0c08e894c0422f2e7e51416c18 "
             "(a copy of Epoch AI's notable_ai_models.csv from 2025-06)",
    file_url="https://github.com/vaaniarora/Water_Sustainability/blob/"
             "f111e0fe9115cf0c08e894c0422f2e7e51416c18/{path}",
    licence="CC-BY 4.0 (Epoch AI)",
    others=(("all_ai_models.csv", "https://github.com/simsharmaa/INFSCI1520/blob/"
                                  "291adcd7/all_ai_models.csv"),),
    attribution="Epoch AI, 'Parameter, Compute and Data Trends in Machine Learning'. "
                "Published online at epoch.ai. Retrieved from https://epoch.ai/data/ai-models. "
                "CC-BY 4.0.")
SUFFIXES = (".csv",)

#: Accessibility wording (any release's) -> (openness level, weights grade).
ACCESSIBILITY = {
    "open weights (unrestricted)": ("open-weights", "open"),
    "open access (unrestricted)": ("open-weights", "open"),
    "open weights (restricted use)": ("open-weights", "partial"),
    "open access (restricted use)": ("open-weights", "partial"),
    "open weights (non-commercial)": ("open-weights", "partial"),
    "open access (non-commercial)": ("open-weights", "partial"),
    "api access": ("api-only", "closed"),
    "hosted access (no api)": ("hosted-only", "closed"),
    "unreleased": ("unreleased", "closed"),
}
#: Code accessibility wording -> grade.
CODE = {"open source": "open", "open (non-commercial)": "partial",
        "open (restricted use)": "partial", "open access (non-commercial)": "partial",
        "open access (restricted use)": "partial", "unreleased": "closed"}
COLUMNS = {"Model", "Organization", "Publication date"}


def read(files: list[Path]) -> Iterator[Record | Skipped]:
    """Records from Epoch CSV files; a file without the needed columns is skipped."""
    for path in files:
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as err:
            yield Skipped(path, f"unreadable CSV: {err}")
            continue
        if not rows or not COLUMNS <= set(rows[0]):
            yield Skipped(path, f"not an Epoch models table (needs columns "
                                f"{', '.join(sorted(COLUMNS))})")
            continue
        for number, row in enumerate(rows, start=2):
            name = (row.get("Model") or "").strip()
            if not name:
                yield Skipped(path, f"row {number}: no model name")
                continue
            yield _record(path, row, name)


def _record(path: Path, row: dict[str, str], name: str) -> Record:
    access = (row.get("Model accessibility") or "").strip()
    level, weights = ACCESSIBILITY.get(access.lower(), (None, None))
    grades = {"weights": weights} if weights else {}
    for column, component in (("Training code accessibility", "training-code"),
                              ("Inference code accessibility", "inference-code")):
        grade = CODE.get((row.get(column) or "").strip().lower())
        if grade:
            grades[component] = grade
    country = row.get("Country (of organization)") or row.get("Country (from Organization)")
    notes = {k: v for k, v in (("country", country), ("domain", row.get("Domain"))) if v}
    return Record(
        name=name,
        organizations=[o.strip() for o in (row.get("Organization") or "").split(",")
                       if o.strip()],
        file=path,
        released=normalise_date(row.get("Publication date")),
        parameters=normalise_parameters(row.get("Parameters")),
        compute=_flop(row.get("Training compute (FLOP)")),
        level=level, access=access or None, grades=grades,
        # Epoch names no licence; its class of open weights stands in for one (the
        # fusion prefers any source's licence to it: see kg.fusion.fuse.PRECEDENCE)
        licence=access if level == "open-weights" else None,
        url=next(iter(re.split(r"[\s,]+", (row.get("Link") or "").strip())), None) or None,
        notes=notes,
        bases=[b.strip() for b in (row.get("Base model") or "").split(",") if b.strip()])


def _flop(text: str | None) -> float | None:
    """A training compute figure in FLOP ("3.8e+25"), or None when absent or not a number.

    >>> _flop("3.8e+25"), _flop(""), _flop("n/a")
    (3.8e+25, None, None)
    """
    try:
        value = float((text or "").replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None
