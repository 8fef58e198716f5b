"""CLI start-up latency against `python -c "import rdflib"`, as medians of cold processes.

    .venv/bin/python bench/cli_latency.py [--runs 15]

Each run is a new process (nothing shared but the on-disk store cache, which the first,
untimed call builds). Ratio <= 1.0 means the command answered before rdflib alone would
have finished importing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
COMMANDS = {
    "baseline: python -c 'import rdflib'": [sys.executable, "-c", "import rdflib"],
    "kg summary --format json": [*KG, "summary", "--format", "json"],
    "kg summary (rich table)": [*KG, "summary"],
    "kg ask open-weight-releases -p lab=org:openai --format json":
        [*KG, "ask", "open-weight-releases", "-p", "lab=org:openai", "--format", "json"],
    "kg ask product-users --format json": [*KG, "ask", "product-users", "--format", "json"],
    "kg query 'ASK {...}'": [*KG, "query", "ASK { model:gpt-2 a kg:Model }"],
}


def median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "KG_CACHE_DIR": tempfile.mkdtemp(prefix="kg-bench-cache-"),
           "COLUMNS": "160"}
    subprocess.run(COMMANDS["kg summary --format json"], env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, check=True)  # build the cache, untimed
    results = {name: median_seconds(cmd, args.runs, env) for name, cmd in COMMANDS.items()}
    baseline = results["baseline: python -c 'import rdflib'"]
    print(f"median of {args.runs} cold runs each (cache built beforehand)")
    print(f"{'command':66} {'seconds':>8} {'ratio':>6}")
    for name, seconds in results.items():
        print(f"{name:66} {seconds:8.3f} {seconds / baseline:6.2f}")


if __name__ == "__main__":
    main()
