"""Where a meeting took place: a known city, a city named beside its country or a venue, or the dateline.

The places table cannot list every city, so two shapes of text also name one: "Samarkand,
Uzbekistan" (a capitalised word followed by a country) and "Bogor Presidential Palace" (a word
before a venue noun). Regions ("Central Asia") are never a meeting's place.
"""

from __future__ import annotations

import re

from briefings.extract.entities import country_of
from briefings.extract.places import places
from briefings.extract.triggers import same_clause

_WORD = r"[A-Z][a-zà-ÿ’'-]+"
_BESIDE_COUNTRY = re.compile(rf"\b(?:in|at)\s+({_WORD}(?:\s{_WORD})?),\s+({_WORD}(?:\s{_WORD})?)")
_BEFORE_VENUE = re.compile(rf"\b(?:in|at)\s+(?:the\s+)?({_WORD})\s+(?:Presidential\s+|State\s+|Royal\s+)?"
                           r"(?:Palace|House|Hall|Airport|International Airport|Convention Centre|"
                           r"Convention Center|Congress Centre)\b")


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
