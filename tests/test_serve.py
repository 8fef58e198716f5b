"""`kg serve` with real clients: SPARQLWrapper, rdflib's SPARQLStore, curl-like urllib, and
the explorer in headless Chromium, against a server the test starts on 127.0.0.1."""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import explorer_page
import pytest
from kgprobe import running_server
from test_viz_browser import XSS, XSS_LABEL

browser = explorer_page.browser  # the shared headless Chromium fixture


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("serve"), "--data", str(XSS),
                        serve_args=("--max-rows", "500")) as srv:
        yield f"http://127.0.0.1:{srv.port}", srv.log


def fetch(url: str, data: bytes | None = None, headers: dict | None = None,
          method: str | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get_content_type(), err.read().decode()


def test_says_it_binds_to_loopback(server):
    _, log = server
    assert "loopback only" in log.read_text().splitlines()[0]


def test_sparqlwrapper_select_ask_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    base, _ = server
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery("PREFIX kg: <https://w3id.org/ai-landscape-kg/ontology#> "
                    "SELECT ?d WHERE { <https://w3id.org/ai-landscape-kg/id/model/gpt-2> "
                    "kg:releaseDate ?d }")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert rows[0]["d"]["value"] == "2019-02-14"
    client.setQuery("ASK { model:gpt-oss-120b kg:licence spdx:Apache-2.0 }")
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT WHERE { model:llama-2 kg:licence ?l }")
    client.setReturnFormat(TURTLE)
    assert b"llama-2-community" in client.query().convert()


def test_sparqlwrapper_post_and_formats(server):
    from SPARQLWrapper import CSV, POST, XML, SPARQLWrapper

    base, _ = server
    client = SPARQLWrapper(base + "/sparql")
    client.setMethod(POST)
    client.setQuery("SELECT ?m WHERE { ?m kg:developer org:meta } ORDER BY ?m LIMIT 2")
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[0] == "m"
    client.setReturnFormat(XML)
    assert client.query().convert().getElementsByTagName("uri")


def test_every_results_format_says_the_same(server):
    """JSON, XML, CSV and TSV come from the same serialiser as `kg query`: the XML and the
    TSV read back to the very terms of the JSON."""
    import pyoxigraph as ox

    base, _ = server
    query = urllib.parse.urlencode({"query": "SELECT ?m ?d ?c WHERE { ?m kg:developer "
                                             "org:meta ; kg:releaseDate ?d OPTIONAL { ?m "
                                             "kg:componentOpenness ?c } } ORDER BY ?m LIMIT 5"})
    answers = {}
    for media, fmt in (("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                       ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                       ("text/tab-separated-values", ox.QueryResultsFormat.TSV)):
        status, got, body = fetch(base + "/sparql?" + query, headers={"Accept": media})
        assert status == 200 and got == media, body
        parsed = ox.parse_query_results(body.encode(), format=fmt)
        answers[media] = [tuple(row) for row in parsed]
    first, *others = answers.values()
    assert len(first) == 5 and all(other == first for other in others)


def test_rdflib_sparqlstore(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    base, _ = server
    graph = Graph(store=SPARQLStore(base + "/sparql"))
    rows = list(graph.query(
        "SELECT ?label WHERE { <https://w3id.org/ai-landscape-kg/id/org/openai> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"))
    assert str(rows[0][0]) == "OpenAI"


def test_named_questions_over_http(server):
    base, _ = server
    status, media, body = fetch(base + "/ask/funding-round?round=round:openai-2025-03")
    assert status == 200 and media == "application/sparql-results+json"
    values = {b["share"]["value"] for b in json.loads(body)["results"]["bindings"]
              if "share" in b}
    assert "30000000000" in values
    status, _, body = fetch(base + "/questions")
    assert status == 200 and "commercial-use-at-mau" in body
    assert fetch(base + "/ask/nope")[0] == 400
    assert fetch(base + "/ask/funding-round?rund=x")[0] == 400


def test_ask_over_http_resolves_names_like_the_cli(server):
    """/ask/NAME takes what `kg ask` takes: names ("OpenAI"), not only prefixed ids."""
    base, _ = server
    by_name = fetch(base + "/ask/open-weight-releases?lab=OpenAI")
    by_id = fetch(base + "/ask/open-weight-releases?lab=org:openai")
    assert by_name[0] == 200 and by_name[2] == by_id[2]
    models = {b["model"]["value"] for b in json.loads(by_name[2])["results"]["bindings"]}
    assert "https://w3id.org/ai-landscape-kg/id/model/gpt-2" in models
    status, _, body = fetch(base + "/ask/open-weight-releases?lab=No+Such+Lab")
    assert status == 400 and "no entity named 'No Such Lab'" in body


def test_updates_services_and_limits_are_refused(server):
    base, _ = server
    update = b"DELETE WHERE { ?s ?p ?o }"
    assert fetch(base + "/sparql", update,
                 {"Content-Type": "application/sparql-update"})[0] == 403
    assert fetch(base + "/sparql", b"update=CLEAR+ALL",
                 {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert fetch(base + "/sparql", b"", method="PUT")[0] == 405
    assert fetch(base + "/sparql", method="DELETE")[0] == 405
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    status, _, body = fetch(base + "/sparql?" + urllib.parse.urlencode({"query": service}))
    assert status == 400 and "SERVICE" in body
    everything = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    status, _, body = fetch(base + "/sparql?" + everything)
    assert status == 413 and "500 rows" in body


def test_no_cors_unless_asked(server):
    """Without --cors a browser page of another origin gets no permission: the preflight is
    answered (204, the methods) without Access-Control-Allow-Origin, and so is a GET."""
    base, _ = server
    request = urllib.request.Request(base + "/sparql", method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
        assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
        assert response.headers["Access-Control-Allow-Origin"] is None
    request = urllib.request.Request(base + "/health", headers={"Origin": "https://x.example"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] is None


def test_timeout_stops_a_query_and_the_server_keeps_answering(server):
    base, log = server
    cartesian = urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    started = time.monotonic()
    status, _, body = fetch(base + "/sparql?" + cartesian)
    assert status == 503 and "timeout" in body
    assert time.monotonic() - started < 10
    assert fetch(base + "/health")[0] == 200
    ask = urllib.parse.urlencode({"query": "ASK { model:gpt-2 a kg:Model }"})
    assert json.loads(fetch(base + "/sparql?" + ask)[2])["boolean"] is True
    lines = log.read_text().splitlines()
    assert any(" 503 " in line for line in lines)


def test_explorer_page_in_chromium_against_the_server(server, browser):
    base, _ = server
    requests, errors, dialogs = [], [], []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/")
    page.wait_for_function("window.kgExplorer && window.kgExplorer.ready", timeout=20000)
    count = page.evaluate("window.kgExplorer.nodeCount")
    found = page.evaluate("(label) => window.kgExplorer.search(label)", XSS_LABEL)
    images = page.evaluate("document.querySelectorAll('img').length")
    page.close()
    assert count > 100
    assert found == "model:xss-model"
    assert requests == [base + "/"], "the page fetched something besides itself"
    assert errors == [] and dialogs == [] and images == 0


def _workers(pid: int) -> set[int]:
    """The query worker processes of the server ``pid`` (not multiprocessing's tracker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = {int(c) for c in path.read_text().split()} if path.exists() else set()
    return {c for c in children
            if b"multiprocessing.spawn" in Path(f"/proc/{c}/cmdline").read_bytes()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_runaway_query_never_outlives_a_killed_server(tmp_path):
    """Killing the server (even with SIGKILL) ends its workers, the busy one included."""
    import threading

    with running_server(tmp_path, timeout=120) as srv:
        workers = _workers(srv.process.pid)
        assert len(workers) == 2
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        threading.Thread(target=lambda: _ignore(srv.sparql, runaway), daemon=True).start()
        time.sleep(2)
        srv.process.kill()
        srv.process.wait()
        deadline = time.monotonic() + 10
        while any(map(_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [w for w in workers if _running(w)] == []


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie awaiting its parent)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def _ignore(call, *args):
    try:
        call(*args, timeout=130)
    except OSError:
        pass
