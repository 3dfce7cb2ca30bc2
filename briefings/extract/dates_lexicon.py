"""The date parser's word lists (from `data/date_words.json`) and the regexes built from them, once."""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from briefings.data.lexicons import load_json


class TenseWords(BaseModel):
    model_config = ConfigDict(frozen=True)

    future_phrases: tuple[str, ...]
    past_words: tuple[str, ...]
    past_ed_exceptions: tuple[str, ...]


class DateWords(BaseModel):
    """The validated shape of `date_words.json`."""

    model_config = ConfigDict(frozen=True)

    months: tuple[tuple[str, ...], ...]
    weekdays: tuple[tuple[str, ...], ...]
    ambiguous_months: tuple[str, ...]
    month_cues_before: tuple[str, ...]
    month_prefixes: dict[str, str]
    day_words: dict[str, int]
    month_words: dict[str, int]
    week_words: dict[str, int] = {}
    # "Talks with Y followed later in the day": the day of the contact told just before
    same_day_words: tuple[str, ...] = ()
    year_words: dict[str, int]
    parts_of_day: tuple[str, ...]
    number_words: dict[str, int]
    tense: TenseWords

    def month_number(self, name: str) -> int:
        """1-12 for a month name or abbreviation in any case (with or without a full stop)."""
        key = name.rstrip(".").lower()
        for index, names in enumerate(self.months):
            if any(key == n.lower() for n in names):
                return index + 1
        raise KeyError(name)

    def weekday_number(self, name: str) -> int:
        """0 (Monday) to 6 for a weekday name or abbreviation."""
        key = name.rstrip(".").lower()
        for index, names in enumerate(self.weekdays):
            if any(key == n.lower() for n in names):
                return index
        raise KeyError(name)


class DatePatterns(BaseModel):
    """Compiled candidate matchers, one per expression kind, tried in this order."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    iso: re.Pattern[str]
    numeric: re.Pattern[str]
    textual: re.Pattern[str]
    weekday: re.Pattern[str]
    day_word: re.Pattern[str]
    month_word: re.Pattern[str]
    week_word: re.Pattern[str]
    ago: re.Pattern[str]
    word: re.Pattern[str]


@cache
def date_words() -> DateWords:
    return DateWords.model_validate(load_json("date_words.json"))


def _cased(word: str) -> list[str]:
    """A capitalised name in Title and UPPER case: lower-case 'may', 'march', 'sun' are not dates."""
    return list(dict.fromkeys([word[:1].upper() + word[1:], word.upper()]))


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) for w in ordered)


def _phrase_alternation(phrases: list[str]) -> str:
    """Case-insensitive-first-letter phrases with flexible inner spaces ('Earlier this month')."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        first, rest = phrase[:1], phrase[1:]
        head = f"[{first.lower()}{first.upper()}]" if first.isalpha() else re.escape(first)
        parts.append(head + r"\s+".join(re.escape(w) for w in rest.split(" ")))
    return "|".join(parts)


@cache
def date_patterns() -> DatePatterns:
    words = date_words()
    full_months = [names[0] for names in words.months]
    abbrevs = [a for names in words.months for a in names[1:]]
    # Full names stand alone; abbreviations only with a day or year (checked by the caller).
    month = "(?:" + _alternation([c for m in full_months for c in _cased(m)]) + "|" \
        + "(?:" + _alternation([c for a in abbrevs for c in _cased(a)]) + r")\.?)"
    full_days = [names[0] for names in words.weekdays]
    day_abbrevs = [a for names in words.weekdays for a in names[1:]]
    weekday = "(?:" + _alternation([c for d in full_days for c in _cased(d)]) + "|" \
        + "(?:" + _alternation([c for a in day_abbrevs for c in _cased(a)]) + r")\.)"
    year = r"(?:1[89]|20)\d{2}(?![\d,.]\d|\d)"
    # A day number is never part of a longer number, decimal, percentage, time or age.
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    day_end = r"(?![\d%]|[.:]\d|,\d{3}|-year|\s*(?:per\s*cent|percent))"
    year_words = _phrase_alternation(list(words.year_words))
    prefixes = _phrase_alternation([p for p in words.month_prefixes if not p.endswith("-")])
    textual = rf"""
        (?<![\w.,$£€₹])
        (?:(?P<wd>{weekday}),?\s+(?:the\s+)?)?
        (?:(?P<prefix>{prefixes})\s+|(?P<dprefix>[mM](?:id|ID)|[eE](?:nd|ND))[-–])?
        (?:
            (?P<d1>{day})(?:\s*[-–]\s*{day})?\s+(?:of\s+)?(?P<m1>{month})(?:,?\s+(?P<y1>{year}))?
          | (?P<m2>{month})\s+(?P<d2>{day})(?:\s*[-–]\s*{day})?{day_end}(?:,?\s+(?P<y2>{year}))?
          | (?P<m3>{month}),?\s+(?P<y3>{year})
          | (?P<m4>{month})
        )
        (?:\s+(?P<yw>{year_words}))?
        (?![\w])
    """
    parts = _alternation(list(words.parts_of_day))
    # Abbreviated weekdays count only inside a full date: "The Sun." alone is a newspaper.
    full_weekday = _alternation([c for d in full_days for c in _cased(d)])
    weekday_re = rf"""
        (?<![\w-])
        (?:(?P<dir>[lL]ast|[nN]ext|[tT]his)\s+)?
        (?P<wd>{full_weekday})
        (?:'s|’s)?
        (?:\s+(?:{parts}))?
        (?![\w])
    """
    numbers = _alternation(list(words.number_words))
    return DatePatterns(
        iso=re.compile(r"(?<![\w-])(?P<y>(?:1[89]|20)\d{2})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d-])"),
        numeric=re.compile(
            r"(?<![\w./-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:1[89]|20)\d{2})(?![\w/.-]\w)"
        ),
        textual=re.compile(textual, re.VERBOSE),
        weekday=re.compile(weekday_re, re.VERBOSE),
        day_word=re.compile(rf"(?<![\w-])(?:{_phrase_alternation(list(words.day_words))})(?![\w-])"),
        month_word=re.compile(rf"(?<![\w-])(?:{_phrase_alternation(list(words.month_words))})(?![\w-])"),
        week_word=re.compile(rf"(?<![\w-])(?:{_phrase_alternation(list(words.week_words))})(?![\w-])"),
        ago=re.compile(
            rf"(?<![\w-])(?P<n>\d{{1,2}}|(?i:{numbers}))\s+(?P<unit>days?|months?)\s+ago(?![\w-])"
        ),
        word=re.compile(r"[\w’']+"),
    )
