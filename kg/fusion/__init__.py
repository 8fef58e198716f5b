"""Fusion: the records of every source and the curated entities resolved into one landscape.

:mod:`kg.fusion.names` holds the name keys, :mod:`kg.fusion.resolve` the clustering (record
linkage with RapidFuzz, blocked to scale), :mod:`kg.fusion.fuse` the fused graph with each
fact chosen by a documented precedence.
"""
