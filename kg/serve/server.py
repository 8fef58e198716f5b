"""`kg serve`: the graph as a read-only SPARQL 1.1 Protocol endpoint with its service
description, a page for every entity (``/id/...``: HTML, Turtle, N-Triples, JSON-LD), a
search page, the named questions (as forms and as JSON), the explorer and a health check, on
Starlette and uvicorn.

Queries and pages run in worker processes that each hold the graph; a query that overruns its
timeout is stopped by ending its worker (a fresh one replaces it), so one runaway query cannot
starve the others. Updates, SERVICE clauses, oversized requests and ``default-graph-uri`` /
``named-graph-uri`` are refused; CORS is off unless asked for; every request is logged in one
line.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from kg.serve.answers import Answer
from kg.serve.answers import error as _error
from kg.serve.pages import negotiate as _negotiate

if TYPE_CHECKING:
    from kg.landscape import Landscape

#: Result media types by query form, the first one the default.
TABULAR = {"application/sparql-results+json": "json", "application/json": "json",
           "application/sparql-results+xml": "xml", "text/csv": "csv",
           "text/tab-separated-values": "tsv"}
GRAPH = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld"}
MAX_BODY = 1_000_000  # bytes of a POSTed query
#: The explorer page loads nothing: inline code only, no connections (its own meta policy
#: pins its scripts by hash on top of this).
EXPLORER_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                "img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")
#: The other pages run no script at all; their forms submit to this server.
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")


@dataclass(frozen=True)
class Limits:
    """What one query may cost."""

    timeout: float = 10.0
    max_rows: int = 10_000


# --------------------------------------------------------------------------- workers
def _die_with(parent: int) -> None:
    """End this worker as soon as the server process ``parent`` is gone, even if it was
    killed (SIGKILL), so that a runaway query never outlives its server. A watcher thread
    checks every half second: Oxigraph releases the GIL while it evaluates, so the watcher
    runs during a query too. (Linux's PR_SET_PDEATHSIG would fire when the *thread* that
    started the worker ends, and the pool restarts workers from request threads.)"""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _serve_queries(conn, load_args: dict[str, Any], max_rows: int, parent: int) -> None:
    """A worker: load the graph once, then answer (kind, payload, accept) requests: a
    SPARQL query (``"query"``, its text) or a named question (``"ask"``, (name, params))."""
    from kg.landscape import Landscape

    _die_with(parent)

    landscape = Landscape.load(**load_args)
    from kg.store import results  # noqa: F401 - warm: the first answer needs no import

    landscape.result("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    from kg.serve.pages import warm

    warm(landscape)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        kind, payload, accept = request
        conn.send(_answer(landscape, kind, payload, accept, max_rows))


def _answer(landscape: Landscape, kind: str, payload: Any, accept: str,
            max_rows: int) -> Answer:
    from kg.errors import KgError
    from kg.store import results

    if kind == "page":
        return _page(landscape, payload, accept, max_rows)
    try:
        if kind == "ask":
            name, params = payload
            result = landscape.ask_result(name, **params)
        else:
            result = landscape.result(payload)
    except KgError as err:
        return _error(HTTPStatus.BAD_REQUEST, str(err))
    if result.kind == "graph":
        fmt = _negotiate(accept, GRAPH)
        if fmt is None:
            return _error(HTTPStatus.NOT_ACCEPTABLE, "graph results come as "
                          + ", ".join(GRAPH))
        if len(result.triples) > max_rows:
            return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                          f"result has more than {max_rows} triples: narrow the query")
        media = next(m for m, f in GRAPH.items() if f == fmt)
        return Answer(200, media, results.graph_text(result, fmt).encode())
    fmt = _negotiate(accept, TABULAR)
    if fmt is None:
        return _error(HTTPStatus.NOT_ACCEPTABLE, "results come as " + ", ".join(TABULAR))
    if len(result.solutions) > max_rows:
        return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                      f"result has more than {max_rows} rows: add a LIMIT")
    media = next(m for m, f in TABULAR.items() if f == fmt)
    try:
        body = results.results_bytes(result, fmt)
    except KgError as err:
        return _error(HTTPStatus.BAD_REQUEST, str(err))
    return Answer(200, media, body)


def _page(landscape: Landscape, payload: tuple[str, dict[str, Any]], accept: str,
          max_rows: int) -> Answer:
    """A page of :mod:`kg.serve.pages`: ``("entity", {"path", "params"})``, ``("search",
    {"q"})`` or ``("question", {"name", "params"})``."""
    from kg.errors import KgError
    from kg.serve import pages

    name, args = payload
    try:
        if name == "entity":
            return pages.entity(landscape, args["path"], accept, args["params"])
        if name == "search":
            return pages.search(landscape, args["q"])
        return pages.question(landscape, args["name"], args["params"], max_rows)
    except KgError as err:
        return _error(HTTPStatus.BAD_REQUEST, str(err))


def _call(function: Callable[[], None]) -> None:
    function()


class QueryPool:
    """Worker processes answering queries; a query past the timeout ends its worker."""

    def __init__(self, load_args: dict[str, Any], limits: Limits, workers: int = 2) -> None:
        self.load_args = load_args
        self.limits = limits
        #: runs a worker's ``start`` (the server sets it to start workers from its main
        #: thread, so that every worker is a child of that thread)
        self.starter: Callable[[Callable[[], None]], None] = _call
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[tuple[Any, Any]] = []
        self._lock = threading.Condition()
        for _ in range(workers):
            self._idle.append(self._start())

    def _start(self) -> tuple[Any, Any]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve_queries, daemon=True,
                                        args=(child, self.load_args, self.limits.max_rows,
                                              os.getpid()))
        self.starter(process.start)
        if parent.recv() != "ready":
            raise RuntimeError("query worker failed to start")
        return process, parent

    def run(self, kind: str, payload: Any, accept: str) -> Answer:
        """Answer one request (a ``"query"`` text or an ``"ask"`` (name, params)) within the
        limits; a worker that overran or crashed is
        replaced, and a worker always goes back to the pool."""
        with self._lock:
            while not self._idle:
                self._lock.wait()
            process, conn = self._idle.pop()
        healthy = False
        try:
            conn.send((kind, payload, accept))
            if conn.poll(self.limits.timeout):
                answer = conn.recv()
                healthy = True
            else:
                answer = _error(HTTPStatus.SERVICE_UNAVAILABLE,
                                f"query stopped after its timeout of {self.limits.timeout:g} s")
        except (EOFError, OSError):  # the engine crashed the worker
            answer = _error(HTTPStatus.INTERNAL_SERVER_ERROR, "the query crashed the engine")
        finally:
            if not healthy:
                process.kill()
                process.join()
                process, conn = self._start()
            with self._lock:
                self._idle.append((process, conn))
                self._lock.notify()
        return answer

    def close(self) -> None:
        """End every worker."""
        with self._lock:
            for process, conn in self._idle:
                conn.close()
                process.kill()
            self._idle.clear()


# --------------------------------------------------------------------------- HTTP
#: The longest request line (or header line) read; a longer one is answered 414.
MAX_LINE = 65_536


def _protocol() -> type:
    """uvicorn's h11 protocol, answering a request line over :data:`MAX_LINE` bytes with
    414 and any other malformed request with a one-line 400 (h11 alone says 400 to both)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Protocol(H11Protocol):
        def send_400_response(self, msg: str) -> None:
            pending, _ = self.conn.trailing_data
            line = pending.split(b"\n", 1)[0]
            status, text = ((414, f"the request line is over {MAX_LINE} bytes")
                            if len(line) >= MAX_LINE else (400, "malformed HTTP request"))
            for event in (h11.Response(status_code=status, reason=HTTPStatus(status).phrase,
                                       headers=[(b"content-type", b"text/plain; charset=utf-8"),
                                                (b"connection", b"close")]),
                          h11.Data(data=(text + "\n").encode()), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event) or b"")
            self.transport.close()

    return Protocol


def _on_event_loop(function: Callable[[], None]) -> None:
    """Run ``function`` on the server's event loop (its main thread) when called from a
    request's thread, else here."""
    import anyio.from_thread

    try:
        anyio.from_thread.run_sync(function)
    except RuntimeError:  # not in a worker thread of the event loop
        function()


@dataclass
class KgServer:
    """The uvicorn server, its listening socket and its query pool."""

    server: Any
    socket: Any
    pool: QueryPool

    @property
    def server_port(self) -> int:
        """The port it listens on (the one chosen for port 0)."""
        return int(self.socket.getsockname()[1])

    def serve_forever(self) -> None:
        """Serve until stopped (:meth:`shutdown`, or SIGINT / SIGTERM in the main thread)."""
        self.server.run(sockets=[self.socket])

    def shutdown(self) -> None:
        """Ask the serving loop to stop."""
        self.server.should_exit = True

    def close(self) -> None:
        """Close the socket and end every worker."""
        self.socket.close()
        self.pool.close()


def build_server(host: str, port: int, load_args: dict[str, Any], limits: Limits,
                 workers: int = 2, log=sys.stderr, cors: tuple[str, ...] = ()) -> KgServer:
    """The server, bound and ready to serve_forever(); the explorer page is drawn once here."""
    import socket

    import uvicorn

    from kg.landscape import Landscape
    from kg.serve.app import build_app
    from kg.viz.explorer import explorer_html

    graph = Landscape.load(**load_args).view("full")
    html = explorer_html(graph, title="AI landscape")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    pool = QueryPool(load_args, limits, workers)
    pool.starter = _on_event_loop
    app = build_app(pool, html, EXPLORER_CSP, PAGE_CSP, cors, log)
    config = uvicorn.Config(app, http=_protocol(), lifespan="off", access_log=False,
                            log_config=None, log_level="warning", server_header=False,
                            h11_max_incomplete_event_size=MAX_LINE,
                            timeout_graceful_shutdown=2)
    return KgServer(uvicorn.Server(config), sock, pool)


def serve(host: str, port: int, load_args: dict[str, Any], limits: Limits, workers: int = 2,
          cors: tuple[str, ...] = ()) -> None:
    """Serve until interrupted."""
    server = build_server(host, port, load_args, limits, workers, cors=cors)
    where = "loopback only" if host in ("127.0.0.1", "localhost", "::1") else \
        "REACHABLE FROM OTHER MACHINES"
    print(f"serving the landscape on http://{host}:{server.server_port}/ ({where}); "
          f"SPARQL at /sparql, read-only, timeout {limits.timeout:g} s, "
          f"at most {limits.max_rows} rows; entity pages at /id/..., search at /search"
          + (f"; CORS for {', '.join(cors)}" if cors else ""), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
