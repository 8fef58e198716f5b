"""Fusion at scale: resolve N synthetic records (with realistic name noise) from three
sources against the curated graph, N from 10,000 to 100,000; time, peak memory and the growth
exponent. The baseline is the smallest size: ratios are time(N) / time(10k).

    .venv/bin/python bench/fusion.py [--sizes 10000,30000,100000] [--seed 7]

Each size runs in a fresh process (``--one N`` inside), so peak memory (ru_maxrss) is that
size's alone. What is timed is :func:`kg.fusion.fuse.fuse` on the parsed quads: organisation
and model resolution, variant links, the review list and the fused graph's quads; building
the synthetic quads is not timed. The issue's budget: 100k records in <= 60 s and <= 2 GB.

Noise, as seen in the real datasets: case ("LLaMA"/"Llama"), separators ("Llama-2-7B",
"Llama 2 7B", "Llama2-7b"), a size in brackets ("(7B)"), "v" before versions, "-hf",
organisations with "Inc."/"AI"/a typo, records without an organisation, and one model in up
to three sources.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vox", "zen", "qua", "bel", "dor", "fin", "gal",
             "hex", "jun", "kor", "lum", "nov", "pix", "sol", "tor", "ul", "wen", "yar", "zed"]
VARIANTS = ["", "", "", "Instruct", "Chat", "Base", "Coder", "Vision"]
SIZES = ["1B", "3B", "7B", "8B", "13B", "34B", "70B", "405B", "350M"]


def synthetic_records(n: int, seed: int) -> list[tuple[str, str, str | None, str]]:
    """(source, name, organisation, release date) for ``n`` records of about n / 2 models."""
    rng = random.Random(seed)
    labs = [("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))).title()
            for _ in range(max(n // 40, 10))]
    records: list[tuple[str, str, str | None, str]] = []
    while len(records) < n:
        lab = rng.choice(labs)
        family = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).title()
        version = rng.choice(["", "2", "3", "3.1", "4", "1.5"])
        size = rng.choice(SIZES)
        variant = rng.choice(VARIANTS)
        date = f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        for source in rng.sample(["alpha", "beta", "gamma"], rng.choice([1, 1, 2, 2, 3])):
            records.append((source, _noisy_name(rng, family, version, size, variant),
                            _noisy_org(rng, lab), date))
    return records[:n]


def _noisy_name(rng: random.Random, family: str, version: str, size: str, variant: str) -> str:
    sep = rng.choice(["-", " ", "-", "_"])
    head = family + (rng.choice(["", " ", "-"]) + version if version else "")
    if rng.random() < 0.2:
        head = head.upper() if rng.random() < 0.5 else head.lower()
    parts = [head, f"({size})" if rng.random() < 0.1 else size, variant]
    name = sep.join(p for p in parts if p)
    if rng.random() < 0.05:
        name += "-hf"
    if rng.random() < 0.05:
        name += rng.choice(["-v0.1", " v2"])
    return name


def _noisy_org(rng: random.Random, lab: str) -> str | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    if roll < 0.15:
        return lab + rng.choice([" Inc.", " AI", " Labs"])
    if roll < 0.2 and len(lab) > 5:
        i = rng.randrange(1, len(lab) - 1)
        return lab[:i] + lab[i + 1] + lab[i] + lab[i + 2:]  # a typo: two letters swapped
    return lab


def _quads(records: list[tuple[str, str, str | None, str]]):
    import pyoxigraph as ox

    from kg.fusion.fuse import GRAPH_BASE, RECORD, TYPE, k
    from kg.namespaces import ID, XSD
    from kg.store.load import default_files, parse_all

    quads = [q for _, fq in parse_all([p for p in default_files() if "datasets" not in p.parts])
             for q in fq]
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for number, (source, name, org, date) in enumerate(records):
        graph = ox.NamedNode(GRAPH_BASE + source)
        node = ox.NamedNode(f"{ID}{source}/model/r{number}")
        quads.append(ox.Quad(node, TYPE, RECORD, graph))
        quads.append(ox.Quad(node, label, ox.Literal(name), graph))
        if org:
            quads.append(ox.Quad(node, k("organizationName"), ox.Literal(org), graph))
        quads.append(ox.Quad(node, k("releaseDate"),
                             ox.Literal(date, datatype=ox.NamedNode(XSD + "date")), graph))
    return quads


def one(n: int, seed: int) -> dict[str, float]:
    """Fuse ``n`` synthetic records in this process: seconds and peak memory (MB)."""
    from kg.fusion.fuse import fuse

    quads = _quads(synthetic_records(n, seed))
    start = time.perf_counter()
    fused = fuse(quads)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    models = sum(1 for q in fused if q.predicate.value.endswith("#recordOf"))
    return {"records": n, "seconds": round(seconds, 2), "peak_mb": round(peak_mb),
            "links": models}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seed)))
        return
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed",
                              str(args.seed)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout))
    base = rows[0]
    print(f"{'records':>8} {'seconds':>8} {'ratio':>6} {'peak MB':>8}  (baseline: "
          f"{base['records']:,} records)")
    for row in rows:
        print(f"{row['records']:>8,} {row['seconds']:>8.2f} "
              f"{row['seconds'] / base['seconds']:>6.2f} {row['peak_mb']:>8}")
    last = rows[-1]
    exponent = math.log(last["seconds"] / base["seconds"]) / math.log(
        last["records"] / base["records"]) if len(rows) > 1 else float("nan")
    print(f"growth exponent {base['records']:,} -> {last['records']:,}: {exponent:.2f} "
          "(1.0 = linear)")
    if last["records"] == 100_000:
        met = last["seconds"] <= 60 and last["peak_mb"] <= 2048
        print(f"budget at 100,000 records (60 s, 2,048 MB): {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
