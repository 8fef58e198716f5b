"""ai-landscape-kg: a sourced knowledge graph of the AI competitive landscape.

>>> from kg import Landscape
>>> ls = Landscape.load()                                     # doctest: +SKIP
>>> ls.query("SELECT ?m WHERE { ?m kg:developer org:openai }")  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Landscape", "__version__"]


def __getattr__(name: str):
    # Imported lazily so that `import kg` (and every CLI start) stays cheap.
    if name == "Landscape":
        from kg.landscape import Landscape

        return Landscape
    raise AttributeError(name)
