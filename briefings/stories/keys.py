"""Comparable keys for names, countries, dates and amounts, and the short ids of stories and facts.

Everything here is pure and cheap: consolidation calls it for every pair it compares.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import pycountry

from briefings.models import DateValue, Money

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Letters NFKD does not split into a base letter and a mark.
_FOLD = str.maketrans({"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe"})

# Kinds one outlet may use for what another calls otherwise ("an investment under an MoU"); a
# loan is only ever a loan.
FRAMEWORK_KINDS: frozenset[str] = frozenset({"mou", "agreement", "investment", "trade_agreement"})
AMOUNT_TOLERANCE = 0.05  # "$500 million" and "around $520 million" are one figure; $24bn and $35bn are not


@lru_cache(maxsize=65536)  # names recur across articles and stories; texts are folded once
def name_key(name: str) -> str:
    """Case, accents and punctuation folded: `Öztürk` and `ozturk`, `al-Rashid` and `Al Rashid` agree."""
    text = name.casefold()
    if not text.isascii():  # most text is plain ASCII: no accents to strip
        text = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def initials(key: str, skip: frozenset[str] = frozenset({"of", "and", "the", "for", "de", "la"})) -> str:
    """`united states strategic metals` -> `usm`; used to read an acronym against a full name."""
    return "".join(word[0] for word in key.split() if word not in skip)


@lru_cache(maxsize=4096)
def country_key(name: str) -> str | None:
    """ISO alpha-3 for a country name or code (`US`, `U.S.`, `United States`); None when not a country."""
    text = name.strip()
    if not text:
        return None
    candidates = [text, text.replace(".", ""), re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            country = pycountry.countries.lookup(candidate)
        except LookupError:
            continue
        return str(country.alpha_3)
    return None


def entity_key(name: str) -> str:
    """The key an entity is compared by: the country code for countries, else the folded name."""
    return country_key(name) or name_key(name)


def dates_compatible(a: DateValue | None, b: DateValue | None) -> bool:
    """True when both could be the same day: equal at the coarser of the two precisions, or one unknown.

    An inferred date got its year from a guessed "today" ("in July" in an undated article), so
    only its month and day are compared.
    """
    if a is None or b is None:
        return True
    if a.year != b.year and not (a.inferred or b.inferred):
        return False
    if a.month is None or b.month is None:
        return True
    if a.month != b.month:
        return False
    return a.day is None or b.day is None or a.day == b.day


def days_apart(a: DateValue, b: DateValue) -> int | None:
    """Distance in days when both are day-precise, else None."""
    if a.day is None or b.day is None:
        return None
    return abs((a.first_day() - b.first_day()).days)


def finer_date(dates: list[DateValue]) -> DateValue | None:
    """The most precise date, stated dates before inferred ones; ties go to the first given."""
    best: DateValue | None = None
    rank = {"year": 0, "month": 1, "day": 2}
    for value in dates:
        if best is None or (not value.inferred, rank[value.precision]) > \
                (not best.inferred, rank[best.precision]):
            best = value
    return best


def kinds_compatible(a: str, b: str) -> bool:
    """The same kind, or two framework kinds that outlets use for one deal."""
    return a == b or (a in FRAMEWORK_KINDS and b in FRAMEWORK_KINDS)


def amounts_compatible(a: Money | None, b: Money | None) -> bool:
    """Same currency and within a few percent; an unknown amount is compatible with any."""
    if a is None or b is None:
        return True
    if a.currency != b.currency:
        return False
    high = max(abs(a.value), abs(b.value))
    return high == 0 or abs(a.value - b.value) / high <= AMOUNT_TOLERANCE


def short_id(prefix: str, *parts: str) -> str:
    """`m-1a2b3c4d`: a stable 8-hex id from the parts that identify the thing."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:8]}"
