"""``kg serve``: the read-only SPARQL 1.1 endpoint, the explorer and the named questions over
HTTP (:mod:`kg.serve.server`)."""
