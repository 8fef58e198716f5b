"""The ``kg`` command (click): :mod:`kg.cli.main` holds the commands, :mod:`kg.cli.drawing`
the ``viz`` and ``plot`` commands, :mod:`kg.cli.output` the one renderer of rows."""

from kg.cli.main import cli, main

__all__ = ["cli", "main"]
