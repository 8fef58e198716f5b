"""The ASGI application of ``kg serve`` (Starlette): its routes, the read-only SPARQL 1.1
Protocol with a service description, CORS on request and one log line per request. Queries
and pages are answered by the worker pool (:class:`kg.serve.server.QueryPool`)."""

from __future__ import annotations

import json
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TextIO

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.serve.answers import Answer, error
from kg.serve.pages import negotiate

if TYPE_CHECKING:
    from kg.serve.server import QueryPool

MAX_BODY = 1_000_000  # bytes of a POSTed query
READ_ONLY = "this endpoint is read-only"
#: Both names of a dataset the SPARQL protocol lets a request give.
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
SERVICE_DESCRIPTION = """\
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    dcterms:title "AI landscape knowledge graph (read-only)" ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML,
        formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle,
        formats:N-Triples, formats:JSON-LD ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""


def service_description(endpoint: str) -> str:
    """The SPARQL 1.1 service description (Turtle) of the endpoint at ``endpoint``.

    >>> "sd:SPARQL11Query" in service_description("http://127.0.0.1:7878/sparql")
    True
    """
    return SERVICE_DESCRIPTION.format(endpoint=endpoint)


def build_app(pool: QueryPool, explorer: str, explorer_csp: str, page_csp: str,
              cors: tuple[str, ...] = (), log: TextIO = sys.stderr) -> ASGIApp:
    """The application: routes answered by ``pool``, wrapped in CORS (only for the origins
    in ``cors``), the OPTIONS answer and the request log."""
    from starlette.concurrency import run_in_threadpool

    explorer_body = explorer.encode()

    def respond(answer: Answer, close: bool = False) -> Response:
        headers = {"Connection": "close"} if close else {}
        if answer.status == HTTPStatus.METHOD_NOT_ALLOWED:
            headers["Allow"] = "GET, POST"
        if answer.media_type.startswith("text/html"):
            headers["Content-Security-Policy"] = (
                explorer_csp if answer.body is explorer_body else page_csp)
        return Response(answer.body, answer.status, headers, answer.media_type)

    async def run(kind: str, payload: Any, accept: str) -> Response:
        return respond(await run_in_threadpool(pool.run, kind, payload, accept))

    async def query(sparql: str, params: dict[str, list[str]], accept: str) -> Response:
        from kg.store.base import uses_service

        given = [name for name in DATASET_PARAMETERS if name in params]
        if given:
            return respond(error(HTTPStatus.BAD_REQUEST, f"{' and '.join(given)} not taken "
                                 "here: name graphs in the query with FROM / FROM NAMED (the "
                                 "default graph is the union of all graphs)"))
        if uses_service(sparql):
            return respond(error(HTTPStatus.BAD_REQUEST, "SERVICE clauses are refused"))
        return await run("query", sparql, accept)

    def query_parameters(request: Request) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(request.url.query, keep_blank_values=True)

    async def explorer_page(request: Request) -> Response:
        return respond(Answer(200, "text/html; charset=utf-8", explorer_body))

    async def health(request: Request) -> Response:
        return respond(Answer(200, "application/json", json.dumps({"status": "ok"}).encode()))

    async def sparql_get(request: Request) -> Response:
        params = query_parameters(request)
        if "update" in params:
            return respond(error(HTTPStatus.FORBIDDEN, "updates are refused: read-only "
                                 "endpoint"))
        if not params:
            endpoint = str(request.url.replace(query="", fragment=""))
            return respond(Answer(200, "text/turtle; charset=utf-8",
                                  service_description(endpoint).encode()))
        queries = params.get("query", [])
        if len(queries) != 1:
            return respond(error(HTTPStatus.BAD_REQUEST, "give exactly one query parameter"))
        return await query(queries[0], params, request.headers.get("accept", ""))

    async def sparql_post(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            return respond(error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                 f"request body over {MAX_BODY} bytes"), close=True)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return respond(error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                     f"request body over {MAX_BODY} bytes"), close=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return respond(error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8"))
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        accept = request.headers.get("accept", "")
        params = query_parameters(request)
        if media == "application/sparql-update":
            return respond(error(HTTPStatus.FORBIDDEN, "updates are refused: read-only "
                                 "endpoint"))
        if media == "application/sparql-query":
            return await query(text, params, accept)
        if media == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return respond(error(HTTPStatus.FORBIDDEN, "updates are refused: read-only "
                                     "endpoint"))
            if len(form.get("query", [])) != 1:
                return respond(error(HTTPStatus.BAD_REQUEST,
                                     "give exactly one query parameter"))
            return await query(form["query"][0], {**params, **form}, accept)
        return respond(error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                             "POST a query as application/sparql-query or a form"))

    async def ask(request: Request) -> Response:
        """A named question, its parameters resolved in the worker like ``kg ask``'s."""
        from kg.errors import KgError
        from kg.queries.questions import get_question

        name = request.path_params["name"]
        try:
            get_question(name)
        except KgError as err:
            return respond(error(HTTPStatus.BAD_REQUEST, str(err)))
        params = {k: v[-1] for k, v in query_parameters(request).items()}
        return await run("ask", (name, params), request.headers.get("accept", ""))

    async def questions(request: Request) -> Response:
        from kg.queries.questions import all_questions
        from kg.serve import pages

        fmt = negotiate(request.headers.get("accept", ""),
                        {"application/json": "json", "text/html": "html"})
        if fmt == "html":
            return respond(pages.questions())
        listing = [{"name": q.name, "title": q.title, "description": q.description,
                    "parameters": [p.__dict__ for p in q.parameters]}
                   for q in all_questions().values()]
        return respond(Answer(200, "application/json", json.dumps(listing, indent=2).encode()))

    async def question(request: Request) -> Response:
        params = {k: v[-1] for k, v in query_parameters(request).items()}
        return await run("page", ("question", {"name": request.path_params["name"],
                                               "params": params}), "text/html")

    async def search(request: Request) -> Response:
        return await run("page", ("search", {"q": request.query_params.get("q", "")}),
                         "text/html")

    async def entity(request: Request) -> Response:
        params = {k: v[-1] for k, v in query_parameters(request).items()}
        return await run("page", ("entity", {"path": request.path_params["path"],
                                             "params": params}),
                         request.headers.get("accept", ""))

    async def http_error(request: Request, exc: Exception) -> Response:
        from kg.serve.pages import not_found

        status = getattr(exc, "status_code", 500)
        if status == HTTPStatus.NOT_FOUND:
            return respond(not_found(request.url.path, request.headers.get("accept", "")))
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            return respond(error(status, READ_ONLY))
        return respond(error(status, HTTPStatus(status).phrase.lower()))

    routes = [
        Route("/", explorer_page), Route("/index.html", explorer_page),
        Route("/health", health),
        Route("/sparql", sparql_get, methods=["GET"]),
        Route("/sparql", sparql_post, methods=["POST"]),
        Route("/ask/{name:path}", ask), Route("/questions", questions),
        Route("/questions/{name:path}", question), Route("/search", search),
        Route("/id/{path:path}", entity),
    ]
    app: ASGIApp = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    app = Options(app)
    if cors:
        app = CORSMiddleware(app, allow_origins=list(cors), allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"], max_age=600)
    return RequestLog(app, log)


class Options:
    """OPTIONS (other than a CORS preflight this server answers) lists the methods."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            response = Response(b"", 204, {"Allow": "GET, HEAD, POST, OPTIONS"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _title(name: bytes) -> bytes:
    """A header name as clients print it (``content-type`` -> ``Content-Type``).

    >>> _title(b"x-content-type-options")
    b'X-Content-Type-Options'
    """
    return b"-".join(part[:1].upper() + part[1:] for part in name.split(b"-"))


class RequestLog:
    """One line per request (time, client, method, target, status, bytes, milliseconds),
    ``X-Content-Type-Options: nosniff`` on every answer, header names in title case."""

    def __init__(self, app: ASGIApp, log: TextIO) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen = {"status": 500, "bytes": 0}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                message["headers"] = [(_title(name), value) for name, value in [
                    *message.get("headers", []), (b"x-content-type-options", b"nosniff")]]
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            target = scope.get("raw_path", b"").decode("latin-1")
            if scope.get("query_string"):
                target += "?" + scope["query_string"].decode("latin-1")
            client = (scope.get("client") or ("-",))[0]
            elapsed = (time.perf_counter() - started) * 1000
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            print(f"{stamp} {client} {scope['method']} {target[:200]} {seen['status']} "
                  f"{seen['bytes']}B {elapsed:.0f}ms", file=self.log, flush=True)
