"""May *we* do *this* with *that* model? Licence terms (ODRL rules in the graph) evaluated
against a licensee's situation, with every deciding term and its source.

All knowledge comes from the graph: the model's licence and its rules, the action taxonomy
(``odrl:includedIn``), what each purpose needs (``kg:Purpose``), regions, and the weights'
openness grade. Adding a licence is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespaces import KG, compact
from kg.policy.verdicts import ALLOWED, NEEDS_LICENCE, NOT_ALLOWED, UNKNOWN, best, worst
from kg.queries import load_query
from kg.reports.entities import to_iri
from kg.store import GraphStore


@dataclass(frozen=True)
class Situation:
    """What the licensee wants to do, and the facts about them the terms may ask for."""

    purpose: str = "inference"
    commercial: bool = True
    mau: int | None = None
    region: str | None = None
    as_of: date | None = None


@dataclass
class Decision:
    """The answer for one model, with the terms that decided it."""

    model: str
    label: str
    verdict: str
    reasons: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """One line of ``kg can-use --all``: the verdict, the licences and the terms that
        kept it from "allowed"."""
        return {"model": self.model, "label": self.label, "verdict": self.verdict,
                "licence": self.licences,
                "deciding terms": [f"{r['clause'] or r['term']}: {r['effect']}"
                                   for r in self.reasons if r["effect"] != ALLOWED]}


class PolicyError(KgError):
    """A can-use question that cannot be asked (unknown purpose)."""


def purposes(store: GraphStore) -> list[str]:
    """The purposes the graph defines (``inference``, ``fine-tune``, ...)."""
    return sorted({r["code"] for r in store.select(load_query("policy/purposes"))})


def evaluate_many(store: GraphStore, models: list[str], situation: Situation
                  ) -> list[Decision]:
    """Decide, for each model (an IRI), whether ``situation`` may use it under its licence
    terms; the shared terms are read once."""
    needs = [r for r in store.select(load_query("policy/purposes"))
             if r["code"] == situation.purpose]
    if not needs:
        raise PolicyError(f"unknown purpose '{situation.purpose}'; use one of "
                          + ", ".join(purposes(store)))
    required = {r["action"] for r in needs}
    if situation.commercial:
        required.add("odrl:commercialize")
    needs_weights = bool(needs[0]["needsWeights"])
    covers: dict[str, set[str]] = {}
    for row in store.select(load_query("policy/action-coverage")):
        covers.setdefault(row["action"], {row["action"]}).add(row["covers"])
    rules: dict[str, list[dict[str, Any]]] = {}
    for row in store.select(load_query("policy/licence-rules")):
        rules.setdefault(row["licence"], []).append(row)
    regions: dict[str, set[str]] = {}
    for row in store.select(load_query("policy/region-areas")):
        regions.setdefault(row["code"].upper(), set()).add(row["area"])
    context = _Context(required, needs_weights, covers, rules, regions, situation)
    facts: dict[str, list[dict[str, Any]]] = {}
    if len(models) == 1:
        facts[models[0]] = store.select(load_query("policy/model-licence-facts"),
                                        {"model": ox.NamedNode(models[0])})
    else:  # one query for all of them
        for row in store.select(load_query("policy/model-licence-facts")):
            facts.setdefault(to_iri(row["model"]), []).append(row)
    return [context.decide(iri, facts.get(iri, [])) for iri in models]


@dataclass
class _Context:
    required: set[str]
    needs_weights: bool
    covers: dict[str, set[str]]
    rules: dict[str, list[dict[str, Any]]]
    regions: dict[str, set[str]]
    situation: Situation

    def decide(self, iri: str, rows: list[dict[str, Any]]) -> Decision:
        """The decision for the model ``iri`` from its licence facts (``rows``)."""
        label = rows[0]["label"] if rows else compact(iri)
        decision = Decision(compact(iri), label, ALLOWED)
        released = rows[0].get("released") if rows else None
        when = self.situation.as_of
        if when and released and released > when:
            return self._set(decision, UNKNOWN, "release", f"not released by {when} "
                             f"(released {released})", None)
        licences = sorted({r["licence"] for r in rows if r.get("licence")})
        decision.licences = licences
        weights = {r["weights"]: r.get("weightsSource") for r in rows if r.get("weights")}
        if self.needs_weights and weights and "grade:open" not in weights:
            grade = sorted(weights)[0]
            verdict = NOT_ALLOWED if grade == "grade:closed" else UNKNOWN
            return self._set(decision, verdict, "weights",
                             f"{self.situation.purpose} needs the weights; they are "
                             f"{grade.removeprefix('grade:')}", weights[grade])
        if not licences:
            return self._set(decision, UNKNOWN, "licence",
                             "the graph records no licence for this model", None)
        outcomes = [self._licence(decision, lic) for lic in licences]
        # A model offered under several licences (per size) is as usable as its best one.
        decision.verdict = best(outcomes)
        return decision

    def _set(self, decision: Decision, verdict: str, term: str, why: str,
             source: Any) -> Decision:
        decision.verdict = verdict
        decision.reasons.append({"effect": verdict, "term": term, "why": why,
                                 "clause": None, "source": source})
        return decision

    def _licence(self, decision: Decision, licence: str) -> str:
        terms = self.rules.get(licence, [])
        if not terms:
            decision.reasons.append({"effect": UNKNOWN, "term": licence, "clause": None,
                                     "why": "the graph records no terms for this licence",
                                     "source": None})
            return UNKNOWN
        when = self.situation.as_of
        issued = terms[0].get("issued")
        if when and issued and issued > when:
            decision.reasons.append({"effect": UNKNOWN, "term": licence, "clause": None,
                                     "why": f"not issued by {when} (issued {issued})",
                                     "source": terms[0].get("source")})
            return UNKNOWN
        verdict = ALLOWED
        permitted: set[str] = set()
        for rule in sorted(_by_rule(terms), key=lambda r: (r["kind"], r.get("clause") or "",
                                                           sorted(r["actions"]))):
            kind = rule["kind"].removeprefix("odrl:")
            actions = rule["actions"]
            if kind == "obligation":
                decision.duties.append(self._reason(rule, "duty", "applies"))
                continue
            relevant = {a for a in self.required
                        if self.covers.get(a, {a}) & actions}
            if not relevant:
                continue
            holds = self._constraints_hold(rule)
            if kind == "permission":
                if holds is True:
                    permitted |= relevant
                    decision.reasons.append(self._reason(rule, ALLOWED, "permits"))
                elif holds is None:
                    verdict = worst((verdict, UNKNOWN))
                    decision.reasons.append(self._reason(rule, UNKNOWN, "permits only if"))
                continue
            if holds is False:
                continue
            effect = (UNKNOWN if holds is None else
                      NEEDS_LICENCE if rule.get("grantor") else NOT_ALLOWED)
            verdict = worst((verdict, effect))
            decision.reasons.append(self._reason(rule, effect, "prohibits"))
        missing = self.required - permitted
        if missing and verdict == ALLOWED:
            verdict = UNKNOWN
            decision.reasons.append({
                "effect": UNKNOWN, "term": licence, "clause": None, "source": None,
                "why": "no recorded term permits " + ", ".join(sorted(missing))})
        return verdict

    def _constraints_hold(self, rule: dict[str, Any]) -> bool | None:
        """True when every constraint holds for the situation, False when one does not,
        None when the situation does not say (e.g. no --mau for a user threshold)."""
        result: bool | None = True
        for left, operator, right in rule["constraints"]:
            holds = self._constraint(left, operator, right)
            if holds is False:
                return False
            if holds is None:
                result = None
        return result

    def _constraint(self, left: str, operator: str, right: Any) -> bool | None:
        if left == compact(KG + "monthlyActiveUsers"):
            if self.situation.mau is None:
                return None
            return _compare(self.situation.mau, operator, int(right))
        if left == "odrl:spatial":
            if not self.situation.region:
                return None
            inside = right in self.regions.get(self.situation.region.upper(), set())
            return inside if operator == "odrl:eq" else not inside if operator == "odrl:neq" \
                else None
        if left == "odrl:purpose":
            return False  # the declared purposes are civil uses; such terms are listed
        return None

    def _reason(self, rule: dict[str, Any], effect: str, verb: str) -> dict[str, Any]:
        actions = ", ".join(sorted(a.split(":")[-1] for a in rule["actions"]))
        conditions = " and ".join(f"{left.split(':')[-1]} {operator.split(':')[-1]} {right}"
                                  for left, operator, right in rule["constraints"])
        why = f"{verb} {actions}" + (f" when {conditions}" if conditions else "")
        if rule.get("grantor"):
            why += f"; a separate licence from {rule['grantor']} lifts it"
        if effect == UNKNOWN:
            missing = sorted({_ASKS.get(left, left) for left, _, _ in rule["constraints"]})
            why += f" (not decidable without {', '.join(missing)})"
        if rule.get("comment"):
            why += f". {rule['comment']}"
        return {"effect": effect, "term": rule["licence"], "clause": rule.get("clause"),
                "why": why, "source": rule.get("source")}


#: The option that supplies each left operand.
_ASKS = {"kg:monthlyActiveUsers": "--mau", "odrl:spatial": "--region"}


def _by_rule(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold the query's rows (one per action and constraint) into one record per rule."""
    rules: dict[str, dict[str, Any]] = {}
    for row in rows:
        rule = rules.setdefault(row["rule"], {**row, "actions": set(), "constraints": set()})
        rule["actions"].add(row["action"])
        if row.get("left"):
            rule["constraints"].add((row["left"], row["operator"], row["right"]))
    return list(rules.values())


def _compare(value: int, operator: str, threshold: int) -> bool | None:
    return {"odrl:gt": value > threshold, "odrl:gteq": value >= threshold,
            "odrl:lt": value < threshold, "odrl:lteq": value <= threshold,
            "odrl:eq": value == threshold, "odrl:neq": value != threshold}.get(operator)
