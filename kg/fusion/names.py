"""Name keys for record linkage: what two spellings of one model or organisation share.

A model's name is split into tokens; sizes ("70b"), versions ("2.5"), variant words
("instruct", "chat") and tiers ("flash", "pro") stay, because they tell models apart. Two
keys are compared: the tokens in order without separators (:func:`compact_key`, so
"Llama2-70B" and "Llama 2 70B" agree) and the sorted tokens (:func:`token_key`, so
"Llama-2-Chat-70B" and "Llama 2 70B Chat" agree).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Words that name a variant of a release (another size is a token like "70b").
VARIANT_WORDS = frozenset({
    "instruct", "chat", "base", "sft", "dpo", "rlhf", "preview", "it", "code", "coder",
    "vision", "vl", "math", "reasoning", "thinking", "turbo", "flash", "pro", "ultra", "nano",
    "mini", "small", "medium", "large", "xl", "xxl", "lite", "plus", "max", "tiny", "micro",
    "haiku", "sonnet", "opus", "moe", "distill", "long", "32k", "128k", "8k", "4k"})
#: Spellings of one variant word.
SYNONYMS = {"it": "instruct", "instruction": "instruct", "instructed": "instruct",
            "sft": "sft", "llama": "llama"}
#: Tokens that add nothing ("-hf" is the Hugging Face conversion of the same weights).
NOISE = frozenset({"hf", "the", "model", "models", "v", "version"})
#: Corporate and generic words dropped from organisation names.
ORG_NOISE = frozenset({
    "inc", "ltd", "llc", "corp", "corporation", "co", "company", "gmbh", "sa", "ag", "plc",
    "limited", "the", "srl", "bv", "kk", "pbc"})

_SPLIT = re.compile(r"[^a-z0-9.]+")
_ALNUM = re.compile(r"[a-z]+|[0-9]+x[0-9]+(?:\.[0-9]+)?[bmkt]?|[0-9]+(?:\.[0-9]+)*[a-z]?")
_SIZE = re.compile(r"(?:[0-9]+x)?[0-9]+(?:\.[0-9]+)?[bmkt]")


def fold(text: str) -> str:
    """Lower case without accents; a Greek letter spelt out ("PanGu-Σ" is not "PanGu-α").

    >>> fold("Mistral Médium"), fold("PanGu-Σ")
    ('mistral medium', 'pangu-sigma')
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(_spelt(c) for c in decomposed if not unicodedata.combining(c)).lower()


def _spelt(char: str) -> str:
    if "\u0370" <= char <= "\u03ff":
        name = unicodedata.name(char, "")
        if name.startswith("GREEK"):
            return name.split()[-1].lower()
    return char


@lru_cache(maxsize=1 << 18)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(_model_tokens(name))


def model_tokens(name: str) -> list[str]:
    """The tokens of a model name (see :func:`_model_tokens`), cached."""
    return list(_tokens(name))


def _model_tokens(name: str) -> list[str]:
    """The tokens of a model name, in order: sizes and versions kept, noise dropped.

    >>> model_tokens("Llama-2-70b-chat-hf"), model_tokens("Qwen2.5-72B-Instruct")
    (['llama', '2', '70b', 'chat'], ['qwen', '2.5', '72b', 'instruct'])
    >>> model_tokens("Mistral-7B-v0.1"), model_tokens("Gemma 2 9B IT")
    (['mistral', '7b', '0.1'], ['gemma', '2', '9b', 'instruct'])
    >>> model_tokens("Dolly 2.0-12b") == model_tokens("Dolly-V2-12B")
    True
    """
    tokens: list[str] = []
    for chunk in _SPLIT.split(fold(name).replace("+", " plus ")):
        for token in _ALNUM.findall(chunk.strip(".")):
            if token.startswith("v") and token[1:2].isdigit():
                token = token[1:]
            if "." in token and token[0].isdigit() and token.endswith(".0"):
                token = token[:-2]  # "2.0" is version 2
            token = SYNONYMS.get(token, token)
            if token not in NOISE:
                tokens.append(token)
    return _join_versions(tokens)


def _join_versions(tokens: list[str]) -> list[str]:
    """Digits split by the tokenizer and meant as one size ("1.5" stays, "7" + "b" -> "7b")."""
    out: list[str] = []
    for token in tokens:
        if token in ("b", "m", "k", "t") and out and out[-1].replace(".", "").isdigit():
            out[-1] += token
        else:
            out.append(token)
    return out


def compact_key(name: str) -> str:
    """The tokens in order, joined: "Llama2-70B" and "Llama 2 70B" share "llama270b".

    >>> compact_key("Llama2-70B") == compact_key("LLaMA 2 70B")
    True
    """
    return "".join(model_tokens(name)).replace(".", "_")


def token_key(name: str) -> tuple[str, ...]:
    """The sorted tokens: word order does not matter ("Llama 2 70B Chat", "Llama-2-Chat-70B").

    >>> token_key("Llama 2 70B Chat") == token_key("Llama-2-Chat-70B")
    True
    """
    return tuple(sorted(model_tokens(name)))


def is_size(token: str) -> bool:
    """Whether a token is a size ("70b", "1.5b", "350m").

    >>> is_size("70b"), is_size("8x7b"), is_size("2.5"), is_size("4o")
    (True, True, False, False)
    """
    return bool(_SIZE.fullmatch(token))


#: What a size token's last letter multiplies by.
SCALES = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


def nominal_size(token: str) -> tuple[float, bool]:
    """The parameters a size token states, and whether it names a mixture of experts
    ("8x7b": 8 x 7B at most, since experts share layers).

    >>> nominal_size("1.5b"), nominal_size("8x7b")
    ((1500000000.0, False), (56000000000.0, True))
    """
    scale = SCALES[token[-1]]
    if "x" in token:
        experts, each = token[:-1].split("x")
        return float(experts) * float(each) * scale, True
    return float(token[:-1]) * scale, False


def is_variant_token(token: str) -> bool:
    """Whether a token names a size or variant of a release rather than another model."""
    return is_size(token) or token in VARIANT_WORDS


def org_key(name: str) -> str:
    """An organisation's key: folded, "&" as "and", corporate words dropped.

    >>> org_key("Google Deepmind") == org_key("Google DeepMind"), org_key("Meta Platforms, Inc.")
    (True, 'metaplatforms')
    """
    words = re.split(r"[^a-z0-9]+", fold(name).replace("&", " and "))
    return "".join(w for w in words if w and w not in ORG_NOISE)


def org_keys(name: str) -> list[str]:
    """The keys to try for an organisation name: the name, without a parenthesised part and
    that part alone ("Amazon Web Services (AWS)"), each also without a last word "AI",
    "Research" or "Labs".

    >>> org_keys("Mistral AI"), org_keys("OpenAI")
    (['mistralai', 'mistral'], ['openai'])
    """
    texts = [name, re.sub(r"\([^)]*\)", " ", name), *re.findall(r"\(([^)]*)\)", name)]
    keys: list[str] = []
    for text in texts:
        words = [w for w in re.split(r"[^a-z0-9]+", fold(text).replace("&", " and "))
                 if w and w not in ORG_NOISE]
        candidates = ["".join(words)]
        if len(words) > 1 and words[-1] in ("ai", "research", "labs", "lab"):
            candidates.append("".join(words[:-1]))
        for key in candidates:
            if len(key) > 1 and key not in keys:
                keys.append(key)
    return keys


#: Words too common in organisation names to tell two organisations apart.
GENERIC_ORG_WORDS = frozenset({
    "university", "institute", "of", "for", "and", "the", "ai", "lab", "labs", "laboratory",
    "research", "technology", "technologies", "national", "academy", "sciences", "science",
    "artificial", "intelligence", "computer", "computing", "systems", "project", "team",
    "group", "center", "centre", "school", "college", "department", "foundation", "company",
    "inc", "ltd", "llc", "corp", "corporation", "co", "de", "la", "at", "in", "state",
    "international", "advanced", "open", "data", "network", "networks", "global", "cloud"})


def org_words(name: str) -> set[str]:
    """The distinctive words of an organisation's name, and the name run together: two names
    that share one denote related organisations ("Google" and "Google Brain", "BigCode" and
    "BigCode Project", "Hugging Face" and "HuggingFace").

    >>> sorted(org_words("UAE Technology Innovation Institute"))
    ['innovation', 'uae', 'uaetechnologyinnovationinstitute']
    """
    words = [w for w in re.split(r"[^a-z0-9]+", fold(name).replace("&", " and ")) if w]
    found = {w for w in words if len(w) > 2 and w not in GENERIC_ORG_WORDS}
    joined = "".join(w for w in words if w not in ORG_NOISE)
    return found | ({joined} if len(joined) > 2 else set())


def normalise_label(text: str) -> str:
    """A label folded to its letters and digits, to tell spellings of one name apart.

    >>> normalise_label("LLaMA-2") == normalise_label("llama 2")
    True
    """
    return "".join(c for c in fold(text) if c.isalnum())


def slug(text: str) -> str:
    """A readable IRI slug: lower case, digits and hyphens ("+" reads "plus", so that
    "Command-R+" and "Command-R" stay apart).

    >>> slug("Command-R+"), slug("Llama 2-70B")
    ('command-r-plus', 'llama-2-70b')
    """
    text = text.lower().replace("+", " plus ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unnamed"
