"""The answers of the read commands: names resolved and one entity described
(:mod:`kg.reports.entities`), the summary, comparisons, sources and conflicts."""
