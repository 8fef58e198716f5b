"""Generate a synthetic landscape in the shape of the curated data, at any size.

    python bench/synthetic.py --models 45000 --out /tmp/landscape-1m.nt

Organisations, licences (some with user thresholds), families, models with component grades
and capabilities, funding rounds with participations and valuations, products with user
counts: about 22 triples per model. Deterministic for a given size and seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.namespaces import ID, KG  # noqa: E402

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
URL = ox.NamedNode("https://schema.org/url")
VALUE = ox.NamedNode("https://schema.org/value")
CURRENCY = ox.NamedNode("https://schema.org/currency")
MONEY = ox.NamedNode("https://schema.org/MonetaryAmount")
ODRL = "http://www.w3.org/ns/odrl/2/"
XSD = "http://www.w3.org/2001/XMLSchema#"
LEVELS = ["open-weights", "api-only", "open-source"]
COMPONENTS = ["weights", "training-code", "training-data"]
GRADES = ["open", "partial", "closed"]
CAPABILITIES = ["advanced-reasoning", "multimodal", "code", "text-generation", "tool-use"]


def k(local: str) -> ox.NamedNode:
    return ox.NamedNode(KG + local)


def i(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


def date(year: int, month: int, day: int) -> ox.Literal:
    return ox.Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=ox.NamedNode(XSD + "date"))


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def generate(models: int, seed: int = 7) -> list[ox.Triple]:
    """The triples of a landscape with ``models`` models."""
    rng = random.Random(seed)
    out: list[ox.Triple] = []
    add = out.append
    orgs = max(10, models // 20)
    licences = 50
    for n in range(max(20, models // 200)):
        src = i(f"source/syn-{n}")
        add(ox.Triple(src, RDF_TYPE, k("Source")))
        add(ox.Triple(src, TITLE, ox.Literal(f"Synthetic source {n}")))
        add(ox.Triple(src, URL, ox.NamedNode(f"https://example.org/source/{n}")))
    sources = max(20, models // 200)

    def money(value: int) -> ox.BlankNode:
        amount = ox.BlankNode()
        add(ox.Triple(amount, RDF_TYPE, MONEY))
        add(ox.Triple(amount, VALUE, integer(value)))
        add(ox.Triple(amount, CURRENCY, ox.Literal("USD")))
        return amount

    def cite(node):
        add(ox.Triple(node, SOURCE, i(f"source/syn-{rng.randrange(sources)}")))

    for n in range(licences):
        lic = i(f"licence/syn-{n}")
        add(ox.Triple(lic, RDF_TYPE, k("Licence")))
        add(ox.Triple(lic, LABEL, ox.Literal(f"Synthetic licence {n}")))
        cite(lic)
        perm = ox.BlankNode()
        add(ox.Triple(lic, ox.NamedNode(ODRL + "permission"), perm))
        add(ox.Triple(perm, ox.NamedNode(ODRL + "action"), ox.NamedNode(ODRL + "use")))
        add(ox.Triple(perm, k("clause"), ox.Literal("1")))
        cite(perm)
        if n % 3 == 0:
            rule, cons = ox.BlankNode(), ox.BlankNode()
            add(ox.Triple(lic, ox.NamedNode(ODRL + "prohibition"), rule))
            add(ox.Triple(rule, ox.NamedNode(ODRL + "action"), ox.NamedNode(ODRL + "use")))
            add(ox.Triple(rule, k("clause"), ox.Literal("2")))
            add(ox.Triple(rule, ox.NamedNode(ODRL + "constraint"), cons))
            add(ox.Triple(cons, ox.NamedNode(ODRL + "leftOperand"), k("monthlyActiveUsers")))
            add(ox.Triple(cons, ox.NamedNode(ODRL + "operator"), ox.NamedNode(ODRL + "gt")))
            add(ox.Triple(cons, ox.NamedNode(ODRL + "rightOperand"),
                          integer(rng.choice([100, 300, 700]) * 10**6)))
            cite(rule)
        elif n % 3 == 1:
            rule = ox.BlankNode()
            add(ox.Triple(lic, ox.NamedNode(ODRL + "prohibition"), rule))
            add(ox.Triple(rule, ox.NamedNode(ODRL + "action"),
                          ox.NamedNode(ODRL + "commercialize")))
            add(ox.Triple(rule, k("clause"), ox.Literal("3")))
            cite(rule)
    for n in range(orgs):
        org = i(f"org/syn-{n}")
        add(ox.Triple(org, RDF_TYPE, k("Lab")))
        add(ox.Triple(org, LABEL, ox.Literal(f"Synthetic Lab {n}")))
        cite(org)
        rnd, val = i(f"round/syn-{n}"), i(f"valuation/syn-{n}")
        share = ox.BlankNode()
        add(ox.Triple(rnd, RDF_TYPE, k("FundingRound")))
        add(ox.Triple(rnd, LABEL, ox.Literal(f"Synthetic round {n}")))
        add(ox.Triple(rnd, k("fundee"), org))
        add(ox.Triple(rnd, k("date"), date(2020 + n % 6, 1 + n % 12, 1 + n % 28)))
        add(ox.Triple(rnd, k("amount"), money(rng.randrange(1, 100) * 10**8)))
        lead = i(f"org/syn-{rng.randrange(orgs)}")
        add(ox.Triple(rnd, k("leadInvestor"), lead))
        add(ox.Triple(rnd, k("participation"), share))
        add(ox.Triple(share, RDF_TYPE, k("Participation")))
        add(ox.Triple(share, k("investor"), lead))
        cite(share)
        add(ox.Triple(rnd, k("postMoneyValuation"), val))
        add(ox.Triple(val, RDF_TYPE, k("Valuation")))
        add(ox.Triple(val, k("organization"), org))
        add(ox.Triple(val, k("date"), date(2020 + n % 6, 1 + n % 12, 1 + n % 28)))
        add(ox.Triple(val, k("amount"), money(rng.randrange(1, 100) * 10**10)))
        cite(rnd)
        cite(val)
        product = i(f"product/syn-{n}")
        add(ox.Triple(product, RDF_TYPE, k("Product")))
        add(ox.Triple(product, LABEL, ox.Literal(f"Synthetic product {n}")))
        add(ox.Triple(product, k("provider"), org))
        cite(product)
        for q in range(2):
            obs = i(f"observation/syn-{n}-{q}")
            add(ox.Triple(obs, RDF_TYPE, k("UserMetricObservation")))
            add(ox.Triple(obs, k("product"), product))
            add(ox.Triple(obs, k("metric"), i("metric/monthly-active-users")))
            add(ox.Triple(obs, k("value"), integer(rng.randrange(1, 1000) * 10**6)))
            add(ox.Triple(obs, k("date"), date(2024 + q, 1 + n % 12, 1)))
            cite(obs)
    for n in range(models):
        model = i(f"model/syn-{n}")
        add(ox.Triple(model, RDF_TYPE, k("Model")))
        add(ox.Triple(model, LABEL, ox.Literal(f"Synthetic model {n}")))
        add(ox.Triple(model, k("developer"), i(f"org/syn-{n % orgs}")))
        add(ox.Triple(model, k("releaseDate"), date(2018 + n % 8, 1 + n % 12, 1 + n % 28)))
        add(ox.Triple(model, k("opennessLevel"), i(f"openness/{LEVELS[n % len(LEVELS)]}")))
        add(ox.Triple(model, k("licence"), i(f"licence/syn-{n % licences}")))
        add(ox.Triple(model, k("capability"),
                      i(f"capability/{CAPABILITIES[n % len(CAPABILITIES)]}")))
        if n > orgs:
            add(ox.Triple(model, k("basedOn"), i(f"model/syn-{rng.randrange(n)}")))
        for component in COMPONENTS:
            grade = ox.BlankNode()
            add(ox.Triple(model, k("componentOpenness"), grade))
            add(ox.Triple(grade, RDF_TYPE, k("ComponentOpenness")))
            add(ox.Triple(grade, k("component"), i(f"component/{component}")))
            add(ox.Triple(grade, k("grade"), i(f"grade/{rng.choice(GRADES)}")))
        cite(model)
    return out


def synthetic_landscape(models: int, backend: str = "oxigraph", folder: Path | None = None):
    """A :class:`kg.Landscape` of the shipped ontology and ``models`` synthetic models,
    loaded the way every command loads (kg.store.load: files parsed, then the backend)."""
    import tempfile

    from kg.landscape import Landscape
    from kg.store.load import ontology_files

    folder = folder or Path(tempfile.mkdtemp(prefix="kg-synthetic-"))
    data = folder / f"synthetic-{models}.nt"
    if not data.exists():
        ox.serialize(generate(models), data, format=ox.RdfFormat.N_TRIPLES)
    return Landscape.load([*ontology_files(), data], defaults=False, backend=backend,
                          cache=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=45000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    triples = generate(args.models, args.seed)
    ox.serialize(triples, args.out, format=ox.RdfFormat.N_TRIPLES)
    print(f"wrote {args.out}: {len(triples)} triples, {args.models} models")


if __name__ == "__main__":
    main()
