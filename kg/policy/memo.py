"""A licence decision as a memo a person reads at an 80-column terminal: the verdict, the
clause that decides it (quoted, with its source as a numbered footnote), the duties that
come with it, what is unknown and which option would decide it, the variants and purposes.

>>> from kg.policy.licences import Decision
>>> d = Decision("model:x", "X", "allowed", reasons=[{"effect": "allowed", "term": "spdx:MIT",
...     "clause": "Grant", "why": "permits use", "source": "src:mit"}], licences=["spdx:MIT"])
>>> print("\\n".join(memo(d, {"src:mit": "https://opensource.org/license/mit"}, width=60)))
X (model:x): ALLOWED
Licence: spdx:MIT
<BLANKLINE>
Decided by
  - spdx:MIT, Grant [1]: permits use
<BLANKLINE>
Sources
  [1] https://opensource.org/license/mit
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Mapping
from typing import Any

from kg.policy.licences import Decision
from kg.policy.verdicts import ALLOWED, UNKNOWN

#: A compact id inside a text (``lic:llama-2-community``, ``org:meta``).
_ID = re.compile(r"\b(?:lic|org|spdx|model|family|product|cap|region|level):[\w.%-]*\w")


def ids_in(decision: Decision) -> set[str]:
    """The compact ids the memo of ``decision`` mentions (to be shown by their names)."""
    texts: list[str] = [*decision.licences, *(str(v) for r in decision.reasons
                                              for v in r.values() if v)]
    texts += [str(v) for d in decision.duties for v in d.values() if v]
    texts += [lic for v in [*decision.variants, *decision.bases] for lic in v["licence"]]
    return {m.group() for text in texts for m in _ID.finditer(text)}


def memo(decision: Decision, urls: Mapping[str, str], width: int = 80,
         labels: Mapping[str, str] | None = None, asked: str = "") -> list[str]:
    """The lines of the memo for ``decision``; ``urls`` maps a source id to its address,
    ``labels`` a compact id to the name shown for it, ``asked`` says the situation."""
    notes: list[str] = []
    names = labels or {}

    def named(text: str) -> str:
        return _ID.sub(lambda m: names.get(m.group(), m.group()), text)

    def cite(source: Any) -> str:
        if not source:
            return ""
        text = urls.get(str(source), str(source))
        if text not in notes:
            notes.append(text)
        return f" [{notes.index(text) + 1}]"

    def item(text: str, indent: str = "  - ") -> list[str]:
        return textwrap.wrap(named(text), width, initial_indent=indent,
                             subsequent_indent=" " * len(indent), break_on_hyphens=False)

    lines = [f"{decision.label} ({decision.model}): {decision.verdict.upper()}"]
    if asked:
        lines += textwrap.wrap(f"Asked: {asked}", width, subsequent_indent="  ")
    if decision.licences:
        lines += textwrap.wrap(named("Licence: " + "; ".join(decision.licences)), width,
                               subsequent_indent="  ")
    if decision.combined:
        lines += textwrap.wrap(named(f"({decision.combined})"), width)
    deciding = [r for r in decision.reasons if r["effect"] == decision.verdict] or \
        [r for r in decision.reasons if r["effect"] not in ("note", ALLOWED)] or \
        decision.reasons
    if deciding:
        lines += ["", "Decided by"]
        for r, scopes in _grouped(deciding):
            where = ", ".join(str(x) for x in (r.get("term"), r.get("clause")) if x)
            head = f"{where}{cite(r.get('source'))}" + (f" ({'; '.join(scopes)})"
                                                         if scopes else "")
            lines += item(f"{head}: {r['why']}")
    notes_only = list({(r["term"], r["why"]): r for r in decision.reasons
                       if r["effect"] == "note"}.values())
    if notes_only:
        lines += ["", "Versions"]
        for r in notes_only:
            lines += item(f"{r['term']}: {r['why']}")
    if decision.duties:
        lines += ["", "Duties that come with it"]
        for d, _ in _grouped(decision.duties):
            where = ", ".join(str(x) for x in (d.get("term"), d.get("clause")) if x)
            lines += item(f"{where}{cite(d.get('source'))}: {d['why']}")
    if decision.verdict == UNKNOWN or decision.undecided:
        lines += ["", "Unknown"]
        asks = ", ".join(decision.undecided)
        lines += item("would be decided by " + asks if asks else
                      "the graph lacks the terms that would decide it", "  ")
    if decision.variants:
        lines += ["", "Variants"]
        for v in decision.variants:
            licences = ", ".join(v["licence"]) or "no licence"
            note = f"; {v['note']}" if v.get("note") else ""
            lines += item(f"{v['label']}: {v['verdict']} ({licences}{note})")
    if decision.bases:
        lines += ["", "Base models (a fine-tune is bound by their terms too)"]
        for b in decision.bases:
            licences = ", ".join(b["licence"]) or "no licence"
            lines += item(f"{b['label']}: {b['verdict']} ({licences})")
    if len(decision.purposes) > 1:
        lines += ["", "Per purpose"]
        for p in decision.purposes:
            lines += item(f"{p['purpose']}: {p['verdict']}")
    if notes:
        lines += ["", "Sources"]
        for n, text in enumerate(notes, 1):
            lines.append(f"  [{n}] {text}")
    return lines


def _grouped(reasons: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """The same term said for several variants or purposes once, with the list of them."""
    groups: dict[tuple[Any, ...], list[str]] = {}
    first: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in reasons:
        key = (r.get("effect"), r.get("term"), r.get("clause"), r.get("why"), r.get("source"))
        first.setdefault(key, r)
        scopes = groups.setdefault(key, [])
        for name in ("variant", "purpose"):
            if r.get(name) and f"{name} {r[name]}" not in scopes:
                scopes.append(f"{name} {r[name]}")
    for key, r in first.items():
        scopes = groups[key]
        for name in ("variant", "purpose"):
            same = [s for s in scopes if s.startswith(name + " ")]
            if len(same) > 1:
                rest = [s for s in scopes if not s.startswith(name + " ")]
                scopes = rest + [f"{name}s " + ", ".join(s[len(name) + 1:] for s in same)]
        yield r, scopes
