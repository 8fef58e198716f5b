"""Errors a user can cause and fix: each carries a one-line message and an exit code."""

from __future__ import annotations

from pathlib import Path

#: Exit codes of the ``kg`` command.
EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and the answer is "no" (invalid data, not found)
EXIT_BAD_INPUT = 2  # the user's input could not be used (syntax error, missing file, bad option)
EXIT_TIMEOUT = 3  # a query ran past its timeout


class KgError(Exception):
    """A problem with the user's input or environment, reported without a traceback."""

    exit_code = EXIT_BAD_INPUT


class InputFileError(KgError):
    """A data file that cannot be read or parsed; names the file and, if known, line and column."""

    def __init__(self, path: Path | str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class OutputError(KgError):
    """An output file that cannot be written."""


class ResourceMissing(KgError):
    """A file the package ships (ontology, data, query, template) cannot be found."""


class QuerySyntaxError(KgError):
    """A SPARQL query that does not parse; the message gives the position."""


class QueryRefused(KgError):
    """A query the store will not run as asked (e.g. SERVICE without permission)."""


class QueryTimeout(KgError):
    """A query that ran longer than its timeout."""

    exit_code = EXIT_TIMEOUT
