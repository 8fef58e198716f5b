"""Hostile HTTP against a real `kg serve` on 127.0.0.1: every bad request gets its status and
a one-line text answer, runaway queries answer 503 within the timeout while others are
served, and the server stays up through all of it."""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import socket
import time
import urllib.parse
from pathlib import Path

import pytest
from kgprobe import CARTESIAN, Server, running_server

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
QUERY = {"Content-Type": "application/sparql-query"}
ASK_TRUE = "ASK { model:gpt-2 kg:developer org:openai }"


def one_line(body: bytes) -> str:
    text = body.decode()
    assert text.count("\n") == 1 and text.endswith("\n"), text[:500]
    assert "Traceback" not in text
    return text.strip()


def still_serving(server: Server) -> None:
    status, _, body = server.sparql(ASK_TRUE)
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize("method,path,body,headers,status", [
    ("PUT", "/sparql", b"INSERT DATA {}", QUERY, 405),
    ("DELETE", "/sparql", None, {}, 405),
    ("PATCH", "/", b"x", {}, 405),
    ("POST", "/health", b"x", QUERY, 405),
    ("GET", "/sparql?update=" + urllib.parse.quote("DROP ALL"), None, {}, 403),
    ("POST", "/sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"}, 403),
    ("POST", "/sparql", b"update=" + urllib.parse.quote("CLEAR ALL").encode(), FORM, 403),
    ("POST", "/sparql", ASK_TRUE.encode(), {"Content-Type": "text/plain"}, 415),
    ("POST", "/sparql", ASK_TRUE.encode(), {}, 415),
    ("POST", "/sparql", b"ASK { ?s ?p \"\xff\xfe\" }", QUERY, 400),
    ("POST", "/sparql", b"query=\xff\xfe", FORM, 400),
    ("GET", "/sparql?query=a&query=b", None, {}, 400),
    ("GET", "/sparql?query=" + urllib.parse.quote("SELECT ?x WHERE { ?x }"), None, {}, 400),
    ("GET", "/../../etc/passwd", None, {}, 404),
    ("GET", "/ask/../../etc/passwd", None, {}, 400),
    ("GET", "/nowhere", None, {}, 404),
    ("POST", "/nowhere", b"x", QUERY, 404),
    ("GET", "/ask/no-such-question", None, {}, 400),
    ("GET", "/ask/commercial-use-at-mau?mau=lots", None, {}, 400),
    ("GET", "/ask/open-weight-releases?lab=%3Cscript%3E", None, {}, 400),
    ("GET", "/ask/commercial-use-at-mau?nonsense=1", None, {}, 400),
    ("GET", "/sparql?query=" + urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> "
                                                  "{ ?s ?p ?o } }"), None, {}, 400),
])
def test_bad_request_gets_its_status_and_one_line(server, method, path, body, headers, status):
    got, answer_headers, answer = server.request(method, path, body, headers)
    assert got == status, answer[:500]
    assert answer_headers["Content-Type"].startswith("text/plain")
    one_line(answer)
    if status == 405:
        assert answer_headers.get("Allow") == "GET, POST"


def test_oversized_body_is_413_before_it_is_read(server):
    """Announced as 1 MB + 1 byte: refused from the header alone (sending the whole body
    would race the server's hang-up)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                     b"sparql-query\r\nContent-Length: 1000001\r\n\r\n" + b"x" * 1000)
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert "over 1000000 bytes" in one_line(body)


def test_server_still_serves_after_the_bad_requests(server):
    still_serving(server)


def test_graph_results_refuse_a_tabular_accept(server):
    status, _, body = server.request("POST", "/sparql", b"DESCRIBE model:gpt-2",
                                     {**QUERY, "Accept": "text/csv"})
    assert status == 406 and "graph results" in one_line(body)


def test_service_is_refused_and_nothing_is_contacted(server, listener):
    status, _, body = server.sparql(
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}")
    assert status == 400 and "SERVICE" in one_line(body)
    assert listener.connections == 0


@pytest.mark.parametrize("source", ["file:///etc/passwd", "http://127.0.0.1:{port}/x"])
def test_from_and_graph_read_no_file_and_no_network(server, listener, source):
    iri = source.format(port=listener.port)
    for query in (f"SELECT ?o FROM <{iri}> WHERE {{ ?s ?p ?o }} LIMIT 5",
                  f"SELECT ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"):
        status, _, body = server.sparql(query)
        assert status == 200, body[:300]
        assert b"root:x:0:0" not in body
    status, _, body = server.sparql(f"SELECT ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    assert json.loads(body)["results"]["bindings"] == []
    assert listener.connections == 0


def test_html_labels_come_back_as_json_text(server):
    status, headers, body = server.sparql(
        "SELECT ?label WHERE { model:xss-model rdfs:label ?label }")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert headers["X-Content-Type-Options"] == "nosniff"
    [binding] = json.loads(body)["results"]["bindings"]
    assert binding["label"]["value"] == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("depth", [2_000, 20_000])
def test_deeply_nested_groups_are_400_and_the_server_stays_up(server, depth):
    status, _, body = server.sparql("ASK {" + "{" * depth + "?s ?p ?o" + "}" * depth + "}")
    assert status == 400, body[:300]
    assert one_line(body) == "the query nests brackets deeper than 500 levels: simplify it"
    still_serving(server)


def test_cartesian_query_answers_503_in_time_and_others_are_served(server):
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        started = time.monotonic()
        slow = pool.submit(server.sparql, CARTESIAN)
        time.sleep(0.2)
        quick = [pool.submit(server.sparql, ASK_TRUE) for _ in range(6)]
        for future in quick:
            status, _, body = future.result(timeout=30)
            assert status == 200 and json.loads(body)["boolean"] is True
        status, _, body = slow.result(timeout=30)
        elapsed = time.monotonic() - started
    assert status == 503 and "timeout of 2 s" in one_line(body)
    assert elapsed < 2 + 8  # the timeout, plus slack for starting a fresh worker
    still_serving(server)


def test_client_that_hangs_up_mid_request_does_not_stop_the_server(server):
    for partial in (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                    b"sparql-query\r\nContent-Length: 500\r\n\r\nASK {",
                    b"GET /sparql?query=ASK HTTP/1.1\r\nHost: x\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(partial)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                     b"sparql-query\r\nAccept: application/sparql-results+json\r\n"
                     b"Content-Length: " + str(len(CARTESIAN)).encode() + b"\r\n\r\n"
                     + CARTESIAN.encode())
        time.sleep(0.3)  # hang up while the query runs
    still_serving(server)


GARBAGE = {
    "binary": b"\x00\x01\x02\xff\r\n",
    # one byte over http.server's 65,536 and no more: nothing is left unread to reset the
    # connection before the answer arrives
    "long-line": b"GET /" + b"a" * 65_532,
    "bad-length": b"POST /sparql HTTP/1.1\r\nContent-Length: lots\r\n\r\n",
}


def send_raw(server: Server, request: bytes) -> bytes:
    """Send bytes on a fresh connection; everything the server answers before it hangs up
    (a server that hangs up on unread bytes resets the connection: what came is kept)."""
    answer = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request)
        try:
            while chunk := sock.recv(4096):
                answer += chunk
        except ConnectionResetError:
            pass
    return answer


def test_garbage_request_lines_do_not_stop_the_server(server):
    for garbage in GARBAGE.values():
        send_raw(server, garbage)
    still_serving(server)


@pytest.mark.parametrize("name,status", [
    ("binary", b"400"),
    ("long-line", b"414"),
    ("bad-length", b"400"),
])
def test_garbage_request_line_gets_its_status(server, name, status):
    answer = send_raw(server, GARBAGE[name])
    assert answer.split(b"\r\n", 1)[0].split(b" ")[:2] == [b"HTTP/1.1", status], answer[:300]


def query_workers(pid: int) -> list[int]:
    """The query worker processes of the server ``pid`` (spawned children; the resource
    tracker, also a child, is not one)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children
            if b"multiprocessing.spawn" in Path(f"/proc/{child}/cmdline").read_bytes()]


def alive(pid: int) -> bool:
    """The process runs (it is neither gone nor a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path(f"/proc/self/task/{os.getpid()}/children").exists(),
                    reason="needs Linux /proc/PID/task/TID/children")
def test_crashed_workers_answer_500_and_are_replaced(tmp_path):
    """Workers killed under the server (as an engine crash would end them): the request
    that meets a dead worker is a one-line 500, and a fresh worker answers what follows."""
    with running_server(tmp_path) as server:
        workers = query_workers(server.process.pid)
        assert len(workers) == 2  # the default --workers
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "a killed worker lives on"
            time.sleep(0.05)
        status, _, body = server.sparql(ASK_TRUE, timeout=10)
        assert status == 500 and one_line(body) == "the query crashed the engine"
        # its replacement goes back on top of the idle workers and answers the next ones
        still_serving(server)
        still_serving(server)
        assert len(set(query_workers(server.process.pid)) - set(workers)) == 1


@pytest.mark.parametrize("length", [b"lots", b"-1"])
def test_bad_content_length_is_400(server, length):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                     b"sparql-query\r\nContent-Length: " + length + b"\r\n\r\nASK {}")
        try:
            answer = sock.recv(100)
        except TimeoutError:
            answer = b""
    assert answer.startswith(b"HTTP/1.1 400")
