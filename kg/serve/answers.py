"""What every part of the server answers with: a status, a media type and a body."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type, body."""

    status: int
    media_type: str
    body: bytes


def error(status: int, message: str) -> Answer:
    """A one-line plain-text answer.

    >>> error(404, "no such page: /x").body
    b'no such page: /x\\n'
    """
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode())
