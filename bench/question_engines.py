"""Named questions on the embedded Oxigraph store against plain rdflib memory.

    .venv/bin/python bench/question_engines.py [--models 45000] [--rdflib-timeout 120]

Loads the ontology plus a synthetic landscape (bench/synthetic.py; 45,000 models is about
1M triples) into both backends in one process, then times every named question: Oxigraph
as the median of 3 runs, rdflib once, in a forked child stopped at --rdflib-timeout.
Prints each question's times and the speed-up (rdflib / Oxigraph).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from synthetic import synthetic_landscape  # noqa: E402

from kg.queries.questions import all_questions, bind_parameters  # noqa: E402
from kg.reports.entities import to_iri  # noqa: E402
from kg.store import RdflibStore  # noqa: E402

PARAMS = {"funding-round": {"round": "round:syn-0"}, "open-weight-releases": {"lab": "org:syn-0"},
          "competitors": {"lab": "org:syn-0"}, "person-statements": {"person": "org:syn-0"},
          "entity-sources": {"entity": "model:syn-0"}, "commercial-use-at-mau": {"mau": "800M"},
          "models-by-openness": {"level": "level:open-weights"}}


def time_rdflib_in_child(store: RdflibStore, sparql: str, bindings, timeout: float) -> float:
    """Seconds the query takes on rdflib, in a forked child; inf when it overruns."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: the dataset is shared copy-on-write
        os.close(read)
        start = time.perf_counter()
        store.query(sparql, bindings)
        os.write(write, f"{time.perf_counter() - start}".encode())
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(read)
        return float("inf")
    answer = os.read(read, 64)
    os.close(read)
    return float(answer) if answer else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=45000)
    parser.add_argument("--rdflib-timeout", type=float, default=120.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kg-engines-"))
    synthetic_landscape(args.models, folder=folder)  # writes the file once, untimed
    start = time.perf_counter()
    oxigraph = synthetic_landscape(args.models, folder=folder).store
    ox_load = time.perf_counter() - start
    start = time.perf_counter()
    rdflib_store = synthetic_landscape(args.models, "rdflib", folder).store
    rdf_load = time.perf_counter() - start
    print(f"{len(oxigraph)} triples ({args.models} synthetic models); load: Oxigraph "
          f"{ox_load:.1f} s, rdflib {rdf_load:.1f} s")
    print(f"{'question':26} {'oxigraph s':>11} {'rdflib s':>10} {'speed-up':>9}")
    speedups = []
    for name, question in all_questions().items():
        bindings = bind_parameters(question, PARAMS.get(name, {}), to_iri)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            oxigraph.query(question.sparql, bindings)
            runs.append(time.perf_counter() - start)
        ox_time = statistics.median(runs)
        rdf_time = time_rdflib_in_child(rdflib_store, question.sparql, bindings,
                                        args.rdflib_timeout)
        ratio = rdf_time / ox_time if ox_time else float("inf")
        speedups.append(ratio)
        shown = f"{rdf_time:10.3f}" if rdf_time != float("inf") else f">{args.rdflib_timeout:9.0f}"
        print(f"{name:26} {ox_time:11.4f} {shown} {ratio:8.1f}x", flush=True)
    finite = [s for s in speedups if s != float("inf")]
    print(f"median speed-up {statistics.median(speedups):.1f}x; minimum "
          f"{min(speedups):.1f}x; {len(speedups) - len(finite)} rdflib run(s) timed out")


if __name__ == "__main__":
    main()
