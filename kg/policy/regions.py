"""Where a licensee is: an ISO 3166-1 alpha-2 country code or a group of countries the
graph defines (EU, EEA), in any case. Anything else is refused with the closest codes.

>>> check_region("de", {"EU"})
'DE'
>>> check_region("Germany", {"EU"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kg.policy.regions.RegionError: unknown region 'Germany': ...; closest: DE (Germany), ...
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

import pycountry

from kg.errors import KgError

#: Codes people type that ISO 3166-1 reserves for another use: the code they mean.
_MEANT = {"UK": "GB", "EL": "GR"}


class RegionError(KgError):
    """A --region that is neither an ISO 3166-1 alpha-2 code nor a known group."""


def _countries() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code and its country's common name."""
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


def check_region(text: str, groups: Collection[str]) -> str:
    """The upper-case code for ``text`` (a country code or one of ``groups``), else
    RegionError naming the closest codes."""
    code = text.strip().upper()
    countries = _countries()
    if code in countries or code in {g.upper() for g in groups}:
        return code
    names = {name.upper(): alpha for alpha, name in countries.items()}
    near = [_MEANT[code]] if code in _MEANT else []
    near += [names[n] for n in difflib.get_close_matches(code, list(names), n=3, cutoff=0.6)]
    for alpha in difflib.get_close_matches(code, list(countries), n=3, cutoff=0.5):
        if alpha not in near:
            near.append(alpha)
    if len(code) == 2 and not near:
        near = [a for a in countries if a[0] == code[0]][:3]
    hint = ("; closest: " + ", ".join(f"{a} ({countries[a]})" for a in near[:3])) if near else ""
    return _refuse(text, groups, hint)


def _refuse(text: str, groups: Collection[str], hint: str) -> str:
    raise RegionError(f"unknown region '{text}': give an ISO 3166-1 alpha-2 code or "
                      f"{', '.join(sorted(groups))}{hint}")
