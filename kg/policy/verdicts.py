"""The four verdicts of a licence question, and their one order.

>>> worst([ALLOWED, NEEDS_LICENCE, UNKNOWN])
'unknown'
>>> sorted([NOT_ALLOWED, UNKNOWN, NEEDS_LICENCE, ALLOWED], key=rank)
['allowed', 'needs a separate licence', 'unknown', 'not allowed']
"""

from __future__ import annotations

from collections.abc import Iterable

ALLOWED = "allowed"
UNKNOWN = "unknown"
NEEDS_LICENCE = "needs a separate licence"
NOT_ALLOWED = "not allowed"

#: From the most to the least permissive: the order of ``--all``, :func:`best` and
#: :func:`worst`. A separate licence is a known way to use the model; "unknown" is not
#: known to be usable at all, so it ranks below it and is never reported as allowed.
ORDER = (ALLOWED, NEEDS_LICENCE, UNKNOWN, NOT_ALLOWED)


def rank(verdict: str) -> int:
    """Position of ``verdict`` in :data:`ORDER` (0 is the most permissive)."""
    return ORDER.index(verdict)


def worst(verdicts: Iterable[str]) -> str:
    """The least permissive of ``verdicts`` (``allowed`` for none)."""
    return max(verdicts, key=rank, default=ALLOWED)


def best(verdicts: Iterable[str]) -> str:
    """The most permissive of ``verdicts`` (``unknown`` for none)."""
    return min(verdicts, key=rank, default=UNKNOWN)
