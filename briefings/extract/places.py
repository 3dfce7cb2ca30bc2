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
    if text.isascii():
        return text.casefold()  # ASCII has nothing to decompose: the same result, ten times faster
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


# A word of the text that may open a form: not inside a word, not after "$" ("US$" is a currency).
_WORD_START = re.compile(r"(?<![\w$])\w+")
_WORD = re.compile(r"\w+")


@cache
def _forms_by_first_word() -> dict[str, tuple[str, ...]]:
    """Forms indexed by their first word, longest first. A form can only match where the text's
    whole word is that first word (a form never ends inside a word of the text), so one dict
    lookup per word replaces one regex over all 1,700 forms."""
    index: dict[str, list[str]] = {}
    for form in _exact_forms():
        first = _WORD.match(form)
        if first is not None:  # every form opens with a letter
            index.setdefault(first.group(0), []).append(form)
    return {word: tuple(sorted(forms, key=len, reverse=True)) for word, forms in index.items()}


def _ends_clear(text: str, end: int) -> bool:
    """Not followed by a word character or "$" (not the start of a longer token, not "US$")."""
    return end == len(text) or not (text[end] == "$" or _WORD.match(text, end) is not None)


def find_geo(text: str, base: int = 0) -> list[GeoHit]:
    """Every country, demonym, city and region in `text` (the longest form at each place, left to
    right, never overlapping); offsets shifted by `base`."""
    hits: list[GeoHit] = []
    forms = _exact_forms()
    index = _forms_by_first_word()
    after = 0
    for word in _WORD_START.finditer(text):
        start = word.start()
        candidates = index.get(word.group(0))
        if candidates is None or start < after:
            continue
        for form in candidates:
            end = start + len(form)
            if text.startswith(form, start) and _ends_clear(text, end):
                kind, key, country = forms[form]
                hits.append(GeoHit(start=base + start, end=base + end, text=form,
                                   kind=kind, key=key, country=country))
                after = end
                break
    return hits
