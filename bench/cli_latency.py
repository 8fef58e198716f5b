"""CLI start-up latency against `python -c "import rdflib"`, as medians of cold processes.

    .venv/bin/python bench/cli_latency.py [--runs 15]

Each run is a new process (nothing shared but the on-disk store cache, which the first,
untimed call builds); the commands alternate, round by round, so a busy machine weighs on
all alike. Wall time and the child's CPU time are both reported; ratio <= 1.0 means the
command answered before rdflib alone would have finished importing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]
BASELINE = "baseline: python -c 'import rdflib'"
COMMANDS = {
    BASELINE: [sys.executable, "-c", "import rdflib"],
    "kg summary --format json": [*KG, "summary", "--format", "json"],
    "kg summary (rich table)": [*KG, "summary"],
    "kg ask open-weight-releases -p lab=org:openai --format json":
        [*KG, "ask", "open-weight-releases", "-p", "lab=org:openai", "--format", "json"],
    "kg ask product-users --format json": [*KG, "ask", "product-users", "--format", "json"],
    "kg query 'ASK {...}'": [*KG, "query", "ASK { model:gpt-2 a kg:Model }"],
    "kg show gpt-2 --format json": [*KG, "show", "gpt-2", "--format", "json"],
    "kg can-use gpt-oss-120b --mau 800M --format json":
        [*KG, "can-use", "gpt-oss-120b", "--mau", "800M", "--format", "json"],
    "kg timeline OpenAI --format json": [*KG, "timeline", "OpenAI", "--format", "json"],
}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one cold process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "KG_CACHE_DIR": tempfile.mkdtemp(prefix="kg-bench-cache-"),
           "COLUMNS": "160"}
    # as after an ordinary install, modules start from their compiled bytecode (pip compiles
    # rdflib's at install; the untimed first call of each command compiles kg's)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for command in COMMANDS.values():
        subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):  # alternate: every round runs each command once, in turn
        for name, command in COMMANDS.items():
            wall, cpu = timed(command, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    wall_base = statistics.median(walls[BASELINE])
    cpu_base = statistics.median(cpus[BASELINE])
    print(f"medians of {args.runs} alternating rounds of cold processes (cache built "
          "beforehand); ratios against the baseline")
    print(f"{'command':62} {'wall s':>7} {'ratio':>6} {'CPU s':>7} {'ratio':>6}")
    for name in COMMANDS:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:62} {wall:7.3f} {wall / wall_base:6.2f} {cpu:7.3f} {cpu / cpu_base:6.2f}")


if __name__ == "__main__":
    main()
