"""Write query results in the standard formats: SPARQL 1.1 Results JSON, CSV and TSV, and
RDF syntaxes for graph results."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.store import QueryResult

TABULAR_FORMATS = ("table", "json", "csv", "tsv")
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD}


def _json_term(term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON for a SELECT or ASK result."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    return json.dumps({
        "head": {"vars": result.variables},
        "results": {"bindings": [{k: _json_term(v) for k, v in s.items()}
                                 for s in result.solutions]},
    }, indent=2, ensure_ascii=False)


def sparql_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, no types."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        for s in result.solutions:
            writer.writerow([_plain(s.get(v)) for v in result.variables])
    return buffer.getvalue()


def sparql_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in SPARQL/N-Triples syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for s in result.solutions:
        lines.append("\t".join(str(s[v]) if v in s else "" for v in result.variables))
    return "\n".join(lines) + "\n"


def sparql_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML for a SELECT or ASK result."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>"
                                      for v in result.variables) + "</head><results>")
        for solution in result.solutions:
            out.append("<result>")
            for name, term in solution.items():
                if isinstance(term, ox.NamedNode):
                    value = f"<uri>{escape(term.value)}</uri>"
                elif isinstance(term, ox.BlankNode):
                    value = f"<bnode>{escape(term.value)}</bnode>"
                elif term.language:
                    value = (f"<literal xml:lang={quoteattr(term.language)}>"
                             f"{escape(term.value)}</literal>")
                else:
                    value = (f"<literal datatype={quoteattr(term.datatype.value)}>"
                             f"{escape(term.value)}</literal>")
                out.append(f"<binding name={quoteattr(name)}>{value}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def graph_text(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT or DESCRIBE triples in an RDF syntax."""
    kwargs = {"prefixes": PREFIXES} if fmt == "ttl" else {}
    return ox.serialize(result.triples, format=GRAPH_FORMATS[fmt], **kwargs).decode("utf-8")


def _plain(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value
