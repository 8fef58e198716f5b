"""What every importer shares: the record it yields, value normalisers, reconciliation with
the curated graph, the mapping to RDF and the atomic write of the source's named graph.

An importer module defines ``DATASET`` (a :class:`Dataset`) and ``read(paths)``, which yields
:class:`Record` and :class:`Skipped` objects; :func:`run_import` does the rest.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from kg.fusion.names import slug
from kg.namespaces import BASE, ID, KG, PREFIXES
from kg.queries import load_query
from kg.reports.entities import normalise
from kg.store.terms import rdf_bytes

GRAPH_BASE = BASE + "graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")


@dataclass(frozen=True)
class Dataset:
    """A public dataset an importer reads."""

    name: str  # as `kg import NAME` takes it
    title: str
    publisher: str
    upstream: str  # "owner/repo @ commit (date)"
    file_url: str  # format string with {path}: the file's public address
    licence: str
    attribution: str = ""  # the credit the licence asks for, as `kg sources` prints it
    #: File name -> public address, for files that come from elsewhere than ``file_url``
    others: tuple[tuple[str, str], ...] = ()


@dataclass
class Record:
    """One model as a dataset describes it, its values as the dataset gives them."""

    name: str
    organizations: list[str]
    file: Path
    released: str | None = None  # "2023-07-18", "2023-07" or "2023"
    parameters: int | None = None
    compute: float | None = None  # training compute, FLOP
    licence: str | None = None  # the dataset's licence text
    level: str | None = None  # openness level notation ("open-weights", "api-only", ...)
    access: str | None = None  # the dataset's own access wording
    grades: dict[str, str] = field(default_factory=dict)  # component notation -> grade
    url: str | None = None
    notes: dict[str, str] = field(default_factory=dict)  # other values worth keeping
    bases: list[str] = field(default_factory=list)  # the models it was fine-tuned from


@dataclass
class Skipped:
    """A file or entry the importer could not use, and why."""

    file: Path
    reason: str


# --------------------------------------------------------------------------- normalisers
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}


def normalise_date(value: Any) -> str | None:
    """An ISO date, year-month or year from a YAML date, a string, a bare year or None;
    "unknown" and the like give None.

    >>> [normalise_date(v) for v in ("2023-07-18", "2024-10", 2019, "July 2023", "unknown")]
    ['2023-07-18', '2024-10', '2019', '2023-07', None]
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1900 < value < 2200:
        return str(value)
    text = str(value).strip().strip("'\"")
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    if re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text) or re.fullmatch(r"[0-9]{4}", text):
        return text
    match = re.fullmatch(r"([A-Za-z]+)\s+([0-9]{4})", text)
    if match and match.group(1).lower() in _MONTHS:
        return f"{match.group(2)}-{_MONTHS[match.group(1).lower()]:02d}"
    return None


_SCALES = {"k": 10**3, "thousand": 10**3, "m": 10**6, "million": 10**6, "b": 10**9,
           "bn": 10**9, "billion": 10**9, "t": 10**12, "trillion": 10**12}


def normalise_parameters(value: Any) -> int | None:
    """A parameter count from a number or free text ("70B parameters (dense)", "1.5 billion").

    >>> [normalise_parameters(v) for v in ("70B parameters (dense)", 175000000000.0, "1.5 billion",
    ...                                    "unknown", "7b")]
    [70000000000, 175000000000, 1500000000, None, 7000000000]
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float):
        return _count(value)
    text = str(value).strip().lower().replace(",", "")
    try:
        return _count(float(text))
    except ValueError:
        pass
    match = re.search(r"([0-9]+(?:\.[0-9]+)?)\s*(k|m|bn|b|t|thousand|million|billion|trillion)\b",
                      text)
    if not match:
        return None
    return _count(float(match.group(1)) * _SCALES[match.group(2)], rounded=True)


def _count(number: float, rounded: bool = False) -> int | None:
    """A positive, finite count as an int ("inf", "nan", "1e400" and <= 0 give None)."""
    if not math.isfinite(number):
        return None
    count = int(round(number)) if rounded else int(number)
    return count if count > 0 else None


#: Licence wordings (normalised) -> licence IRIs of the graph.
LICENCE_NAMES = {
    "apache20": "spdx:Apache-2.0", "apache2": "spdx:Apache-2.0",
    "apachelicense20": "spdx:Apache-2.0", "apachelicenseversion20": "spdx:Apache-2.0",
    "mit": "spdx:MIT", "mitlicense": "spdx:MIT",
    "llama2": "lic:llama-2-community", "llama2communitylicense": "lic:llama-2-community",
    "llama2communitylicenseagreement": "lic:llama-2-community",
    "llama3": "lic:llama-3-community", "llama3communitylicense": "lic:llama-3-community",
    "metallama3communitylicense": "lic:llama-3-community",
    "llama31": "lic:llama-3-1-community", "llama31communitylicense": "lic:llama-3-1-community",
    "llama32": "lic:llama-3-2-community", "llama32communitylicense": "lic:llama-3-2-community",
    "llama33": "lic:llama-3-3-community", "llama33communitylicense": "lic:llama-3-3-community",
    "llama4": "lic:llama-4-community", "llama4communitylicense": "lic:llama-4-community",
    "gemma": "lic:gemma-terms", "gemmatermsofuse": "lic:gemma-terms",
    "gemmalicense": "lic:gemma-terms",
    "mistralresearchlicense": "lic:mistral-research", "mrl": "lic:mistral-research",
    "mistralainonproductionlicense": "lic:mistral-non-production",
    "mnpl": "lic:mistral-non-production",
    "deepseeklicense": "lic:deepseek-model", "deepseeklicenseagreement": "lic:deepseek-model",
    "tongyiqianwenlicenseagreement": "lic:qwen", "qwenlicense": "lic:qwen",
    "qwenresearchlicense": "lic:qwen-research",
    "llama31communitylicenseagreement": "lic:llama-3-1-community",
    "llama3communitylicenseagreement": "lic:llama-3-community",
    "llama32communitylicenseagreement": "lic:llama-3-2-community",
    "llama33communitylicenseagreement": "lic:llama-3-3-community",
    "llama4communitylicenseagreement": "lic:llama-4-community",
    "xaicommunitylicenseagreement": "lic:grok-2-community",
    "grok2communitylicenseagreement": "lic:grok-2-community",
    "ccbync40": "spdx:CC-BY-NC-4.0", "ccbyncsa40": "spdx:CC-BY-NC-SA-4.0",
    "attributionnoncommercialsharealike40international": "spdx:CC-BY-NC-SA-4.0",
    "attributionnoncommercial40international": "spdx:CC-BY-NC-4.0",
    "ccby40": "spdx:CC-BY-4.0", "ccbysa40": "spdx:CC-BY-SA-4.0",
    "bsd3clause": "spdx:BSD-3-Clause", "bsd2clause": "spdx:BSD-2-Clause",
    "bigcodeopenrailmv1licenseagreement": "lic:bigcode-openrail-m",
    "bigcodeopenrailm": "lic:bigcode-openrail-m",
    "creativemlopenrailm": "lic:creativeml-openrail-m",
    "bigsciencebloomrail10": "lic:bigscience-bloom-rail-1-0",
    "falcon180btiilicense": "lic:falcon-180b-tii",
    "stabilityaicommunitylicense": "lic:stability-community",
    "tencenthunyuancommunitylicenseagreement": "lic:tencent-hunyuan-community",
    "nvidiaopenmodellicense": "lic:nvidia-open-model",
    "nvidiaopenmodellicenseagreement": "lic:nvidia-open-model",
    "metallama3communitylicenseagreement": "lic:llama-3-community",
    "llamalicenseagreement": "lic:llama-1-noncommercial",
    "ccbync40license": "spdx:CC-BY-NC-4.0",
    "bigscienceraillicensev10": "lic:bigscience-bloom-rail-1-0",
    # custom and non-commercial licences of open-weight models (data/licences.ttl)
    "applesamplecodelicense": "lic:apple-sample-code",
    "databricksopenmodellicense": "lic:databricks-open-model",
    "creativemlopenrailplusplusm": "lic:creativeml-openrail-plus-plus-m",
    "creativemlopenrailplusplusmlicense": "lic:creativeml-openrail-plus-plus-m",
    "openrailplusplus": "lic:creativeml-openrail-plus-plus-m",
    "flux1devnoncommerciallicense": "lic:flux-dev-non-commercial",
    "fluxdevnoncommerciallicense": "lic:flux-dev-non-commercial",
    "fluxdevnoncommerciallicensev20": "lic:flux-dev-non-commercial",
    "opt175blicenseagreement": "lic:opt-175b",
    "aiswedensllmaimodellicenseagreement": "lic:ai-sweden-llm",
    "fairnoncommercialresearchlicense": "lic:fair-noncommercial-research",
    "fairnoncommercialresearchlicensev1": "lic:fair-noncommercial-research",
    "stabilityaincresearchcommunity": "lic:stability-non-commercial-research",
    "stabilityainoncommercialresearchcommunitylicenseagreement":
        "lic:stability-non-commercial-research",
    "deepfloydiflicenseagreement": "lic:deepfloyd-if-research",
    "deepfloydifresearchlicenseagreement": "lic:deepfloyd-if-research",
    "ccbynd40": "spdx:CC-BY-ND-4.0",
    "ccbyncnd40": "spdx:CC-BY-NC-ND-4.0",
    "gnugeneralpubliclicensev30": "spdx:GPL-3.0-only",
    "gpl30": "spdx:GPL-3.0-only",
    "gpl30only": "spdx:GPL-3.0-only",
    "gplv3": "spdx:GPL-3.0-only",
    "agpl30": "spdx:AGPL-3.0-only",
    "agpl30only": "spdx:AGPL-3.0-only",
    "agplv3": "spdx:AGPL-3.0-only",
    "gnuafferogeneralpubliclicensev30": "spdx:AGPL-3.0-only",
    "chatglm6blicense": "lic:chatglm-6b", "chatglm6bmodellicense": "lic:chatglm-6b",
    "chatglm26blicense": "lic:chatglm2-6b", "chatglm26bmodellicense": "lic:chatglm2-6b",
    "chatglm36blicense": "lic:chatglm3-6b", "chatglm36bmodellicense": "lic:chatglm3-6b",
    "glm4license": "lic:glm-4", "theglm49blicense": "lic:glm-4",
    "cogvlmlicense": "lic:cogvlm",
    "codegeex2license": "lic:codegeex", "codegeexlicense": "lic:codegeex",
    "codegeex4license": "lic:codegeex4",
    "yilicense": "lic:yi", "yiseriesmodelscommunitylicenseagreement": "lic:yi",
    "baaiaquilamodellicense": "lic:baai-aquila",
    "baaiaquila70bmodellicenseagreement": "lic:baai-aquila-70b-noncommercial",
    "skyworkcommunitylicense": "lic:skywork-community",
    "xversemodellicenseagreement": "lic:xverse",
    "minicpmmodellicense": "lic:minicpm-model",
    "telechatmodelcommunitylicenseagreement": "lic:telechat",
    "kolorslicense": "lic:kolors",
    "exaoneaimodellicenseagreement12": "lic:exaone-1-2",
    "exaoneaimodellicenseagreement12nc": "lic:exaone-1-2",
    "falconllmlicense": "lic:falcon-llm",
    "tiifalconlicense20": "lic:tii-falcon-2",
    "lfmopenlicensev10": "lic:lfm-open-1-0",
    "openalephlicense10": "lic:open-aleph-1-0",
    "upstagesolarlicense": "lic:upstage-solar",
    "minimaxmodellicenseagreement": "lic:minimax-model",
    "unlicensed": "lic:no-licence",  # the Model Openness Tool's word: no licence given
    # Epoch AI's accessibility classes, for models whose licence no source names
    "openweightsunrestricted": "lic:epoch-open-weights-unrestricted",
    "openweightsnoncommercial": "lic:epoch-open-weights-non-commercial",
    "openaccessnoncommercial": "lic:epoch-open-weights-non-commercial",
    "openaccessunrestricted": "lic:epoch-open-weights-unrestricted",
    "openaccessrestricteduse": "lic:epoch-open-weights-restricted-use",
    "openweightsrestricteduse": "lic:epoch-open-weights-restricted-use",
}
UNKNOWN_WORDS = {"", "unknown", "none", "custom", "na", "notapplicable", "proprietary",
                 "tbd"}


def normalise_licence(value: Any) -> str | None:
    """The graph's licence id for a dataset's licence text, or None when it names none the
    graph knows ("custom", "unknown", a licence not in the graph).

    >>> [normalise_licence(v) for v in ("Apache 2.0", "Apache-2.0", "custom", "LLaMA 2")]
    ['spdx:Apache-2.0', 'spdx:Apache-2.0', None, 'lic:llama-2-community']
    """
    if value is None:
        return None
    key = normalise(str(value).replace("++", " plusplus "))  # RAIL++-M is not RAIL-M
    return None if key in UNKNOWN_WORDS else LICENCE_NAMES.get(key)


#: How a dataset joins the licences of one model ("Apache-2.0 and CC-BY-NC-4.0").
_JOINED = re.compile(r"\s+(?:and|&|\+)\s+|\s*[;/]\s*", re.IGNORECASE)


def normalise_licences(value: Any) -> list[str]:
    """The graph's licence ids for a dataset's licence text, which may join several ("code
    under one, weights under another"): all of them, or none when any part names no licence
    the graph knows (a part left out could be the one that forbids).

    >>> normalise_licences("Apache-2.0 and CC-BY-NC-4.0")
    ['spdx:Apache-2.0', 'spdx:CC-BY-NC-4.0']
    >>> normalise_licences("Apache-2.0 and additional terms"), normalise_licences("MIT")
    ([], ['spdx:MIT'])
    """
    whole = normalise_licence(value)
    if whole is not None or value is None:
        return [whole] if whole else []
    parts = [normalise_licence(part) for part in _JOINED.split(str(value)) if part.strip()]
    return [p for p in dict.fromkeys(parts) if p] if len(parts) > 1 and all(parts) else []


def load_yaml(text: str) -> Any:
    """YAML through the safe loader, refusing aliases (``*name``): no dataset uses them, and
    nested aliases ("billion laughs") would expand exponentially once the values are read.
    Raises yaml.YAMLError, also for an impossible date or nesting too deep to build."""
    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are refused",
                                                  mark)
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=NoAliasLoader)
    except (ValueError, OverflowError, RecursionError) as err:  # e.g. a date 2023-02-30
        raise yaml.YAMLError(f"{type(err).__name__}: {err}") from None


#: Openness grades from least to most open.
GRADES = ("closed", "partial", "open")


def load_mapping(path: Path) -> dict[str, Any] | Skipped:
    """The YAML mapping in ``path``, or a :class:`Skipped` saying why there is none.
"""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        return Skipped(path, f"not valid YAML: {' '.join(str(err).split())[:200]}")
    if not isinstance(data, dict):
        return Skipped(path, f"not a YAML mapping (found {type(data).__name__})")
    return data


def most_open(grades: Iterable[str | None]) -> str | None:
    """The most open of some grades (None when none is given).

    >>> most_open(["closed", None, "partial"]), most_open([None])
    ('partial', None)
    """
    given = [g for g in grades if g in GRADES]
    return max(given, key=GRADES.index) if given else None


def openness_level(grades: dict[str, str]) -> str | None:
    """"open-source" when weights, training code and training data are open, "open-weights"
    when the weights are open or partial, else None."""
    weights = grades.get("weights")
    if weights == "open" and grades.get("training-code") == grades.get("training-data") == "open":
        return "open-source"
    return "open-weights" if weights in ("open", "partial") else None


# --------------------------------------------------------------------------- mapping to RDF
def _iri(compact_or_full: str) -> ox.NamedNode:
    prefix, _, local = compact_or_full.partition(":")
    if prefix in PREFIXES and not compact_or_full.startswith("http"):
        return ox.NamedNode(PREFIXES[prefix] + local)
    return ox.NamedNode(compact_or_full)


def _k(local: str) -> ox.NamedNode:
    return ox.NamedNode(KG + local)


def _date_literal(value: str) -> ox.Literal:
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))


def records_to_quads(dataset: Dataset, records: Iterable[Record], known_licences: set[str]
                     ) -> tuple[list[ox.Quad], dict[str, int]]:
    """The named graph of a dataset's records: one kg:ModelRecord per (organisation, name),
    with the values the dataset gives. Linking records to models is fusion's work
    (:mod:`kg.fusion`), done each time the landscape is loaded."""
    graph = ox.NamedNode(GRAPH_BASE + dataset.name)
    quads: list[ox.Quad] = []
    seen: set[ox.NamedNode] = set()
    counts = {"records": 0, "merged": 0}

    def add(s, p, o) -> None:
        quads.append(ox.Quad(s, p, o, graph))

    sources: dict[Path, ox.NamedNode] = {}

    def source_of(path: Path) -> ox.NamedNode:
        if path not in sources:
            relative = path.name
            node = ox.NamedNode(ID + f"source/{dataset.name}-{slug(relative)}")
            sources[path] = node
            add(node, RDF_TYPE, _k("Source"))
            add(node, ox.NamedNode(PREFIXES["dcterms"] + "title"),
                ox.Literal(f"{dataset.title}: {relative}"))
            add(node, ox.NamedNode(PREFIXES["schema"] + "url"),
                ox.NamedNode(dict(dataset.others).get(
                    relative, dataset.file_url.format(path=_quote(relative)))))
            add(node, ox.NamedNode(PREFIXES["dcterms"] + "publisher"),
                ox.Literal(dataset.publisher))
            add(node, _k("sourceKind"), ox.Literal("dataset"))
            issued = _snapshot_date(dataset.upstream) if relative not in dict(
                dataset.others) else None
            if issued:
                add(node, ox.NamedNode(PREFIXES["dcterms"] + "issued"), _date_literal(issued))
            add(node, ox.NamedNode(PREFIXES["rdfs"] + "comment"),
                ox.Literal(f"From {dataset.upstream}; licence {dataset.licence}."))
        return sources[path]

    for record in records:
        org_name = record.organizations[0] if record.organizations else "unknown"
        node = ox.NamedNode(ID + f"{dataset.name}/model/{slug(org_name)}--{slug(record.name)}")
        if node in seen:
            counts["merged"] += 1  # same model under two spellings or in two files
        seen.add(node)
        counts["records"] += 1
        src = source_of(record.file)
        add(node, RDF_TYPE, _k("ModelRecord"))
        add(node, LABEL, ox.Literal(record.name))
        add(node, SOURCE, src)
        for org in record.organizations:
            add(node, _k("organizationName"), ox.Literal(org))
        if record.released:
            add(node, _k("releaseDate"), _date_literal(record.released))
        if record.parameters:
            add(node, _k("parameterCount"),
                ox.Literal(str(record.parameters), datatype=ox.NamedNode(XSD + "integer")))
        if record.compute:
            add(node, _k("trainingCompute"),
                ox.Literal(repr(record.compute), datatype=ox.NamedNode(XSD + "double")))
        if record.licence:
            add(node, _k("licenceName"), ox.Literal(record.licence))
            licences = normalise_licences(record.licence)
            if licences and all(licence in known_licences for licence in licences):
                for licence in licences:
                    add(node, _k("licence"), _iri(licence))
        if record.level:
            add(node, _k("opennessLevel"), _iri(f"level:{record.level}"))
        if record.access:
            add(node, _k("accessWording"), ox.Literal(record.access))
        for component, grade in sorted(record.grades.items()):
            grading = ox.BlankNode()
            add(node, _k("componentOpenness"), grading)
            add(grading, RDF_TYPE, _k("ComponentOpenness"))
            add(grading, _k("component"), _iri(f"comp:{component}"))
            add(grading, _k("grade"), _iri(f"grade:{grade}"))
            add(grading, SOURCE, src)
        for base in record.bases:
            add(node, _k("baseModelName"), ox.Literal(base))
        if record.url:
            add(node, ox.NamedNode(PREFIXES["schema"] + "url"), ox.Literal(record.url))
        for key, value in sorted(record.notes.items()):
            add(node, ox.NamedNode(PREFIXES["rdfs"] + "comment"), ox.Literal(f"{key}: {value}"))
    return quads, counts


def _snapshot_date(upstream: str) -> str | None:
    """The date of the upstream commit ("... (2025-01-24)"), if the upstream names a day."""
    found = re.findall(r"\b(\d{4}-\d{2}-\d{2})\b", upstream)
    return found[-1] if found else None  # a month alone ("from 2025-06") is not a day


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path)


# --------------------------------------------------------------------------- the import run
@dataclass
class ImportReport:
    """What an import did: files read, records imported and matched, entries skipped."""

    source: str
    graph: str
    out: Path
    files: int
    records: int
    matched: int
    merged: int
    skipped: list[Skipped]


def run_import(name: str, paths: Iterable[str | Path], home: Path, progress: bool = False,
               out: Path | None = None) -> ImportReport:
    """Import dataset ``name`` from files or folders into ``out`` (default
    ``home/imports/NAME.trig``), replacing any earlier import of that source; the report
    counts the records fusion links to curated models."""
    from kg.importers import importer
    from kg.landscape import Landscape
    from kg.store.export import write_atomically

    module = importer(name)
    files = expand_dataset_paths(paths, module.SUFFIXES)
    curated = Landscape.load(cache=False, sources=("curated",)).store
    known = {r["licence"] for r in curated.select(load_query("importers/licences"))}
    records: list[Record] = []
    skipped: list[Skipped] = []
    for item in _with_progress(module.read(files), len(files), progress, name):
        (records if isinstance(item, Record) else skipped).append(item)
    quads, counts = records_to_quads(module.DATASET, records, known)
    matched = matched_to_curated(curated, quads)
    out = out or home / "imports" / f"{name}.trig"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, rdf_bytes(quads, ox.RdfFormat.TRIG, PREFIXES))
    return ImportReport(name, GRAPH_BASE + name, out, len(files), counts["records"],
                        matched, counts["merged"], skipped)


def matched_to_curated(curated, quads: list[ox.Quad]) -> int:
    """How many of a source's records fusion links to a curated model."""
    from kg.fusion.fuse import fuse

    models = {q.subject for q in curated.quads()
              if q.predicate == RDF_TYPE and q.object == _k("Model")}
    fused = fuse(list(curated.quads()) + quads)
    return sum(1 for q in fused if q.predicate == _k("recordOf") and q.object in models)


def expand_dataset_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Files given, and the files with one of ``suffixes`` in folders given (sorted)."""
    from kg.errors import InputFileError

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()
                                and p.suffix.lower() in suffixes))
        elif path.is_file():
            files.append(path)
        else:
            raise InputFileError(path, "no such file or folder")
    return files


def _with_progress(items: Iterator[Any], total: int, show: bool, name: str) -> Iterator[Any]:
    if not show:
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(f"importing {name}", total=total)
        last = None
        for item in items:
            if item.file != last:
                bar.advance(task)
                last = item.file
            yield item
