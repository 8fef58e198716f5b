"""The schema side: SHACL validation of the graph (:mod:`kg.schema.validate`) and the
ontology reference page generated from the ontology (:mod:`kg.schema.ontology_doc`)."""
