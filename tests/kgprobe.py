"""Helpers of the hostile-input tests (used by the tests and conftest.py): the `kg` command
as a real process, a real `kg serve` on 127.0.0.1, plain HTTP requests, and a listening
socket that records any connection."""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
XSS = REPO / "tests" / "fixtures" / "viz" / "xss.ttl"
#: A query no timeout of a few seconds lets finish: a five-way cartesian product.
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n2 ?o }")


@dataclass
class Run:
    """A finished `kg` process."""

    code: int
    out: str
    err: str
    seconds: float


def kg(*args: str | Path, timeout: float = 60, stdin: str | None = None,
       cwd: Path | None = None, preexec_fn=None) -> Run:
    """Run `python -m kg ARGS` as a real process (so crashes and exit codes are real)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, input=stdin, cwd=cwd,
                          preexec_fn=preexec_fn)
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def assert_one_line_error(run: Run, code: int = 2, *fragments: str) -> str:
    """The process exited with ``code`` and said why in one line, without a traceback."""
    assert run.code == code, (run.code, run.err[-2000:])
    assert "Traceback" not in run.err, run.err[-2000:]
    lines = [line for line in run.err.splitlines() if line.strip()]
    assert len(lines) == 1, run.err[-2000:]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running `kg serve` process and how to talk to it."""

    process: subprocess.Popen
    port: int
    log: Path

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, timeout: float = 30
                ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.headers), response.read()
        finally:
            conn.close()

    def healthy(self) -> bool:
        try:
            return self.request("GET", "/health", timeout=5)[0] == 200
        except OSError:
            return False

    def sparql(self, query: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        return self.request("POST", "/sparql", query.encode(),
                            {"Content-Type": "application/sparql-query",
                             "Accept": "application/sparql-results+json"}, timeout=timeout)


@contextlib.contextmanager
def running_server(tmp: Path, *args: str, timeout: float = 2,
                   serve_args: tuple[str, ...] = ()) -> Iterator[Server]:
    """`kg [ARGS] serve [SERVE_ARGS]` on a free loopback port with a query timeout; ended
    on exit."""
    port = free_port()
    log = tmp / f"serve-{port}.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg", *args, "serve", "--port", str(port),
             "--timeout", str(timeout), *serve_args], stdout=sink, stderr=sink)
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + 90
        while not server.healthy():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "kg serve did not answer /health"
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Listener:
    """A TCP socket on 127.0.0.1 that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
