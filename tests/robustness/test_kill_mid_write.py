"""kill -9 while `kg export` or `kg import` writes: the earlier file stays byte for byte (or
the new one is complete), and no half-written file is left that the loader would read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg.store.load import FORMATS


def start(*args: str | Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg", *map(str, args)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when_writing(process: subprocess.Popen, folder: Path, limit: float = 300) -> bool:
    """kill -9 the process as soon as a new temporary file appears in ``folder`` (one an
    earlier kill left behind does not count); True if it was killed mid-write, False if it
    finished first. The limit is generous: on a busy machine the reading before the write
    takes many times its CPU time."""
    left_behind = {p.name for p in folder.iterdir() if p.name.endswith(".tmp")}
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if any(p.name.endswith(".tmp") and p.name not in left_behind
               for p in folder.iterdir()):
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.0005)
    process.kill()
    raise AssertionError("the write never started")


def loadable(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.suffix.lower() in FORMATS]


def test_kill_during_export_keeps_the_earlier_file(tmp_path):
    big = tmp_path / "big.nt"
    with big.open("w") as out:
        for i in range(150_000):
            out.write(f'<http://ex.org/s{i}> <http://ex.org/p> "value {i} {"x" * 60}" .\n')
    target = tmp_path / "out"
    target.mkdir()
    out = target / "graph.nt"
    out.write_bytes(b"earlier export\n")
    killed = 0
    for _ in range(3):
        process = start("--no-cache", "--data", big, "export", "--format", "nt", "--out", out)
        if kill_when_writing(process, target):
            killed += 1
            assert out.read_bytes() == b"earlier export\n"
        else:
            assert process.returncode == 0, process.stderr.read()
            assert len(list(ox.parse(path=out, format=ox.RdfFormat.N_TRIPLES))) > 150_000
            out.write_bytes(b"earlier export\n")
        assert loadable(target) == [out]  # a leftover temp file ends in .tmp: never loaded
    # a race: each try may finish before the kill lands, but one in three must not
    assert killed >= 1, "never caught the export mid-write"


def test_kill_during_import_keeps_the_earlier_import(tmp_path):
    home = tmp_path / "home"
    small = tmp_path / "small.csv"
    small.write_text("Model,Organization,Publication date\nAcme-1,Acme,2024-01-01\n")
    done = subprocess.run([sys.executable, "-m", "kg", "--store", str(home), "import", "epoch",
                           str(small)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    imports = home / "imports"
    earlier = (imports / "epoch.trig").read_bytes()
    big = tmp_path / "big.csv"
    big.write_text("Model,Organization,Publication date,Parameters,Domain\n" + "".join(
        f"Model-{i},Org {i % 500},2024-01-{1 + i % 28:02d},{i}B,{'Language ' * 20}\n"
        for i in range(60_000)))
    for _ in range(3):  # a race: a try may finish before the kill lands
        process = start("--store", home, "import", "epoch", big)
        if kill_when_writing(process, imports):
            break
        assert process.returncode == 0, process.stderr.read()
        (imports / "epoch.trig").write_bytes(earlier)  # undo the complete import; try again
    else:
        raise AssertionError("never caught the import mid-write")
    assert (imports / "epoch.trig").read_bytes() == earlier
    assert loadable(imports) == [imports / "epoch.trig"]
    # the graph still loads, with the earlier import
    check = subprocess.run([sys.executable, "-m", "kg", "--store", str(home), "--sources",
                            "all", "query",
                            'ASK { ?r rdfs:label "Acme-1" }'], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "true"
