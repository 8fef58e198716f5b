"""May *we* do *this* with *that* model? Licence terms (ODRL rules in the graph) evaluated
against a licensee's situation, with every deciding term and its source.

All knowledge comes from the graph: the model's licence and its rules, the action taxonomy
(``odrl:includedIn``), what each purpose needs (``kg:Purpose``), regions, and the weights'
openness grade. Adding a licence is a data change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.namespaces import KG, compact
from kg.policy.verdicts import ALLOWED, NEEDS_LICENCE, NOT_ALLOWED, UNKNOWN, worst
from kg.queries import load_query
from kg.reports.entities import to_iri
from kg.store import GraphStore


@dataclass(frozen=True)
class Situation:
    """What the licensee wants to do (one or several purposes), and the facts about them the
    terms may ask for. ``region`` is an ISO 3166-1 alpha-2 code or a group (EU, EEA)."""

    purposes: tuple[str, ...] = ("inference",)
    commercial: bool = True
    mau: int | None = None
    region: str | None = None
    as_of: date | None = None

    def only(self, purpose: str) -> Situation:
        """The same situation for one purpose."""
        return replace(self, purposes=(purpose,))

    @property
    def purpose(self) -> str:
        """The purpose, for a situation of one."""
        return self.purposes[0]


@dataclass
class Decision:
    """The answer for one model, with the terms that decided it."""

    model: str
    label: str
    verdict: str
    reasons: list[dict[str, Any]] = field(default_factory=list)
    duties: list[dict[str, Any]] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    #: each variant (a size or modality with its own terms): model, label, verdict, licence
    variants: list[dict[str, Any]] = field(default_factory=list)
    #: each base model whose terms bind this fine-tune: model, label, verdict, licence
    bases: list[dict[str, Any]] = field(default_factory=list)
    #: with several purposes, the verdict of each
    purposes: list[dict[str, Any]] = field(default_factory=list)
    #: how several licences, variants or purposes were combined into the verdict
    combined: str = ""
    #: the options that would decide what is unknown (--mau, --region)
    undecided: list[str] = field(default_factory=list)

    def brief(self) -> dict[str, Any]:
        """This decision as a line of another's: model, label, verdict, licence."""
        return {"model": self.model, "label": self.label, "verdict": self.verdict,
                "licence": self.licences}

    def take_in(self, part: Decision, reasons: list[dict[str, Any]]) -> None:
        """Add ``reasons`` (those of ``part``, a variant's, a base model's or a purpose's
        decision, each marked with its scope), and the duties and open questions of
        ``part`` not yet here."""
        self.reasons += reasons
        self.duties += [d for d in part.duties if d not in self.duties]
        self.undecided += [u for u in part.undecided if u not in self.undecided]

    def row(self) -> dict[str, Any]:
        """One line of ``kg can-use --all``: the verdict, the licences and the terms that
        kept it from "allowed"."""
        return {"model": self.model, "label": self.label, "verdict": self.verdict,
                "licence": self.licences,
                "deciding terms": list(dict.fromkeys(
                    f"{r['clause'] or r['term']}: {r['effect']}" for r in self.reasons
                    if r["effect"] not in (ALLOWED, "note")))}


class PolicyError(KgError):
    """A can-use question that cannot be asked (unknown purpose)."""


def purposes(store: GraphStore) -> list[str]:
    """The purposes the graph defines (``inference``, ``fine-tune``, ...)."""
    return sorted({r["code"] for r in store.select(load_query("policy/purposes"))})


def evaluate_many(store: GraphStore, models: list[str], situation: Situation
                  ) -> list[Decision]:
    """Decide, for each model (an IRI), whether ``situation`` may use it under its licence
    terms; the shared terms are read once. Several purposes give one verdict, the least
    permissive, with a line per purpose; a model whose variants (sizes, modalities) ship
    under different terms is decided per variant and takes the least permissive verdict."""
    known = purposes(store)
    unknown = [p for p in situation.purposes if p not in known]
    if unknown or not situation.purposes:
        raise PolicyError(f"unknown purpose '{(unknown or [''])[0]}'; use one of "
                          + ", ".join(known))
    covers: dict[str, set[str]] = {}
    for row in store.select(load_query("policy/action-coverage")):
        covers.setdefault(row["action"], {row["action"]}).add(row["covers"])
    rules: dict[str, list[dict[str, Any]]] = {}
    for row in store.select(load_query("policy/licence-rules")):
        rules.setdefault(row["licence"], []).append(row)
    regions: dict[str, set[str]] = {}
    for row in store.select(load_query("policy/region-areas")):
        regions.setdefault(row["code"].upper(), set()).add(row["area"])
        regions.setdefault(row["region"], set()).add(row["area"])  # by IRI too
    versions: dict[str, list[tuple[Any, str]]] = {}
    for row in store.select(load_query("policy/licence-versions")):
        versions.setdefault(row["licence"], []).append((row["issued"], row["version"]))
    facts = _facts(store, models)
    contexts = []
    for purpose in situation.purposes:
        needs = [r for r in store.select(load_query("policy/purposes")) if r["code"] == purpose]
        required = {r["action"] for r in needs}
        if situation.commercial:
            required.add("odrl:commercialize")
        contexts.append(_Context(required, bool(needs[0]["needsWeights"]), covers, rules,
                                 regions, versions, situation.only(purpose), facts))
    return [_combine_purposes([c.decide(iri) for c in contexts]) for iri in models]


def _facts(store: GraphStore, models: list[str]) -> dict[str, dict[str, Any]]:
    """Each model's licence facts: label, licences, usage policies, release date, weights'
    grades, capabilities and variants, read in one query (or one per model for a few)."""
    rows: list[dict[str, Any]] = []
    if len(models) <= 3:
        pending, seen = list(models), set(models)
        while pending:  # the models, their variants and base models, theirs, ...
            found = store.select(load_query("policy/model-licence-facts"),
                                 {"model": ox.NamedNode(pending.pop())})
            rows += found
            for other in {to_iri(r[k]) for r in found for k in ("variant", "base") if r.get(k)}:
                if other not in seen:
                    seen.add(other)
                    pending.append(other)
    else:
        rows = store.select(load_query("policy/model-licence-facts"))
    facts: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = to_iri(row["model"])
        fact = facts.setdefault(iri, {"label": row["label"], "licences": set(),
                                      "policies": set(), "released": row.get("released"),
                                      "level": row.get("level"),
                                      "weights": {}, "capabilities": set(), "variants": set(),
                                      "bases": set(), "developers": set()})
        for key, name in (("licence", "licences"), ("policy", "policies"),
                          ("capability", "capabilities"), ("developer", "developers")):
            if row.get(key):
                fact[name].add(row[key])
        if row.get("weights"):
            fact["weights"][row["weights"]] = row.get("weightsSource")
        if row.get("variant"):
            fact["variants"].add(to_iri(row["variant"]))
        if row.get("base"):
            fact["bases"].add(to_iri(row["base"]))
    return facts


#: Openness levels at which the weights are out, and at which a model is only served.
_WEIGHTS_OUT = {"level:open-weights", "level:open-source"}
_SERVED_ONLY = {"level:api-only", "level:hosted-only"}


def _combine_purposes(decisions: list[Decision]) -> Decision:
    """One decision for several purposes: the least permissive verdict, a line per purpose,
    every reason marked with its purpose."""
    if len(decisions) == 1:
        return decisions[0]
    first = decisions[0]
    combined = Decision(first.model, first.label, worst(d.verdict for d in decisions),
                        licences=first.licences, variants=first.variants, bases=first.bases,
                        combined="several purposes: the least permissive verdict holds")
    for d in decisions:
        purpose = d.purposes[0]["purpose"] if d.purposes else ""
        combined.purposes.append({"purpose": purpose, "verdict": d.verdict})
        combined.take_in(d, [{**r, "purpose": purpose} for r in d.reasons])
    return combined


@dataclass
class _Context:
    required: set[str]
    needs_weights: bool
    covers: dict[str, set[str]]
    rules: dict[str, list[dict[str, Any]]]
    regions: dict[str, set[str]]
    versions: dict[str, list[tuple[Any, str]]]
    situation: Situation
    facts: dict[str, dict[str, Any]]

    def decide(self, iri: str, seen: frozenset[str] = frozenset()) -> Decision:
        """The decision for the model ``iri``: per variant when it has variants (a variant
        with variants of its own, Qwen2.5-Coder in Qwen2.5, is decided per variant too)."""
        fact = self.facts.get(iri)
        label = fact["label"] if fact else compact(iri)
        variants = sorted(set(fact["variants"]) - seen - {iri}) if fact else []
        if not variants:
            decision = self._decide_one(iri, fact, label)
        else:
            parts = [self.decide(v, seen | {iri}) if self.facts.get(v, {}).get("variants")
                     else self._decide_one(v, self.facts.get(v),
                                           self.facts.get(v, {}).get("label", compact(v)))
                     for v in variants]
            # of a release whose weights are out, a variant one can only use through its
            # developer's service (Qwen3-Max beside Qwen3) is shown, not weighed: its
            # terms are the service's, not the weights'
            served = {v for v in variants if fact and fact["level"] in _WEIGHTS_OUT
                      and self.facts.get(v, {}).get("level") in _SERVED_ONLY
                      and not self.facts[v]["licences"]}
            if fact and fact["licences"]:  # the release's own terms bind it too
                parts.insert(0, self._decide_one(iri, fact, label))
            weighed = [p for p in parts if to_iri(p.model) not in served] or parts
            decision = Decision(compact(iri), label, worst(p.verdict for p in weighed))
            decision.variants = [p.brief() | ({"note": "through its developer's service "
                                                        "only: not weighed"}
                                                if to_iri(p.model) in served else {})
                                 for p in parts]
            decision.licences = sorted({lic for p in weighed for lic in p.licences})
            for part in weighed:
                decision.take_in(part, [{**r, "variant": part.label} for r in part.reasons])
            if len({p.verdict for p in weighed}) > 1:
                decision.combined = ("depends on the variant: the least permissive verdict "
                                     "is shown, each variant's below")
        for base in self._binding_bases(iri, seen):
            part = self.decide(base, seen | {iri})
            decision.verdict = worst((decision.verdict, part.verdict))
            decision.bases.append(part.brief())
            decision.take_in(part, [{**r, "variant": f"{r['variant']} of base {part.label}"
                                     if r.get("variant") else f"base {part.label}"}
                                    for r in part.reasons])
            decision.combined = ("a fine-tune of another developer's model: its base's terms "
                                 "bind too, the least permissive verdict is shown")
        decision.purposes = [{"purpose": self.situation.purpose, "verdict": decision.verdict}]
        return decision

    def _binding_bases(self, iri: str, seen: frozenset[str]) -> list[str]:
        """The models ``iri`` was fine-tuned from that another developer made (a lab's own
        derivative, DeepSeek-R1 of DeepSeek-V3, is under the terms the lab gave it)."""
        fact = self.facts.get(iri) or {}
        mine = fact.get("developers", set())
        return sorted(b for b in fact.get("bases", ()) if b not in seen and b != iri
                      and not mine & self.facts.get(b, {}).get("developers", set()))

    def _decide_one(self, iri: str, fact: dict[str, Any] | None, label: str) -> Decision:
        decision = Decision(compact(iri), label, ALLOWED)
        if fact is None:
            return self._set(decision, UNKNOWN, "licence",
                             "the graph records no licence for this model", None)
        released = fact["released"]
        when = self.situation.as_of
        if when and released and released > when:
            return self._set(decision, UNKNOWN, "release", f"not released by {when} "
                             f"(released {released})", None)
        licences = sorted(self._in_force(lic, decision) for lic in fact["licences"])
        decision.licences = licences
        weights = fact["weights"]
        # a "closed" weights grade beside an open-weights level, or beside a licence when no
        # level is known, is a dataset grading the weights' licence (the Open Source AI Index
        # on Llama), not their release
        weights_out = fact["level"] in _WEIGHTS_OUT or (fact["level"] is None and licences)
        if self.needs_weights and weights and not weights_out \
                and not {"grade:open", "grade:partial"} & set(weights):
            return self._set(decision, NOT_ALLOWED, "weights",
                             f"{self.situation.purpose} needs the weights; they are not "
                             "released", weights.get("grade:closed"))
        if not licences:
            return self._set(decision, UNKNOWN, "licence",
                             "the graph records no licence for this model", None)
        outcomes = [self._licence(decision, lic, fact["capabilities"]) for lic in licences]
        policies = sorted({pol for lic in licences for pol in self._policies_of(lic)}
                          | fact["policies"])
        outcomes += [self._licence(decision, pol, fact["capabilities"], policy=True)
                     for pol in policies]
        # Several licences or policies bind together: the least permissive decides.
        decision.verdict = worst(outcomes)
        if len(licences) + len(policies) > 1:
            decision.combined = ("several terms apply (" + ", ".join(licences + policies)
                                 + "): the least permissive decides")
        if decision.verdict == UNKNOWN:
            decision.undecided = sorted({ask for r in decision.reasons if r["effect"] == UNKNOWN
                                         for ask in r.get("asks", ())})
        return decision

    def _in_force(self, licence: str, decision: Decision) -> str:
        """The version of ``licence`` in force on the situation's date (today without one):
        the latest issued revision that replaces it (``dcterms:replaces``)."""
        day = self.situation.as_of or date.today()
        newer = sorted((issued, v) for issued, v in self.versions.get(licence, [])
                       if issued is None or issued <= day)
        if not newer:
            return licence
        issued, version = newer[-1]
        note = {"effect": "note", "term": version, "clause": None, "source": None,
                "why": f"issued {issued}, replaces {licence}: the version in force on {day}"}
        if note not in decision.reasons:
            decision.reasons.append(note)
        return version

    def _policies_of(self, licence: str) -> list[str]:
        return sorted({r["policy"] for r in self.rules.get(licence, []) if r.get("policy")})

    def _set(self, decision: Decision, verdict: str, term: str, why: str,
             source: Any) -> Decision:
        decision.verdict = verdict
        decision.reasons.append({"effect": verdict, "term": term, "why": why,
                                 "clause": None, "source": source})
        return decision

    def _licence(self, decision: Decision, licence: str, capabilities: set[str],
                 policy: bool = False) -> str:
        """The verdict of one licence (or usage ``policy``: it forbids, it need not grant)."""
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
        limited_to_purposes = False  # a grant only for named purposes (research, evaluation)
        for rule in sorted(_by_rule(terms), key=lambda r: (r["kind"], r.get("clause") or "",
                                                           sorted(r["actions"]))):
            kind = rule["kind"].removeprefix("odrl:")
            actions = rule["actions"]
            if kind == "obligation":
                decision.duties.append(self._reason(rule, "duty", "duty to", capabilities))
                continue
            relevant = {a for a in self.required
                        if self.covers.get(a, {a}) & actions}
            if not relevant:
                continue
            holds = self._constraints_hold(rule, capabilities)
            if kind == "permission":
                if holds is True:
                    permitted |= relevant
                    decision.reasons.append(self._reason(rule, ALLOWED, "permits", capabilities))
                elif holds is None:
                    if self._constraints_hold(_without_purposes(rule), capabilities) is True:
                        limited_to_purposes = True
                    else:
                        verdict = worst((verdict, UNKNOWN))
                    decision.reasons.append(self._reason(rule, UNKNOWN, "permits only if",
                                                         capabilities))
                continue
            if holds is False:
                continue
            effect = (UNKNOWN if holds is None else
                      NEEDS_LICENCE if rule.get("grantor") else NOT_ALLOWED)
            verdict = worst((verdict, effect))
            decision.reasons.append(self._reason(rule, effect, "prohibits", capabilities))
        if limited_to_purposes and verdict != NEEDS_LICENCE:
            # unknown whether the use is one of the purposes granted, unless the licence
            # says the way to it: a separate licence (FLUX [dev]: research free,
            # commercial use by a licence from Black Forest Labs)
            verdict = worst((verdict, UNKNOWN))
        missing = self.required - permitted
        if missing and verdict == ALLOWED and not policy:
            verdict = UNKNOWN
            decision.reasons.append({
                "effect": UNKNOWN, "term": licence, "clause": None, "source": None,
                "why": "no recorded term permits " + ", ".join(sorted(missing))})
        return verdict

    def _constraints_hold(self, rule: dict[str, Any], capabilities: set[str]) -> bool | None:
        """True when every constraint holds for the situation and the model (its
        ``capabilities``), False when one does not, None when the situation does not say
        (e.g. no --mau for a user threshold)."""
        result: bool | None = True
        for left, operator, right in rule["constraints"]:
            if left == "kg:modelCapability":
                # a model whose capabilities no source records may have the one named
                holds: bool | None = None if not capabilities else \
                    (right in capabilities) == (operator == "odrl:eq")
            elif left == "odrl:purpose":
                # the purposes a licence names (research, evaluation; or harms it forbids)
                # are not the situation's: a permission limited to them is not known to
                # hold, a prohibition of them does not apply to the civil uses asked about
                holds = None if rule["kind"] == "odrl:permission" else False
            else:
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
            here = self.regions.get(self.situation.region.upper(), set())
            inside: bool | None = right in here
            # the licensee's region itself: the one area with the same areas as it
            where = next((a for a in here if self.regions.get(a) == here), None)
            if not inside and where in self.regions.get(right, set()):
                inside = None  # a group that holds the region (EEA for an EU clause): maybe
            if inside is None or operator not in ("odrl:eq", "odrl:neq"):
                return None
            return inside if operator == "odrl:eq" else not inside
        return None

    def _ask(self, left: str, capabilities: set[str]) -> str | None:
        """What would decide a condition on ``left`` that the situation leaves open: an
        option, or what the graph lacks (None when the situation already says)."""
        if left == "kg:monthlyActiveUsers":
            return None if self.situation.mau is not None else "--mau"
        if left == "odrl:spatial":
            return "--region as a country, not a group" if self.situation.region \
                else "--region"
        if left == "kg:modelCapability":
            return None if capabilities else "the model's capabilities (no source records them)"
        return None if left == "odrl:purpose" else left

    def _reason(self, rule: dict[str, Any], effect: str, verb: str,
                capabilities: set[str]) -> dict[str, Any]:
        actions = ", ".join(sorted(_words(a) for a in rule["actions"]))
        conditions = " and ".join(_condition(left, operator, right)
                                  for left, operator, right in sorted(rule["constraints"],
                                                                      key=str))
        why = f"{verb} {actions}" + (f" when {conditions}" if conditions else "")
        if rule.get("grantor"):
            why += f"; a separate licence from {rule['grantor']} lifts it"
        asks = sorted({ask for left, _, _ in rule["constraints"]
                       if (ask := self._ask(left, capabilities)) and ask.startswith("--")})
        if effect == UNKNOWN:
            missing = sorted({ask for left, _, _ in rule["constraints"]
                              if (ask := self._ask(left, capabilities))})
            why += f" (not decidable without {', '.join(missing)})"
        if rule.get("countedOn") and "--mau" in asks:
            why += (f"; the users counted are those of {rule['countedOn']}: give --mau as "
                    "your figure then")
        if rule.get("comment"):
            why += f". {rule['comment']}"
        return {"effect": effect, "term": rule["licence"], "clause": rule.get("clause"),
                "why": why, "source": rule.get("source"), "asks": asks}


#: How a condition reads: left operands and operators in words.
_LEFT = {"kg:monthlyActiveUsers": "monthly active users", "odrl:spatial": "the licensee is in",
         "kg:modelCapability": "the model is", "kg:annualRevenue": "annual revenue (USD)",
         "kg:monthlyRevenue": "last month's revenue (USD)",
         "odrl:purpose": "the purpose is"}
_OPERATOR = {"odrl:gt": ">", "odrl:gteq": ">=", "odrl:lt": "<", "odrl:lteq": "<=",
             "odrl:eq": "", "odrl:neq": "not", "odrl:isA": "", "odrl:isPartOf": "in"}


def _condition(left: str, operator: str, right: Any) -> str:
    """A constraint as words: ``monthly active users > 700M``, ``the licensee is in EU``.

    >>> _condition("kg:monthlyActiveUsers", "odrl:gt", 700000000)
    'monthly active users > 700M'
    >>> _condition("odrl:spatial", "odrl:eq", "region:EU")
    'the licensee is in EU'
    """
    from kg.reports.numbers import short_number

    value = right
    if isinstance(right, int | float) and not isinstance(right, bool):
        value = short_number(right)
    elif isinstance(right, str) and ":" in right and " " not in right:
        value = right.split("/")[-1].split(":")[-1].replace("-", " ")
    words = [_LEFT.get(left, left.split(":")[-1]), _OPERATOR.get(operator, operator), str(value)]
    return " ".join(w for w in words if w)


#: The option that supplies each left operand.


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


def coverage(store: GraphStore, decisions: list[Decision]) -> dict[str, Any]:
    """How many of the open-weight models among ``decisions`` got a decidable answer (any
    verdict but "unknown"), with the count of each verdict."""
    released = {to_iri(r["model"]) for r in store.select(load_query("policy/open-weight-models"))}
    judged = [d for d in decisions if to_iri(d.model) in released]
    decided = [d for d in judged if d.verdict != UNKNOWN]
    verdicts: dict[str, int] = {}
    for d in judged:
        verdicts[d.verdict] = verdicts.get(d.verdict, 0) + 1
    share = len(decided) / len(judged) if judged else 0.0
    return {"open-weight models": len(judged), "decidable": len(decided),
            "share": round(share, 4), "verdicts": verdicts}


def _without_purposes(rule: dict[str, Any]) -> dict[str, Any]:
    """``rule`` without its purpose constraints: does it hold but for the purposes it names?"""
    return {**rule, "constraints": [c for c in rule["constraints"] if c[0] != "odrl:purpose"]}


def _words(action: str) -> str:
    """An ODRL action in words: ``kg:trainOtherModels`` -> "train other models"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", action.split(":")[-1]).lower()
