"""Entity resolution: cluster the records of every source, and the curated entities, into
canonical organisations and models.

Organisations merge when one of their name keys agrees (:func:`kg.fusion.names.org_keys`),
or, failing that, when RapidFuzz finds a near-identical spelling of one with the same
first letter (a typo, "Univeristy").

Models merge when their names agree as a compact key or a sorted-token key (sizes, versions,
variant words and tiers are tokens, so "Llama 2-7B" never meets "Llama 2-70B") and their
organisations agree (the same canonical organisation, one the parent of the other, or one
side without an organisation). Two curated entities never merge; a user's pins
(``owl:sameAs`` / ``owl:differentFrom`` between two ids) win over every automatic decision.
A sized or variant name ("Llama 2-70B", "Gemini 1.5 Flash-8B") is linked to the release
it is a variant of ("Llama 2", "Gemini 1.5"), never merged into it. Names that are close
but not equal (RapidFuzz ratio >= :data:`REVIEW_SCORE` on the compact keys, same numbers,
organisations that agree) are listed for review, not merged.

Blocking keeps this linear: exact keys are hash joins, and fuzzy comparison happens only
inside blocks of names sharing their first token and their numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kg.fusion.names import (
    compact_key,
    is_size,
    is_variant_token,
    model_tokens,
    nominal_size,
    org_keys,
)

#: Fuzzy score (0-100) from which two unmerged names are listed for review.
REVIEW_SCORE = 90.0
#: Fuzzy score from which two organisation spellings merge (typos only).
ORG_MERGE_SCORE = 92.0
#: Blocks larger than this are not compared pairwise for review (they are generic names).
MAX_BLOCK = 400


@dataclass
class Org:
    """An organisation as one source names it (curated ones carry an id and aliases)."""

    names: list[str]
    iri: str | None = None  # curated organisations only
    parent: str | None = None


@dataclass
class Item:
    """A curated model or a source's record, as resolution sees it."""

    iri: str
    source: str  # "curated" or a dataset name
    names: list[str]  # the label first, then aliases
    orgs: set[str] = field(default_factory=set)  # canonical organisation ids
    org_words: set[str] = field(default_factory=set)  # distinctive words of their names
    released: str | None = None  # "2023-07-18", "2023-07" or "2023"
    parameters: int | None = None

    @property
    def curated(self) -> bool:
        return self.source == "curated"


@dataclass
class Link:
    """Why an item belongs to its cluster: the evidence and a score in [0, 1]."""

    item: str
    canonical: str
    evidence: str
    score: float


@dataclass
class Candidate:
    """Two clusters that may be one model: listed for review, not merged."""

    a: str
    b: str
    score: float
    evidence: str


@dataclass
class Resolution:
    """Clusters of items (by a representative item id), why each joined, variant links
    between clusters and the pairs left for review."""

    clusters: dict[str, list[str]]
    links: dict[str, Link]
    variants: dict[str, tuple[str, str]]  # cluster -> (release cluster, evidence)
    review: list[Candidate]


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root


# --------------------------------------------------------------------------- organisations
def resolve_organisations(curated: list[Org], names: Iterable[str]) -> dict[str, str]:
    """Map each organisation name to a canonical key: a curated organisation's id, else the
    first key of the cluster its spellings fall in.

    >>> mapping = resolve_organisations([Org(["Google DeepMind", "DeepMind"], "org:gdm")],
    ...                                 ["Google Deepmind", "DeepMind", "Tsinghua University",
    ...                                  "Tsinghua Univeristy"])
    >>> mapping["Google Deepmind"], mapping["DeepMind"]
    ('org:gdm', 'org:gdm')
    >>> mapping["Tsinghua Univeristy"] == mapping["Tsinghua University"]
    True
    """
    by_key: dict[str, str] = {}
    for org in curated:
        for name in org.names:
            for key in org_keys(name)[:1]:
                by_key.setdefault(key, org.iri or key)
    for org in curated:  # looser keys ("Mistral" for "Mistral AI") after every exact one
        for name in org.names:
            for key in org_keys(name):
                by_key.setdefault(key, org.iri or key)
    mapping: dict[str, str] = {}
    unmatched: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        keys = org_keys(name)
        hit = next((by_key[k] for k in keys if k in by_key), None)
        if hit is not None:
            mapping[name] = hit
        elif keys:
            unmatched[keys[0]].append(name)
    # typos: near-identical keys with the same first letter merge into the more common one
    keys = sorted(unmatched, key=lambda k: (-len(unmatched[k]), k))
    canonical: dict[str, str] = {}
    by_letter: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        peers = by_letter[key[0]]
        best = process.extractOne(key, peers, scorer=fuzz.ratio,
                                  score_cutoff=ORG_MERGE_SCORE) if len(key) > 7 else None
        canonical[key] = canonical[best[0]] if best else key
        if not best:
            peers.append(key)
    for key, spellings in unmatched.items():
        for name in spellings:
            mapping[name] = canonical[key]
    return mapping


# --------------------------------------------------------------------------- models
def resolve_models(items: list[Item], parents: dict[str, str],
                   same: Iterable[tuple[str, str]] = (),
                   different: Iterable[tuple[str, str]] = ()) -> Resolution:
    """Cluster ``items`` into models; ``parents`` maps an organisation to its parent;
    ``same`` and ``different`` are the user's pinned decisions (pairs of item ids).

    >>> items = [Item("model:llama-2", "curated", ["Llama 2", "LLaMA 2"], {"org:meta"}),
    ...          Item("e:1", "epoch", ["LLaMA-2"], {"org:meta"}),
    ...          Item("e:2", "epoch", ["Llama 2-70B"], {"org:meta"}),
    ...          Item("o:1", "osai", ["llama-2-70b"], {"org:meta"})]
    >>> r = resolve_models(items, {})
    >>> sorted(r.clusters.values())
    [['e:2', 'o:1'], ['model:llama-2', 'e:1']]
    >>> r.variants["e:2"][0]
    'model:llama-2'
    """
    by_id = {item.iri: item for item in items}
    forest = _UnionFind(by_id)
    members: dict[str, set[str]] = {i: {i} for i in by_id}
    apart = defaultdict(set)
    for a, b in different:
        if a in by_id and b in by_id:
            apart[a].add(b)
            apart[b].add(a)
    links: dict[str, Link] = {}

    def can_join(ra: str, rb: str, pinned: bool) -> bool:
        union = members[ra] | members[rb]
        if not pinned and sum(by_id[i].curated for i in union) > 1:
            return False
        return not any(apart[i] & members[rb] for i in members[ra])

    def join(a: str, b: str, evidence: str, score: float, pinned: bool = False) -> bool:
        ra, rb = forest.find(a), forest.find(b)
        if ra == rb:
            return True
        if not can_join(ra, rb, pinned):
            return False
        # a curated item stays its cluster's root, so the canonical id is the curated one
        if by_id[rb].curated and not by_id[ra].curated:
            ra, rb = rb, ra
        forest.parent[rb] = ra
        members[ra] |= members.pop(rb)
        links.setdefault(b, Link(b, a, evidence, score))
        return True

    for a, b in same:
        if a in by_id and b in by_id:
            join(a, b, "pinned as the same by the user", 1.0, pinned=True)

    def agree(a: Item, b: Item) -> str | None:
        if not a.orgs or not b.orgs:
            return "one side names no organisation"
        if a.orgs & b.orgs or _related(a.orgs, b.orgs, parents):
            return "same organisation"
        shared = a.org_words & b.org_words
        if shared:
            return f"related organisations (both named '{sorted(shared)[0]}')"
        return None

    keys: list[tuple[str, str]] = []  # (key, item)
    for item in items:
        for name in item.names:
            keys.append(("c:" + compact_key(name), item.iri))
            keys.append(("t:" + " ".join(sorted(model_tokens(name))), item.iri))
    groups: dict[str, list[str]] = defaultdict(list)
    for key, iri in keys:
        if key not in ("c:", "t:") and iri not in groups[key]:
            groups[key].append(iri)
    # curated items first, then by id: the order decides nothing but which link is recorded
    for key, group in sorted(groups.items()):
        if len(group) < 2:
            continue
        group.sort(key=lambda i: (not by_id[i].curated, by_id[i].source, i))
        for position, iri in enumerate(group[1:], start=1):
            for other in group[:position]:
                how = agree(by_id[iri], by_id[other])
                if how is None:
                    continue
                score = {"same organisation": 1.0}.get(how, 0.9)
                kind = "compact name" if key.startswith("c:") else "same words in another order"
                if join(other, iri, f"{kind} '{key[2:]}', {how}", score):
                    break

    # a name that each of two sources gives to exactly one record, with release dates less
    # than a year apart, denotes one model even when the organisations are spelt apart
    # ("LMSYS", "Large Model Systems Organization"); "GOAT" (2021) and "GOAT" (2023) stay two
    for key, group in sorted(groups.items()):
        if not key.startswith("c:") or len(key) < 6 or len(group) < 2:
            continue
        by_source: dict[str, list[str]] = defaultdict(list)
        for iri in group:
            by_source[by_id[iri].source].append(iri)
        if len(by_source) == len(group) and not any(by_id[i].curated for i in group):
            first, *others = group
            for iri in others:
                if _close_dates(by_id[first].released, by_id[iri].released):
                    join(first, iri, f"the only record named '{key[2:]}' in each source, "
                         "released within a year, organisations spelt apart", 0.8)

    # a record without a size in its name that states a parameter count is the model whose
    # name adds that size ("GPT-J", 6B, and "GPT-J-6B"), when only one such model exists
    sized: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        for name in item.names[:1]:
            tokens = model_tokens(name)
            sizes = [t for t in tokens if is_size(t)]
            if len(sizes) == 1 and not item.curated:
                base = tuple(sorted(t for t in tokens if t != sizes[0]))
                sized[base].append((item.iri, sizes[0]))
    for item in items:
        tokens = model_tokens(item.names[0])
        if item.curated or not item.parameters or any(is_size(t) for t in tokens):
            continue
        candidates = {forest.find(i) for i, _ in sized.get(tuple(sorted(tokens)), [])}
        matching = [i for i, size in sized.get(tuple(sorted(tokens)), [])
                    if _size_matches(size, item.parameters)]
        if len(candidates) == 1 and matching and agree(item, by_id[matching[0]]) is not None:
            join(matching[0], item.iri, f"its stated size ({item.parameters:,} parameters) is "
                 "the size the other's name adds", 0.85)

    clusters: dict[str, list[str]] = defaultdict(list)
    for item in items:
        clusters[forest.find(item.iri)].append(item.iri)
    variants = _variants(clusters, by_id, parents)
    review = _review(clusters, by_id, parents, variants, apart)
    return Resolution(dict(clusters), links, variants, review)


def _size_matches(token: str, count: int) -> bool:
    """Whether a size token ("6b", "1.5b") states ``count`` parameters, within 15%; a
    mixture of experts ("8x7b") states no one count."""
    nominal, experts = nominal_size(token)
    return not experts and abs(nominal - count) <= 0.15 * count


def _close_dates(a: str | None, b: str | None, days: int = 365) -> bool:
    """Whether two release dates (full, year-month or year) are known and within ``days``."""
    from datetime import date

    if not a or not b:
        return False

    def day(text: str) -> date:
        return date.fromisoformat(text + {4: "-07-01", 7: "-15"}.get(len(text), ""))

    try:
        return abs((day(a) - day(b)).days) <= days
    except ValueError:
        return False


def _related(a: set[str], b: set[str], parents: dict[str, str]) -> bool:
    return any(parents.get(x) in b for x in a) or any(parents.get(y) in a for y in b)


def _cluster_tokens(cluster: list[str], by_id: dict[str, Item]) -> list[tuple[str, ...]]:
    return [tuple(sorted(model_tokens(n))) for i in cluster for n in by_id[i].names]


def _variants(clusters: dict[str, list[str]], by_id: dict[str, Item],
              parents: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each cluster whose name is a release's name plus sizes or variant words -> that
    release (the most specific one: "Gemini 1.5 Flash-8B" -> "Gemini 1.5 Flash" if it
    exists, else "Gemini 1.5")."""
    by_tokens: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for root, cluster in clusters.items():
        for tokens in set(_cluster_tokens(cluster, by_id)):
            by_tokens[tokens].append(root)
    orgs = {root: set().union(*(by_id[i].orgs for i in c)) for root, c in clusters.items()}
    found: dict[str, tuple[str, str]] = {}
    for root, cluster in clusters.items():
        tokens = _cluster_tokens(cluster, by_id)[0]
        # a name's first word names the model, even when it is a variant word elsewhere:
        # "Code Llama" is not a code variant of "Llama", nor "Mini-Omni" of "Omni"
        lead = next(iter(model_tokens(by_id[cluster[0]].names[0])), None)
        tries = [tuple(t for t in tokens if not is_size(t)),
                 tuple(t for t in tokens if t == lead or not is_variant_token(t))]
        for base in tries:
            if base == tokens or not base:
                continue
            releases = [r for r in by_tokens.get(base, ()) if r != root and (
                not orgs[r] or not orgs[root] or orgs[r] & orgs[root]
                or _related(orgs[r], orgs[root], parents))]
            if releases:
                release = sorted(releases, key=lambda r: (not by_id[r].curated, r))[0]
                extra = sorted(set(tokens) - set(base))
                found[root] = (release, f"its name adds {', '.join(extra)} to the release's")
                break
    return found


def _review(clusters: dict[str, list[str]], by_id: dict[str, Item], parents: dict[str, str],
            variants: dict[str, tuple[str, str]], apart: dict[str, set[str]]
            ) -> list[Candidate]:
    """Pairs of clusters with near-identical names (same numbers, agreeing organisations)."""
    blocks: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for root in clusters:
        tokens = model_tokens(by_id[root].names[0])
        if not tokens:
            continue
        numbers = tuple(sorted(t for t in tokens if any(c.isdigit() for c in t)))
        blocks[(tokens[0], *numbers)].append((root, compact_key(by_id[root].names[0])))
    found: list[Candidate] = []
    for block in blocks.values():
        if len(block) < 2 or len(block) > MAX_BLOCK:
            continue
        names = [key for _, key in block]
        scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=REVIEW_SCORE)
        for i, (a, _) in enumerate(block):
            for j in range(i + 1, len(block)):
                b = block[j][0]
                score = float(scores[i][j])
                if score < REVIEW_SCORE or variants.get(a, ("",))[0] == b \
                        or variants.get(b, ("",))[0] == a or b in apart[a]:
                    continue
                ia, ib = by_id[a], by_id[b]
                if ia.curated and ib.curated:
                    continue
                if ia.orgs and ib.orgs and not (ia.orgs & ib.orgs
                                                or _related(ia.orgs, ib.orgs, parents)):
                    continue
                found.append(Candidate(a, b, round(score / 100, 3),
                                       f"names '{ia.names[0]}' and '{ib.names[0]}' are "
                                       f"{score:.0f}% alike"))
    return sorted(found, key=lambda c: (-c.score, c.a, c.b))
