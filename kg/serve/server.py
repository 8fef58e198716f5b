"""`kg serve`: the graph as a read-only SPARQL 1.1 Protocol endpoint, with the explorer page,
the named questions and a health check.

Queries run in worker processes that each hold the graph; a query that overruns its timeout
is stopped by ending its worker (a fresh one replaces it), so one runaway query cannot starve
the others. Updates, SERVICE clauses and oversized requests are refused; every request is
logged in one line.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class Limits:
    """What one query may cost."""

    timeout: float = 10.0
    max_rows: int = 10_000


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type, body."""

    status: int
    media_type: str
    body: bytes


def _error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode())


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


def _negotiate(accept: str, offered: dict[str, str]) -> str | None:
    """The first offered format the Accept header allows (``*/*`` or none: the default)."""
    wanted = [part.split(";")[0].strip().lower() for part in (accept or "*/*").split(",")]
    for media in wanted:
        if media in offered:
            return offered[media]
        if media in ("*/*", "application/*", "text/*", ""):
            return next(iter(offered.values()))
    return None


class QueryPool:
    """Worker processes answering queries; a query past the timeout ends its worker."""

    def __init__(self, load_args: dict[str, Any], limits: Limits, workers: int = 2) -> None:
        self.load_args = load_args
        self.limits = limits
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
        process.start()
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
class Handler(BaseHTTPRequestHandler):
    """Routes: /sparql (GET, POST), /ask/NAME, /questions, /health, / (the explorer)."""

    server: KgServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server API
        pass  # one line per request is written by _respond

    def _respond(self, answer: Answer, started: float) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.media_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if answer.status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, POST")
        if answer.media_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", self.server.explorer_csp)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)
        elapsed = (time.perf_counter() - started) * 1000
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        print(f"{stamp} {self.client_address[0]} {self.command} {self.path[:200]} "
              f"{answer.status} {len(answer.body)}B {elapsed:.0f}ms", file=self.server.log,
              flush=True)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        started = time.perf_counter()
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        self._respond(self.server.route_get(url.path, params, self.headers.get("Accept", "")),
                      started)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_POST(self) -> None:  # noqa: N802
        started = time.perf_counter()
        url = urllib.parse.urlsplit(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            self._respond(_error(HTTPStatus.BAD_REQUEST, "bad Content-Length"), started)
            return
        if length > MAX_BODY:
            self.close_connection = True
            self._respond(_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                 f"request body over {MAX_BODY} bytes"), started)
            return
        body = self.rfile.read(length)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        self._respond(self.server.route_post(url.path, media, body,
                                             self.headers.get("Accept", "")), started)

    def _refuse(self) -> None:
        self._respond(_error(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only"),
                      time.perf_counter())

    do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815


class KgServer(ThreadingHTTPServer):
    """The HTTP server, its query pool and its pages."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], pool: QueryPool, explorer: str,
                 explorer_csp: str, log=sys.stderr) -> None:
        super().__init__(address, Handler)
        self.pool = pool
        self.explorer = explorer.encode()
        self.explorer_csp = explorer_csp
        self.log = log

    def handle_error(self, request: Any, client_address: tuple[str, int]) -> None:
        """A client that hangs up mid-answer is one log line, not a traceback."""
        kind = sys.exc_info()[0]
        print(f"{datetime.now(UTC).isoformat(timespec='seconds')} {client_address[0]} "
              f"connection error: {kind.__name__ if kind else 'unknown'}", file=self.log,
              flush=True)

    def route_get(self, path: str, params: dict[str, list[str]], accept: str) -> Answer:
        if path == "/health":
            return Answer(200, "application/json", json.dumps({"status": "ok"}).encode())
        if path in ("/", "/index.html"):
            return Answer(200, "text/html; charset=utf-8", self.explorer)
        if path == "/questions":
            return self._questions()
        if path.startswith("/ask/"):
            return self._ask(path.removeprefix("/ask/"), params, accept)
        if path == "/sparql":
            if "update" in params:
                return _error(HTTPStatus.FORBIDDEN, "updates are refused: read-only endpoint")
            queries = params.get("query", [])
            if len(queries) != 1:
                return _error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            return self._query(queries[0], accept)
        return _error(HTTPStatus.NOT_FOUND, f"no such page: {path}")

    def route_post(self, path: str, media: str, body: bytes, accept: str) -> Answer:
        if path != "/sparql":
            return _error(HTTPStatus.METHOD_NOT_ALLOWED if path in ("/", "/health")
                          else HTTPStatus.NOT_FOUND, f"POST is for /sparql, not {path}")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
        if media == "application/sparql-update":
            return _error(HTTPStatus.FORBIDDEN, "updates are refused: read-only endpoint")
        if media == "application/sparql-query":
            return self._query(text, accept)
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return _error(HTTPStatus.FORBIDDEN, "updates are refused: read-only endpoint")
            if len(form.get("query", [])) != 1:
                return _error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
            return self._query(form["query"][0], accept)
        return _error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                      "POST a query as application/sparql-query or a form")

    def _query(self, sparql: str, accept: str) -> Answer:
        from kg.store.base import uses_service

        if uses_service(sparql):
            return _error(HTTPStatus.BAD_REQUEST, "SERVICE clauses are refused")
        return self.pool.run("query", sparql, accept)

    def _questions(self) -> Answer:
        from kg.queries.questions import all_questions

        listing = [{"name": q.name, "title": q.title, "description": q.description,
                    "parameters": [p.__dict__ for p in q.parameters]}
                   for q in all_questions().values()]
        return Answer(200, "application/json", json.dumps(listing, indent=2).encode())

    def _ask(self, name: str, params: dict[str, list[str]], accept: str) -> Answer:
        """A named question, its parameters resolved in the worker like ``kg ask``'s."""
        from kg.errors import KgError
        from kg.queries.questions import get_question

        try:
            get_question(name)
        except KgError as err:
            return _error(HTTPStatus.BAD_REQUEST, str(err))
        return self.pool.run("ask", (name, {k: v[-1] for k, v in params.items()}), accept)


def build_server(host: str, port: int, load_args: dict[str, Any], limits: Limits,
                 workers: int = 2, log=sys.stderr) -> KgServer:
    """The server, ready to serve_forever(); the explorer page is drawn once here."""
    from kg.landscape import Landscape
    from kg.viz.explorer import explorer_html

    graph = Landscape.load(**load_args).view("full")
    html = explorer_html(graph, title="AI landscape")
    pool = QueryPool(load_args, limits, workers)
    return KgServer((host, port), pool, html, EXPLORER_CSP, log)


def serve(host: str, port: int, load_args: dict[str, Any], limits: Limits, workers: int = 2
          ) -> None:
    """Serve until interrupted."""
    server = build_server(host, port, load_args, limits, workers)
    where = "loopback only" if host in ("127.0.0.1", "localhost", "::1") else \
        "REACHABLE FROM OTHER MACHINES"
    print(f"serving the landscape on http://{host}:{server.server_port}/ ({where}); "
          f"SPARQL at /sparql, read-only, timeout {limits.timeout:g} s, "
          f"at most {limits.max_rows} rows", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()

