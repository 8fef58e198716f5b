"""``python -m kg`` runs the ``kg`` command."""

from kg.cli.main import main

main()
