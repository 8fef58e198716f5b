"""Bounded load test of `kg serve`: a pool of client threads (urllib) sends the named questions
via /ask/NAME and a SPARQL query via /sparql, then the same mix with slow cartesian queries
mixed in, which the server's timeout stops. Prints requests/second, p50/p99 latency and errors
per phase. The script starts the server on 127.0.0.1 and stops it itself.

    .venv/bin/python bench/load_serve.py [--clients 8] [--requests 40] [--timeout 2]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

#: Named questions with parameters that give an answer on the shipped data.
ASKS = [
    "/ask/commercial-use-at-mau?mau=800M",
    "/ask/open-weight-releases?lab=org:openai",
]
SPARQL = ("SELECT ?m ?d WHERE { ?m kg:developer org:openai ; kg:releaseDate ?d } "
          "ORDER BY ?d")
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n2 ?o }")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(base: str, kind: str) -> tuple[str, int, float]:
    """One request; (kind, HTTP status or 0 for a transport error, seconds)."""
    if kind == "sparql" or kind == "slow":
        query = SPARQL if kind == "sparql" else CARTESIAN
        req = urllib.request.Request(base + "/sparql", data=query.encode(), headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+json"})
    else:
        req = urllib.request.Request(base + kind, headers={"Accept": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as err:
        err.read()
        status = err.code
    except OSError:
        status = 0
    return kind, status, time.perf_counter() - started


def phase(base: str, title: str, kinds: list[str], clients: int, limit: float) -> dict:
    """Send ``kinds`` (one request each) from ``clients`` threads; stop submitting at
    ``limit`` seconds."""
    started = time.perf_counter()
    results = []
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        futures = []
        for kind in kinds:
            if time.perf_counter() - started > limit:
                break
            futures.append(pool.submit(request, base, kind))
        for future in futures:
            results.append(future.result())
    wall = time.perf_counter() - started
    quick = [r for r in results if r[0] != "slow"]
    slow = [r for r in results if r[0] == "slow"]
    latencies = sorted(r[2] * 1000 for r in quick)
    errors = [r for r in quick if r[1] != 200]
    report = {
        "phase": title, "requests": len(results), "seconds": round(wall, 2),
        "requests/s": round(len(results) / wall, 1),
        "p50 ms": round(statistics.median(latencies), 1),
        "p99 ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "errors": len(errors),
        "slow queries": len(slow),
        "slow answered 503": sum(1 for r in slow if r[1] == 503),
        "slow max s": round(max((r[2] for r in slow), default=0), 2),
    }
    print(f"{title:<34} {report['requests']:>5} req {report['seconds']:>6.2f} s "
          f"{report['requests/s']:>7.1f} req/s  p50 {report['p50 ms']:>7.1f} ms  "
          f"p99 {report['p99 ms']:>7.1f} ms  errors {report['errors']}"
          + (f"  slow: {report['slow answered 503']}/{len(slow)} stopped with 503, "
             f"longest {report['slow max s']} s" if slow else ""))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40, help="per client and phase")
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers")
    parser.add_argument("--slow", type=int, default=4, help="cartesian queries in phase 2")
    parser.add_argument("--limit", type=float, default=60, help="seconds per phase at most")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()

    port = free_port()
    env = dict(os.environ)
    env.setdefault("KG_CACHE_DIR", tempfile.mkdtemp(prefix="kg-bench-cache-"))
    env.setdefault("KG_HOME", tempfile.mkdtemp(prefix="kg-bench-home-"))
    log = tempfile.NamedTemporaryFile("w+", prefix="kg-serve-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", str(port), "--timeout",
         str(args.timeout), "--workers", str(args.workers)], stdout=log, stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    sys.exit("kg serve did not start:\n" + log.read())
                time.sleep(0.2)
        print(f"kg serve on {base}: --workers {args.workers} --timeout {args.timeout:g}; "
              f"{args.clients} clients x {args.requests} requests per phase; python "
              f"{sys.version.split()[0]}, {os.cpu_count()} CPUs")
        total = args.clients * args.requests
        mix = list(itertools.islice(itertools.cycle([*ASKS, "sparql"]), total))
        for kind in dict.fromkeys(mix):  # warm each worker up once
            request(base, kind)
        reports = [phase(base, "questions + SPARQL", mix, args.clients, args.limit)]
        step = max(1, len(mix) // (args.slow + 1))
        slowed = list(mix)
        for i in range(args.slow):
            slowed.insert((i + 1) * step, "slow")
        reports.append(phase(base, f"same, with {args.slow} cartesian queries", slowed,
                             args.clients, args.limit))
        if args.json:
            print(json.dumps(reports, indent=2))
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        os.unlink(log.name)


if __name__ == "__main__":
    main()
