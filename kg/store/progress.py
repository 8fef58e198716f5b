"""Progress of long steps (parsing, fusion, building the store, validation, import), one line
each on stderr, only when stderr is a terminal: pipes, files and tests stay silent.
``KG_PROGRESS=0`` silences it, ``KG_PROGRESS=1`` forces it.

>>> with step("nothing much"):
...     pass
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def enabled() -> bool:
    """Whether progress lines are written."""
    wanted = os.environ.get("KG_PROGRESS")
    if wanted is not None:
        return wanted not in ("", "0")
    return sys.stderr.isatty()


@contextmanager
def step(what: str) -> Iterator[None]:
    """Report ``what`` while it runs and, when it took over a second, how long it took."""
    if not enabled():
        yield
        return
    start = time.perf_counter()
    sys.stderr.write(f"{what}...\n")
    sys.stderr.flush()
    yield
    took = time.perf_counter() - start
    if took >= 1:
        sys.stderr.write(f"{what}: done in {took:.1f} s\n")
        sys.stderr.flush()
