"""A remote SPARQL endpoint as the store: a real Oxigraph server started by the test."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from kgprobe import free_port

from kg.cli.main import cli
from kg.landscape import Landscape
from kg.queries.questions import all_questions


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        pytest.fail("the oxigraph server (PyPI package oxigraph) must be installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("oxigraph server did not start")
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def pushed(server):
    result = CliRunner().invoke(cli, ["push", "--endpoint", server + "/store"])
    assert result.exit_code == 0, result.output
    return Landscape.load(endpoint=server + "/query")


def test_push_sends_every_triple(landscape, pushed):
    assert len(pushed.store) == len(landscape.store)


@pytest.mark.parametrize("name", sorted(all_questions()))
def test_named_questions_agree_with_the_embedded_store(landscape, pushed, answers, name):
    assert answers(pushed, name) == answers(landscape, name)


@pytest.mark.parametrize("args", [["summary", "--format", "json"],
                                  ["show", "llama 2", "--format", "json"],
                                  ["compare", "Llama 2", "gpt-oss-120b", "--format", "json"],
                                  ["can-use", "llama 2", "--mau", "800M", "--format", "json"],
                                  ["analyze", "permissiveness", "--format", "json"]])
def test_read_commands_answer_the_same_remotely(pushed, server, args):
    local = CliRunner().invoke(cli, args)
    remote = CliRunner().invoke(cli, ["--endpoint", server + "/query", *args])
    assert remote.exit_code == local.exit_code, remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_query_command_remotely(pushed, server):
    result = CliRunner().invoke(cli, ["--endpoint", server + "/query", "query",
                                      "SELECT ?d WHERE { model:gpt-2 kg:releaseDate ?d }",
                                      "--format", "csv"])
    assert result.exit_code == 0 and "2019-02-14" in result.output
    bad = CliRunner().invoke(cli, ["--endpoint", server + "/query", "query", "SELECT ?x {"])
    assert bad.exit_code == 2 and "rejected the query" in bad.output


def test_update_protocol_push(server):
    result = CliRunner().invoke(cli, ["push", "--endpoint", server + "/update",
                                      "--method", "update"])
    assert result.exit_code == 0, result.output


def test_unreachable_endpoint_is_one_line():
    port = free_port()
    result = CliRunner().invoke(cli, ["--endpoint", f"http://127.0.0.1:{port}/query",
                                      "summary"])
    assert result.exit_code == 2
    assert "cannot connect" in result.output and "Traceback" not in result.output
