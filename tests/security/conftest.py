"""Fixtures of the hostile-input tests: a real `kg serve` per module and a listening
socket that records any connection (helpers in kgprobe.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kgprobe import XSS, Listener, Server, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """One `kg serve --timeout 2` per module, with the HTML/script labels of the XSS fixture."""
    with running_server(tmp_path_factory.mktemp("serve"), "--data", str(XSS)) as srv:
        yield srv


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback address that records whether anything tried to fetch from it."""
    spy = Listener()
    yield spy
    spy.close()
