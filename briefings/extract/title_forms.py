"""A person's titles as a reader wants them: the role alone, one form per role.

The text gives the role with its country and sentence debris around it ("Nepal’s Prime Minister",
"Italian Prime Minister", "President of Kazakhstan", "During Sri Lankan President"). The country
is kept in `Person.country`; the title keeps the role ("Prime Minister", "President"), and the
portfolio of a ministry stays ("Minister of Foreign Affairs"). Variants of one role merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from briefings.extract.names import honorifics
from briefings.extract.places import fold, lookup_geo

_KEEP = frozenset({"former", "then", "first"})
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)['’]s?\s+(?P<rest>.+)$")
_OF_PLACE = re.compile(r"^(?P<role>.+?)\s+of\s+(?:the\s+)?(?P<place>[^,]+)$", re.IGNORECASE)


def _geo_prefix(words: list[str]) -> int:
    """How many leading words name a country, demonym or place ("Sri Lankan", "United States")."""
    for size in range(min(4, len(words) - 1), 0, -1):
        if lookup_geo(" ".join(words[:size])) is not None:
            return size
    return 0


def clean_title(title: str) -> str | None:
    """The role of `title` without country, possessor or leading sentence words; None if none left."""
    text = " ".join(title.split()).strip(" ,")
    match = _POSSESSIVE.match(text)
    if match and lookup_geo(match.group("owner")) is not None:
        text = match.group("rest")
    words = text.split()
    # "During Sri Lankan President": a function word of the sentence before the role (spaCy's English
    # stop words; "former" and "then" say which holder and stay).
    while len(words) > 1 and words[0].casefold() in STOP_WORDS and words[0].casefold() not in _KEEP:
        words = words[1:]
    while len(words) > 1 and (cut := _geo_prefix(words)):
        words = words[cut:]
    text = " ".join(words)
    match = _OF_PLACE.match(text)
    if match and lookup_geo(match.group("place")) is not None:
        text = match.group("role")
    if not text or fold(text) in honorifics():
        return None
    return text


def merge_titles(raw: Iterable[str]) -> list[str]:
    """Cleaned, one form per role (case and spelling of one role merged), most complete first.

    A title whose words all occur in a longer kept title ("Minister" in "Foreign Minister") adds
    nothing and is dropped.
    """
    cleaned: list[str] = []
    seen: set[str] = set()
    for title in dict.fromkeys(raw):
        form = clean_title(title)
        if form and fold(form) not in seen:
            seen.add(fold(form))
            cleaned.append(form)
    words = {c: set(fold(c).replace("-", " ").split()) for c in cleaned}
    kept = [c for c in cleaned if not any(o != c and words[c] < words[o] for o in cleaned)]
    return sorted(kept, key=lambda c: -len(words[c]))
