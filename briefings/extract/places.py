"""Countries, demonyms, capitals and regions: lookup tables built from pycountry and our lexicons.

`country_of` answers "which country does this word name?"; `find_geo` finds every country,
demonym, city and region in a text with its offsets. Matching is case-sensitive ("US" the country,
never "us" the pronoun) but also accepts the all-capitals form of longer names (datelines).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import pycountry

from briefings.data.lexicons import load_tsv

GeoKind = Literal["country", "place"]

_POSSESSIVE = re.compile(r"(?:['’]s?)$")


@dataclass(frozen=True)
class GeoHit:
    """A country, demonym, city or region found in a text; `key` is its canonical name."""

    start: int
    end: int
    text: str
    kind: GeoKind
    key: str
    country: str | None


def fold(text: str) -> str:
    """Accents dropped and casefolded: how we compare spellings ("Türkiye" ~ "Turkiye")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def _aliases() -> dict[str, str]:
    return {row[0]: row[1] for row in load_tsv("country_aliases.tsv") if len(row) >= 2}


@cache
def country_names() -> dict[str, str]:
    """Every written form of a country (pycountry names plus our aliases) -> canonical short name."""
    aliases = _aliases()
    table: dict[str, str] = {}
    for country in pycountry.countries:
        name = str(country.name)
        common = getattr(country, "common_name", None)
        canonical = aliases.get(name) or (aliases.get(common) if common else None) or common or name
        for form in (name, common, getattr(country, "official_name", None), canonical):
            if form and "," not in form:
                table.setdefault(str(form), canonical)
    for alias, canonical in aliases.items():
        if "," not in alias:
            table[alias] = canonical
    return table


@cache
def demonyms() -> dict[str, str]:
    return {row[0]: row[1] for row in load_tsv("demonyms.tsv") if len(row) >= 2}


@cache
def places() -> dict[str, str | None]:
    """City or region -> its country (None for regions such as "Central Asia")."""
    return {row[0]: (None if row[1] == "-" else row[1]) for row in load_tsv("places.tsv") if len(row) >= 2}


@cache
def _folded_lookup() -> dict[str, tuple[GeoKind, str, str | None]]:
    """Case- and accent-insensitive lookup for single phrases: folded form -> (kind, key, country)."""
    table: dict[str, tuple[GeoKind, str, str | None]] = {}
    for name, country in places().items():
        table[fold(name)] = ("place", name, country)
    for demonym, country in demonyms().items():
        table[fold(demonym)] = ("country", country, country)
    for form, country in country_names().items():
        table[fold(form)] = ("country", country, country)
    return table


def strip_phrase(text: str) -> str:
    """Spaces collapsed, brackets and quotes, a possessive and a leading "the" dropped."""
    text = " ".join(text.split()).strip(" \t\n,;:()\"“”")
    text = _POSSESSIVE.sub("", text) if len(text) > 3 else text
    if text.lower().startswith("the "):
        text = text[4:]
    return text


@lru_cache(maxsize=1 << 15)
def lookup_geo(text: str) -> tuple[GeoKind, str, str | None] | None:
    """(kind, canonical key, country) for a whole phrase, or None (remembered: name scanning asks
    for the same words and phrases over and over)."""
    cleaned = strip_phrase(text)
    if not cleaned:
        return None
    exact = _exact_forms().get(cleaned)
    if exact is not None:
        return exact
    # Short forms ("US", "UK") only match as written: "us" is a pronoun.
    if len(cleaned) <= 3:
        return None
    return _folded_lookup().get(fold(cleaned))


@cache
def _exact_forms() -> dict[str, tuple[GeoKind, str, str | None]]:
    table: dict[str, tuple[GeoKind, str, str | None]] = {}
    for name, country in places().items():
        table[name] = ("place", name, country)
    for demonym, country in demonyms().items():
        table[demonym] = ("country", country, country)
    for form, country in country_names().items():
        table[form] = ("country", country, country)
    for form, value in list(table.items()):
        if len(form) > 3:
            table.setdefault(form.upper(), value)
    return table


def country_of(text: str) -> str | None:
    """Canonical country for a country name, alias, demonym or city ("Islamabad" -> "Pakistan")."""
    found = lookup_geo(text)
    if found is None:
        return None
    _kind, _key, country = found
    return country


@cache
def _geo_pattern() -> re.Pattern[str]:
    forms = sorted(_exact_forms(), key=len, reverse=True)
    body = "|".join(re.escape(f) for f in forms)
    # Only where some form can start: the engine then skips most positions without trying each form.
    firsts = "".join(sorted({re.escape(f[0]) for f in forms}))
    # Not inside a word, not "US$" (a currency), not the start of a longer hyphen-free token.
    return re.compile(rf"(?<![\w$])(?=[{firsts}])(?:{body})(?![\w$])")


def find_geo(text: str, base: int = 0) -> list[GeoHit]:
    """Every country, demonym, city and region in `text`; offsets shifted by `base`."""
    hits: list[GeoHit] = []
    forms = _exact_forms()
    for match in _geo_pattern().finditer(text):
        kind, key, country = forms[match.group(0)]
        hits.append(GeoHit(start=base + match.start(), end=base + match.end(), text=match.group(0),
                           kind=kind, key=key, country=country))
    return hits
