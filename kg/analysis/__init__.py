"""Analyses of the landscape: NetworkX projections of the graph
(:mod:`kg.analysis.projections`) and the positioning measures over them and over the licence
terms (:mod:`kg.analysis.measures`; the scores are documented in docs/analysis.md)."""
