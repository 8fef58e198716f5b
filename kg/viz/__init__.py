"""Pictures of the landscape: the offline explorer page (:mod:`kg.viz.explorer`, its
templates in ``templates/``) and matplotlib charts (:mod:`kg.viz.plots`)."""
