"""Load throughput and named-question latency of `kg`'s store against raw pyoxigraph.

    .venv/bin/python bench/store_scaling.py [--sizes 10000 100000 1000000]

For each size (in models; ~23 triples per model) a synthetic landscape is written as
N-Triples, then loaded (a) the way `kg --store DIR` does (parse every file completely, build
the on-disk store, open it read-only) and (b) by raw pyoxigraph (`Store(path).bulk_load`).
Each named question then runs on both stores (median of 3). Ratios: load throughput kg/raw
(goal >= 0.5) and query time kg/raw (goal <= 1.2).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402
from synthetic import generate  # noqa: E402

from kg.landscape import Landscape  # noqa: E402
from kg.namespaces import PREFIXES  # noqa: E402
from kg.queries.questions import all_questions, bind_parameters  # noqa: E402
from kg.reports.entities import to_iri  # noqa: E402
from kg.resources import data_dir  # noqa: E402
from kg.store.load import ontology_files, rdf_files_in  # noqa: E402

PARAMS = {"funding-round": {"round": "round:syn-0"}, "open-weight-releases": {"lab": "org:syn-0"},
          "competitors": {"lab": "org:syn-0"}, "person-statements": {"person": "org:syn-0"},
          "entity-sources": {"entity": "model:syn-0"}, "commercial-use-at-mau": {"mau": "800M"}}


def median_time(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_size(size: int, work: Path, ontology: list[Path]) -> None:
    """Load and query one synthetic landscape both ways and print the ratios."""
    data = work / f"landscape-{size}.nt"
    ox.serialize(generate(size), data, format=ox.RdfFormat.N_TRIPLES)
    start = time.perf_counter()
    ours = Landscape.load([data], store_path=work / f"kg-{size}").store
    ours_load = time.perf_counter() - start
    start = time.perf_counter()
    raw = ox.Store(str(work / f"raw-{size}"))
    for path in [*ontology, data, *rdf_files_in(data_dir())]:
        raw.bulk_load(path=path)
    raw_load = time.perf_counter() - start
    quads = len(ours)
    print(f"\n{size} models, {quads} quads: load kg {ours_load:.1f} s "
          f"({quads / ours_load:,.0f} quads/s), raw pyoxigraph {raw_load:.1f} s "
          f"({len(raw) / raw_load:,.0f} quads/s); throughput ratio {raw_load / ours_load:.2f}")
    print(f"{'question':26} {'kg s':>9} {'raw s':>9} {'ratio':>6}")
    ratios = []
    for name, question in all_questions().items():
        bindings = bind_parameters(question, PARAMS.get(name, {}), to_iri)
        substitutions = {ox.Variable(k): v for k, v in bindings.items()} or None
        kg_time = median_time(lambda q=question, b=bindings: ours.query(q.sparql, b))
        raw_time = median_time(lambda q=question, s=substitutions: list(raw.query(
            q.sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=s)))
        ratios.append(kg_time / raw_time if raw_time else 1.0)
        print(f"{name:26} {kg_time:9.4f} {raw_time:9.4f} {ratios[-1]:6.2f}", flush=True)
    print(f"median query ratio {statistics.median(ratios):.2f}, max {max(ratios):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-store-bench-"))
    ontology = ontology_files()
    try:
        for size in args.sizes:
            bench_size(size, work, ontology)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
