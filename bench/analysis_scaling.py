"""Projections and analyses on the shipped data and on synthetic landscapes of growing size.

    .venv/bin/python bench/analysis_scaling.py [--sizes 10000 100000]

Prints the seconds each projection and analysis takes at each size, and the measured
scaling exponent between the two largest sizes (time ~ size^k; k near 1 is linear). Then
runs betweenness centrality on the smallest synthetic full view once with NetworkX's default
backend and once with nx-parallel (when installed), to show that backend dispatch applies
unchanged.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402
from synthetic import synthetic_landscape  # noqa: E402

from kg.analysis import measures as analysis  # noqa: E402
from kg.analysis.projections import VIEWS  # noqa: E402
from kg.landscape import Landscape  # noqa: E402
from kg.store import GraphStore  # noqa: E402

STEPS = {
    **{f"project {name}": (lambda s, f=f: f(s)) for name, f in VIEWS.items()},
    "openness scores": analysis.openness_scores,
    "permissiveness": analysis.permissiveness,
    "positioning": analysis.positioning,
    "centrality (funding)": lambda s: analysis.centrality(VIEWS["funding"](s)),
    "communities (competition)": lambda s: analysis.communities(VIEWS["competition"](s)),
}


def synthetic_store(models: int) -> GraphStore:
    return synthetic_landscape(models).store


def timed(step, store) -> float:
    start = time.perf_counter()
    step(store)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    stores = {"shipped": Landscape.load(cache=False).store}
    for size in args.sizes:
        stores[f"{size} models"] = synthetic_store(size)
    names = list(stores)
    print(f"{'step':28}" + "".join(f"{n:>16}" for n in names) + f"{'exponent':>10}")
    for step_name, step in STEPS.items():
        seconds = [timed(step, store) for store in stores.values()]
        exponent = ""
        if len(args.sizes) >= 2:
            (a, b), (ta, tb) = args.sizes[-2:], seconds[-2:]
            exponent = f"{math.log(tb / ta) / math.log(b / a):10.2f}" if ta > 0 else ""
        print(f"{step_name:28}" + "".join(f"{t:16.3f}" for t in seconds) + exponent,
              flush=True)
    backend_size = names[1] if len(names) > 1 else names[0]
    simple = nx.Graph(VIEWS["full"](stores[backend_size]).to_undirected())
    start = time.perf_counter()
    nx.betweenness_centrality(simple, k=200, seed=1)
    default = time.perf_counter() - start
    print(f"betweenness (k=200) on the {backend_size} full view "
          f"({simple.number_of_nodes()} nodes): default backend {default:.2f} s", end="")
    try:
        import nx_parallel  # noqa: F401
    except ImportError:
        print("; nx-parallel not installed")
        return
    start = time.perf_counter()
    nx.betweenness_centrality(simple, k=200, seed=1, backend="parallel")
    print(f"; nx-parallel backend {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
