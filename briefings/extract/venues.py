"""Where a meeting took place: a known city, a city named beside its country or a venue, or the dateline.

The places table cannot list every city, so two shapes of text also name one: "Samarkand,
Uzbekistan" (a capitalised word followed by a country) and "Bogor Presidential Palace" (a word
before a venue noun). Regions ("Central Asia") are never a meeting's place.
"""

from __future__ import annotations

import re
from functools import cache

from briefings.data.lexicons import load_json
from briefings.extract.entities import country_of
from briefings.extract.places import places
from briefings.extract.triggers import same_clause

_WORD = r"[A-Z][a-zà-ÿ’'-]+"
_BESIDE_COUNTRY = re.compile(rf"\b(?:in|at)\s+({_WORD}(?:\s{_WORD})?),\s+({_WORD}(?:\s{_WORD})?)")
# "Bogor Presidential Palace", "Astana airport"; a bare "Elysee Palace" or "White House" names a
# building, not its city, so a palace, house or hall needs a qualifier before it.
_BEFORE_VENUE = re.compile(rf"\b(?:in|at)\s+(?:the\s+)?({_WORD})\s+(?:(?:Presidential|State|Royal)\s+"
                           r"(?:Palace|House|Hall)|(?:International\s+)?[Aa]irport|Convention\s+Cent(?:re|er)|"
                           r"Congress\s+Centre)\b")
# "met in Arusha", "arrived in Accra": a capitalised word right after the trigger's "in"/"at"
_RIGHT_AFTER = re.compile(rf"\s*(?:\b(?:in|at|to)\s+)({_WORD}(?:[ -]{_WORD})?)(?![\w’'-]|\s+[A-Z])")


def is_region(name: str) -> bool:
    table = places()
    return name in table and table[name] is None


def unlisted_city(text: str, near: int) -> str | None:
    """A city the places table lacks, named in the clause around `near` by a country or a venue."""
    for pattern in (_BESIDE_COUNTRY, _BEFORE_VENUE):
        for m in pattern.finditer(text):
            city = m.group(1).removesuffix("’s").removesuffix("'s")
            if pattern is _BESIDE_COUNTRY and country_of(m.group(2)) is None:
                continue
            is_country = city not in places() and country_of(city) is not None
            if is_country or not same_clause(text, m.start(), near):
                continue
            return city
    return None


def city_after(text: str, end: int, not_cities: set[str]) -> str | None:
    """An unlisted city named right after a trigger ending at `end` ("met in Arusha")."""
    m = _RIGHT_AFTER.match(text, end)
    if m is None:
        return None
    name = m.group(1)
    if name in not_cities or country_of(name) is not None or is_region(name) \
            or name.split()[-1] in _venue_nouns():
        return None  # "met at Malacanang Palace": a building, not a city
    return name


@cache
def _venue_nouns() -> frozenset[str]:
    nouns: list[str] = load_json("contact_triggers.json")["venue_nouns"]
    return frozenset(nouns)


def dateline_city(dateline: str | None) -> str | None:
    """"BOGOR, Indonesia" -> "Bogor"; a dateline that is only a country gives nothing."""
    if not dateline:
        return None
    head = dateline.split(",")[0].strip()
    name = head.title() if head.isupper() else head
    if not name or is_region(name):
        return None
    if name in places():
        return name
    return None if country_of(name) is not None else name
