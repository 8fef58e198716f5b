"""`kg serve`'s linked-data side against a real server on 127.0.0.1: an entity's page (HTML for
a browser, Turtle re-read by rapper, N-Triples and JSON-LD saying the same), 404s, search,
the named questions as forms, the SPARQL service description, dataset parameters refused,
CORS for the origin given, and the pages in headless Chromium."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
import urllib.parse

import explorer_page
import pytest
from explorer_page import IN_CI
from kgprobe import XSS, assert_one_line_error, free_port, kg, running_server
from test_viz_browser import XSS_LABEL

ID = "https://w3id.org/ai-landscape-kg/id/"
HTML = {"Accept": "text/html"}
#: A page of another origin (a SPARQL client such as YASGUI), served on loopback: Chromium
#: lets only a loopback page reach a loopback server.
CLIENT_PORT = free_port()
ORIGIN = f"http://127.0.0.1:{CLIENT_PORT}"

browser = explorer_page.browser  # the shared headless Chromium fixture


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("pages"), "--data", str(XSS),
                        timeout=10, serve_args=("--cors", ORIGIN)) as srv:
        yield srv


@pytest.fixture
def client_origin(tmp_path):
    """A static server at ORIGIN with one empty page."""
    import functools
    import http.server
    import threading

    (tmp_path / "index.html").write_text('<!DOCTYPE html><link rel="icon" href="data:,">'
                                           '<title>client</title>')

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=tmp_path)
    static = http.server.ThreadingHTTPServer(("127.0.0.1", CLIENT_PORT), handler)
    threading.Thread(target=static.serve_forever, daemon=True).start()
    yield ORIGIN + "/index.html"
    static.shutdown()
    static.server_close()


def get(server, path, headers=None):
    status, got, body = server.request("GET", path, headers=headers or {})
    return status, {k.lower(): v for k, v in got.items()}, body.decode()


def licence_url(server) -> str:
    """Where the graph says the Llama 2 licence text is (asked over SPARQL)."""
    import json

    status, _, body = server.sparql("SELECT ?u WHERE { src:meta-llama-2-license schema:url ?u }")
    assert status == 200
    return json.loads(body)["results"]["bindings"][0]["u"]["value"]


def test_llama_2_page_shows_the_700m_clause_with_its_source(server):
    status, headers, page = get(server, "/id/model/llama-2", HTML)
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src" not in headers["content-security-policy"]  # no script at all
    clause = re.search(r'2\. Additional Commercial Terms<a class="note" href="#source-(\d+)">'
                       r'[^<]*</a>: ([^<]*)</li>', page)
    assert clause is not None
    assert "monthly active users > 700M" in html.unescape(clause.group(2))
    assert "greater than 700 million monthly active users" in html.unescape(clause.group(2))
    source = re.search(rf'<li id="source-{clause.group(1)}"[^>]*>.*?<a href="([^"]+)"', page)
    assert source is not None and html.unescape(source.group(1)) == licence_url(server)


def test_llama_2_page_links_its_neighbours_and_shows_its_timeline(server):
    _, _, page = get(server, "/id/model/llama-2", HTML)
    assert '<a href="/id/org/meta">Meta</a>' in page
    assert '<a href="/id/licence/llama-2-community">' in page
    timeline = page.split('<h2 id="timeline">', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>2023-07-18</td><td>model release</td>", timeline)
    assert 'Verdict (commercial inference, no user count given): <span class="verdict">' \
           "unknown</span>" in page


def test_situation_from_the_form_decides_the_memo(server):
    _, _, page = get(server, "/id/model/llama-2?mau=800M", HTML)
    assert '<span class="verdict">needs a separate licence</span>' in page
    status, _, page = get(server, "/id/model/llama-2?region=Atlantis", HTML)
    assert status == 400 and '<p class="problem">' in page


def test_turtle_by_accept_parses_in_rapper(server, tmp_path):
    rapper = shutil.which("rapper")
    if rapper is None:
        if IN_CI:
            pytest.fail("rapper is missing; scripts/test.sh installs raptor2-utils")
        pytest.skip("rapper is not installed")
    status, headers, turtle = get(server, "/id/model/llama-2", {"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"] == "text/turtle; charset=utf-8"
    (tmp_path / "llama-2.ttl").write_text(turtle)
    done = subprocess.run([rapper, "-i", "turtle", "-o", "ntriples", str(tmp_path / "llama-2.ttl"),
                           ID + "model/llama-2"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (f"<{ID}model/llama-2> <https://w3id.org/ai-landscape-kg/ontology#licence> "
            f"<{ID}licence/llama-2-community> .") in done.stdout.splitlines()


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("path,accept,media", [
    ("/id/model/llama-2", "application/n-triples", "application/n-triples"),
    ("/id/model/llama-2", "application/ld+json", "application/ld+json"),
    ("/id/model/llama-2.ttl", "text/html", "text/turtle"),
    ("/id/model/llama-2.nt", "", "application/n-triples"),
    ("/id/model/llama-2.jsonld", "", "application/ld+json"),
    ("/id/model/llama-2", "text/turtle;q=0.5, application/ld+json;q=0.9",
     "application/ld+json"),
])
def test_every_rdf_format_says_the_same(server, path, accept, media):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    formats = {"text/turtle": "turtle", "application/n-triples": "nt",
               "application/ld+json": "json-ld"}
    status, headers, body = get(server, path, {"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].split(";")[0] == media
    _, _, turtle = get(server, "/id/model/llama-2", {"Accept": "text/turtle"})
    reference = Graph().parse(data=turtle, format="turtle")
    assert len(reference) > 20
    assert isomorphic(Graph().parse(data=body, format=formats[media]), reference)


@pytest.mark.parametrize("path,accept,status,media", [
    ("/id/model/no-such-model", "text/html", 404, "text/html"),
    ("/id/model/no-such-model", "text/turtle", 404, "text/plain"),
    ("/id/model/no-such-model.ttl", "", 404, "text/plain"),
    ("/id/model/llama-2", "text/csv", 406, "text/plain"),
    ("/nowhere", "text/html", 404, "text/html"),
])
def test_unknown_ids_are_404(server, path, accept, status, media):
    got, headers, body = get(server, path, {"Accept": accept} if accept else {})
    assert got == status and headers["content-type"].split(";")[0] == media
    if media == "text/html":
        assert f"<code>{path}</code>" in body


def test_labels_are_escaped_on_pages(server):
    _, _, page = get(server, "/id/model/xss-model", HTML)
    assert html.escape(XSS_LABEL) in page and XSS_LABEL not in page
    assert "<script>alert" not in page and "<b onmouseover" not in page
    _, _, found = get(server, "/search?q=" + urllib.parse.quote("img src"), HTML)
    assert '<a href="/id/model/xss-model">' + html.escape(XSS_LABEL) + "</a>" in found


def test_search_finds_by_loose_name(server):
    status, _, page = get(server, "/search?q=" + urllib.parse.quote("LLaMA-2"), HTML)
    assert status == 200
    first = re.search(r'<ul class="hits"><li><a href="([^"]+)">', page)
    assert first is not None and first.group(1) == "/id/model/llama-2"
    _, _, empty = get(server, "/search?q=zzzzqqqq", HTML)
    assert "0 matches" in empty


def test_questions_as_pages_with_forms(server):
    _, headers, listing = get(server, "/questions", HTML)
    assert headers["content-type"].startswith("text/html")
    assert '<a href="/questions/commercial-use-at-mau">' in listing
    _, _, form = get(server, "/questions/commercial-use-at-mau", HTML)
    assert '<input name="mau" value="">' in form and "<table>" not in form
    status, _, answer = get(server, "/questions/commercial-use-at-mau?mau=800M&run=1", HTML)
    assert status == 200 and '<a href="/id/model/gpt-oss-120b">' in answer
    assert '<a href="/id/model/llama-2">' not in answer
    status, _, bad = get(server, "/questions/commercial-use-at-mau?mau=lots&run=1", HTML)
    assert status == 400 and '<p class="problem">' in bad
    assert get(server, "/questions/no-such-question", HTML)[0] == 404


def test_service_description_at_sparql_without_a_query(server):
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    status, headers, body = get(server, "/sparql")
    assert status == 200 and headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=body, format="turtle")
    endpoint = URIRef(f"http://127.0.0.1:{server.port}/sparql")
    assert (endpoint, RDF.type, sd.Service) in graph
    assert set(graph.objects(endpoint, sd.endpoint)) == {endpoint}
    assert set(graph.objects(endpoint, sd.supportedLanguage)) == {sd.SPARQL11Query}


@pytest.mark.parametrize("method,path,body,headers", [
    ("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=urn%3Ag", None, {}),
    ("POST", "/sparql?named-graph-uri=urn%3Ag", b"ASK {}",
     {"Content-Type": "application/sparql-query"}),
    ("POST", "/sparql", b"query=ASK+%7B%7D&default-graph-uri=urn%3Ag",
     {"Content-Type": "application/x-www-form-urlencoded"}),
])
def test_dataset_parameters_are_refused_not_ignored(server, method, path, body, headers):
    status, _, answer = server.request(method, path, body, headers)
    assert status == 400
    assert "graph-uri not taken here: name graphs in the query with FROM" in answer.decode()


def test_cors_for_the_origin_given(server):
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    status, headers, _ = server.request("OPTIONS", "/sparql", headers=preflight)
    assert status == 200 and headers["Access-Control-Allow-Origin"] == ORIGIN
    status, headers, _ = server.request("OPTIONS", "/sparql",
                                        headers={**preflight, "Origin": "http://evil.test"})
    assert status == 400 and "Access-Control-Allow-Origin" not in headers
    _, headers, _ = server.request("GET", "/health", headers={"Origin": ORIGIN})
    assert headers["Access-Control-Allow-Origin"] == ORIGIN


def test_cors_takes_origins_only():
    assert_one_line_error(kg("serve", "--cors", "yasgui.example"), 2,
                          "--cors takes an origin such as https://example.org or *")


def test_one_log_line_per_request(server):
    before = len(server.log.read_text().splitlines())
    get(server, "/id/model/llama-2.ttl")
    get(server, "/id/model/no-such-model")
    deadline = time.monotonic() + 10  # the server writes its line after it answers
    while len(server.log.read_text().splitlines()) < before + 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = server.log.read_text().splitlines()[before:]
    assert [line.split()[2:5] for line in lines] == [
        ["GET", "/id/model/llama-2.ttl", "200"], ["GET", "/id/model/no-such-model", "404"]]


def test_entity_pages_in_chromium(server, client_origin, browser):
    """A browser gets the page (not Turtle), follows a link to the licence's page, sees the
    hostile label as text, loads nothing else; a page of another origin queries /sparql."""
    base = f"http://127.0.0.1:{server.port}"
    requests, errors, dialogs = [], [], []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/id/model/llama-2")
    title = page.inner_text("h1")
    memo = page.inner_text("section.memo")
    page.click("text=Llama 2 Community License Agreement >> nth=0")
    page.wait_for_url(base + "/id/licence/llama-2-community")
    licence_title = page.inner_text("h1")
    page.goto(base + "/id/model/xss-model")
    xss_title = page.inner_text("h1")
    images = page.evaluate("document.querySelectorAll('img').length")
    visited = list(requests)
    # YASGUI's situation: a page on another origin POSTs a query (a preflighted request)
    page.goto(client_origin)
    answer = page.evaluate("""async (url) => {
        const r = await fetch(url, {method: "POST", body: "ASK { model:gpt-2 a kg:Model }",
            headers: {"Content-Type": "application/sparql-query",
                      "Accept": "application/sparql-results+json"}});
        return (await r.json()).boolean; }""", base + "/sparql")
    page.close()
    assert title == "Llama 2" and "greater than 700 million" in memo
    assert licence_title == "Llama 2 Community License Agreement"
    assert xss_title == XSS_LABEL and images == 0 and dialogs == []
    assert visited == [base + "/id/model/llama-2", base + "/id/licence/llama-2-community",
                       base + "/id/model/xss-model"]
    assert errors == [] and answer is True
