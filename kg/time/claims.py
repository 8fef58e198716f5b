"""Claims and outcomes: what a statement announced or promised, and whether it was kept.

A statement announces models (``kg:announces``) and may promise an openness level
(``kg:promisedOpennessLevel``), a capability (``kg:promisedCapability``) or a licence without
a kind of restriction (``kg:promisesNoConstraintOn``). Each promise is checked against what the
graph records of the announced models: released (by the as-of date), at that level, with that
capability, under a licence with no such constraint.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.queries import load_query
from kg.reports.entities import to_iri
from kg.store import GraphStore


def claims(store: GraphStore) -> list[dict[str, Any]]:
    """Each announcing statement with its outcome, every promise checked, and a verdict:
    kept, broken, or pending (nothing released yet)."""
    rows = store.select(load_query("time/announcing-statements"))
    statements: dict[str, dict[str, Any]] = {}
    for row in rows:
        record = statements.setdefault(row["statement"], {
            "statement": row["statement"], "label": row.get("label"), "speaker": row["speaker"],
            "date": row["date"], "platform": row.get("platform"), "quote": row.get("quote"),
            "models": [],
            "sources": []})
        if row["model"] not in record["models"]:
            record["models"].append(row["model"])
        if row.get("source") and row["source"] not in record["sources"]:
            record["sources"].append(row["source"])
    results = []
    for iri, record in statements.items():
        record["models"].sort()  # engines return rows in no fixed order
        record["sources"].sort()
        node = ox.NamedNode(to_iri(iri))
        promise = store.select(load_query("time/statement-promises"), {"statement": node})
        levels = {p["level"] for p in promise if p.get("level")}
        capabilities = {p["capability"] for p in promise if p.get("capability")}
        unconstrained = {p["unconstrained"] for p in promise if p.get("unconstrained")}
        checks: list[dict[str, Any]] = []
        outcomes = []
        for model in record["models"]:
            facts = store.select(load_query("time/announced-model-outcome"),
                                 {"model": ox.NamedNode(to_iri(model)), "statement": node})
            if not facts or not facts[0].get("released"):
                checks.append({"model": model, "check": "released", "kept": None,
                               "detail": "not released (as of the view)"})
                continue
            first = facts[0]
            outcomes.append(f"{first['label']} released {first['released']}"
                            + (f" under {first['licence']}" if first.get("licence") else ""))
            checks.append({"model": model, "check": "released", "kept": True,
                           "detail": str(first["released"])})
            for level in levels:
                checks.append({"model": model, "check": f"openness {level}",
                               "kept": first.get("level") == level,
                               "detail": first.get("level")})
            have = {f["capability"] for f in facts if f.get("capability")}
            for capability in capabilities:
                checks.append({"model": model, "check": f"capability {capability}",
                               "kept": capability in have, "detail": ", ".join(sorted(have))})
            constrained = {f["constrainedBy"] for f in facts if f.get("constrainedBy")}
            for operand in unconstrained:
                checks.append({"model": model, "check": f"licence without {operand} limits",
                               "kept": operand not in constrained,
                               "detail": first.get("licence")})
        kept = [c["kept"] for c in checks]
        verdict = ("broken" if False in kept else "pending" if None in kept or not kept
                   else "kept")
        results.append({**record, "outcome": "; ".join(outcomes) or "nothing released yet",
                        "verdict": verdict, "checks": checks})
    return results


def check_text(check: dict[str, Any]) -> str:
    """One promise check as a line: ``model:gpt-oss-120b: released -> kept``."""
    outcome = {True: "kept", False: "broken", None: "pending"}[check["kept"]]
    return f"{check['model']}: {check['check']} -> {outcome}"
