"""The landscape through time: the graph as of a date, dated events and what changed
(:mod:`kg.time.view`), and claims checked against outcomes (:mod:`kg.time.claims`)."""
