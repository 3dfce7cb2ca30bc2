"""The one date parser: finds date expressions in a sentence and resolves them at their precision.

Candidate spans come from regexes built from `data/date_words.json` (dateparser's free-text
search finds 'may', 'now' and bare numbers everywhere, so it never scans running text). Precision
is read from the surface words: "July 2025" never grows a day, a bare year gives nothing.
Relative expressions are resolved against the article's publication date; without one, only a
bare month name is resolved (to its nearest occurrence around the reference date, `inferred`).
dateparser parses only whole publication stamps, in `parse_absolute_date`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from briefings.extract.dates_lexicon import DateWords, date_patterns, date_words
from briefings.extract.dates_resolve import (
    Direction,
    month_day_occurrence,
    month_occurrence,
    shift_month,
    weekday_occurrence,
    weekday_year,
)
from briefings.extract.dates_tense import Tense, local_tense, sentence_tense
from briefings.models import DateValue

__all__ = ["DateContext", "DateMention", "Tense", "find_dates", "parse_absolute_date", "parse_date",
           "sentence_tense"]

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_Kind = Literal["iso", "numeric", "textual", "weekday", "day_word", "month_word", "week_word", "ago"]
_KINDS: tuple[_Kind, ...] = ("iso", "numeric", "textual", "weekday", "day_word", "month_word", "week_word",
                             "ago")
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and|or|through|until|till)\s*")


class DateContext(BaseModel):
    """What relative dates are resolved against."""

    model_config = ConfigDict(frozen=True)

    published: dt.date | None
    reference: dt.date


class DateMention(BaseModel):
    """One date expression found in a text; `text == source[start:end]`."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    value: DateValue
    relative: bool


class _Resolved(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: DateValue | None
    relative: bool


# --- candidates -------------------------------------------------------------------------------


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside direct quotations, curly or straight.

    A sentence may hold only one end of a quotation that spans several sentences: an opening
    mark without its close runs to the end, a closing mark without its opening runs from the start.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for index, char in enumerate(text):
        if char == '"':
            opening = index == 0 or text[index - 1].isspace() or text[index - 1] in "([{—–-"
            char = "“" if opening else "”"
        if char == "“" and open_at is None:
            open_at = index
        elif char == "”":
            spans.append((0 if open_at is None else open_at, index + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


def _candidates(text: str) -> list[tuple[int, int, _Kind, re.Match[str]]]:
    """Non-overlapping candidate spans; at one position the longest wins, earlier kinds break ties."""
    patterns = date_patterns()
    found: list[tuple[int, int, int, _Kind, re.Match[str]]] = []
    for rank, kind in enumerate(_KINDS):
        for match in getattr(patterns, kind).finditer(text):
            if match.end() > match.start():
                found.append((match.start(), -(match.end() - match.start()), rank, kind, match))
    found.sort(key=lambda item: (item[0], item[1], item[2]))
    chosen: list[tuple[int, int, _Kind, re.Match[str]]] = []
    last_end = -1
    for start, neg_len, _rank, kind, match in found:
        if start >= last_end:
            chosen.append((start, start - neg_len, kind, match))
            last_end = start - neg_len
    return chosen


def _range_year(text: str, candidates: list[tuple[int, int, _Kind, re.Match[str]]], index: int) -> int | None:
    """The year a range gives its first end: "from January to March 2025", "May 3 and June 4, 2025"."""
    _start, end, kind, match = candidates[index]
    if kind != "textual" or match["y1"] or match["y2"] or match["y3"] or match["yw"]:
        return None
    if index + 1 >= len(candidates):
        return None
    next_start, _end, next_kind, next_match = candidates[index + 1]
    if next_kind != "textual" or not _RANGE_GAP.fullmatch(text[end:next_start]):
        return None
    year = next_match["y1"] or next_match["y2"] or next_match["y3"]
    return int(year) if year else None


def _month_cue_before(text: str, start: int, words: DateWords) -> bool:
    """Capitalised 'May' is a month only after a cue word ("in May", "the May ceasefire", "mid-May")."""
    before = text[:start].rstrip()
    if not before:
        return False
    if before[-1] in "(-–,":
        return True
    tokens = date_patterns().word.findall(before[-40:])
    if not tokens:
        return False
    last = tokens[-1].lower()
    # a possessive before it ("the IMF's May review") makes it a noun modifier, like "the"
    return last in words.month_cues_before or last.endswith(("'s", "’s"))


def _inside_name(text: str, match: re.Match[str], words: DateWords) -> bool:
    """A weekday between two capitalised words is part of a name ("Good Friday Agreement")."""
    following = re.match(r"\s+[A-Z][a-z]", text[match.end():])
    before = date_patterns().word.findall(text[max(0, match.start() - 40):match.start()])
    if following is None or not before or match["dir"]:
        return False
    previous = before[-1]
    return previous[:1].isupper() and previous.lower() not in words.month_cues_before


# --- resolution -------------------------------------------------------------------------------


def _direction(tense: Tense, prefix: str | None) -> Direction:
    if prefix == "last":
        return "before"
    if prefix == "next":
        return "after"
    return "future" if tense == "future" else "past"


def _absolute(year: int, month: int, day: int | None) -> _Resolved:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return _Resolved(value=None, relative=False)
    return _Resolved(value=DateValue(year=year, month=month, day=day), relative=False)


def _is_name(text: str, match: re.Match[str], words: DateWords) -> bool:
    """A bare month before a capitalised word and after no cue is a first name ("April Smith")."""
    following = re.match(r"\s+([A-Z][a-z])", text[match.end():])
    return following is not None and not _month_cue_before(text, match.start(), words)


def _resolve_textual(match: re.Match[str], text: str, ctx: DateContext, tense: Tense,
                     year_hint: int | None = None) -> _Resolved:
    words = date_words()
    groups = match.groupdict()
    month_text = groups["m1"] or groups["m2"] or groups["m3"] or groups["m4"] or ""
    day_text = groups["d1"] or groups["d2"]
    year_text = groups["y1"] or groups["y2"] or groups["y3"] or (str(year_hint) if year_hint else None)
    month = words.month_number(month_text)
    day = int(re.sub(r"\D", "", day_text)) if day_text else None
    prefix_word = " ".join((groups["prefix"] or "").lower().split())
    prefix = words.month_prefixes.get(prefix_word) if prefix_word else None
    if groups["m4"] is not None and not groups["yw"]:
        full_names = {names[0].lower() for names in words.months}
        if month_text.rstrip(".").lower() not in full_names:
            return _Resolved(value=None, relative=False)  # "Mar", "Dec" alone are too ambiguous
        if not (groups["prefix"] or groups["dprefix"] or groups["wd"]) and _is_name(text, match, words):
            return _Resolved(value=None, relative=False)
        ambiguous = month_text.lower() in {m.lower() for m in words.ambiguous_months}
        if ambiguous and not (groups["prefix"] or groups["dprefix"] or groups["wd"]) \
                and not _month_cue_before(text, match.start("m4"), words):
            return _Resolved(value=None, relative=False)
    if year_text:
        return _absolute(int(year_text), month, day)
    published = ctx.published
    anchor = published or ctx.reference
    inferred = published is None
    if groups["yw"]:
        offset = words.year_words[" ".join(groups["yw"].lower().split())]
        resolved = _absolute(anchor.year + offset, month, day)
        value = resolved.value.model_copy(update={"inferred": inferred}) if resolved.value else None
        return _Resolved(value=value, relative=True)
    if day is not None:
        if published is None:
            weekday = groups["wd"]
            year = weekday_year(month, day, words.weekday_number(weekday), ctx.reference) if weekday else None
            if year is None:
                return _Resolved(value=None, relative=True)
            resolved = _absolute(year, month, day)
            value = resolved.value.model_copy(update={"inferred": True}) if resolved.value else None
            return _Resolved(value=value, relative=True)
        found = month_day_occurrence(month, day, published, _direction(tense, prefix))
        return _Resolved(value=DateValue.from_date(found) if found else None, relative=True)
    if published is None and prefix not in ("last", "next"):
        # Without the article's date the nearest occurrence around "now" is the best guess, but
        # what the text tells as past cannot lie after "now".
        direction: Direction = "past" if tense == "past" else "nearest"
    else:
        direction = _direction(tense, prefix)
    year, month = month_occurrence(month, anchor, direction)
    return _Resolved(value=DateValue(year=year, month=month, inferred=inferred), relative=True)


def _resolve(kind: _Kind, match: re.Match[str], text: str, ctx: DateContext, tense: Tense,
             year_hint: int | None = None) -> _Resolved:
    words = date_words()
    published = ctx.published
    if kind == "iso":
        return _absolute(int(match["y"]), int(match["m"]), int(match["d"]))
    if kind == "numeric":
        first, second = int(match["a"]), int(match["b"])
        # Day first unless that cannot be: the outlets we read write 12/02/2025 for 12 February.
        day, month = (second, first) if second > 12 >= first else (first, second)
        if month > 12:
            return _Resolved(value=None, relative=False)
        return _absolute(int(match["y"]), month, day)
    if kind == "textual":
        return _resolve_textual(match, text, ctx, tense, year_hint)
    if published is None:
        return _Resolved(value=None, relative=True)
    if kind == "weekday":
        if _inside_name(text, match, words):
            return _Resolved(value=None, relative=True)
        direction = _direction(tense, (match["dir"] or "").lower() or None)
        found = weekday_occurrence(words.weekday_number(match["wd"]), published, direction)
        if direction == "future" and not match["dir"] and found != published:
            # "would go into effect on Tuesday": which Tuesday a plan keeps is not told (corpus
            # rule); the day itself ("will speak to X Monday afternoon" on a Monday) is
            return _Resolved(value=None, relative=True)
        return _Resolved(value=DateValue.from_date(found), relative=True)
    if kind == "day_word":
        offset = words.day_words[" ".join(match.group().lower().split())]
        return _Resolved(value=DateValue.from_date(published + dt.timedelta(days=offset)), relative=True)
    if kind == "week_word":
        # "earlier this week": the month, when the whole week (Monday to Sunday) lies in one month
        offset = words.week_words[" ".join(match.group().lower().split())]
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=offset)
        sunday = monday + dt.timedelta(days=6)
        if (monday.year, monday.month) != (sunday.year, sunday.month):
            return _Resolved(value=None, relative=True)
        return _Resolved(value=DateValue(year=monday.year, month=monday.month), relative=True)
    if kind == "month_word":
        offset = words.month_words[" ".join(match.group().lower().split())]
        year, month = shift_month(published.year, published.month, offset)
        return _Resolved(value=DateValue(year=year, month=month), relative=True)
    count_text = match["n"].lower()
    count = int(count_text) if count_text.isdigit() else words.number_words[count_text]
    if match["unit"].startswith("day"):
        return _Resolved(value=DateValue.from_date(published - dt.timedelta(days=count)), relative=True)
    year, month = shift_month(published.year, published.month, -count)
    return _Resolved(value=DateValue(year=year, month=month), relative=True)


# --- public -----------------------------------------------------------------------------------


def find_dates(text: str, ctx: DateContext, tense: Tense | None = None) -> list[DateMention]:
    """Every date expression in `text`, resolved at its precision.

    Args:
        text: a sentence (or any short text); offsets in the result index it.
        ctx: the publication date (or None) and the reference date used when it is unknown.
        tense: the tense of the sentence; None lets each mention take the tense of the words just
            before it ("held in May"), falling back to `sentence_tense(text)`.
    """
    mentions: list[DateMention] = []
    quotes: list[tuple[int, int]] | None = None
    whole: Tense | None = tense
    candidates = _candidates(text)
    for index, (start, end, kind, match) in enumerate(candidates):
        if tense is not None:
            mention_tense: Tense = tense
        else:
            local = local_tense(text, start)
            if local is None and whole is None:
                whole = sentence_tense(text)
            mention_tense = local or whole or "present"
        hint = _range_year(text, candidates, index)
        resolved = _resolve(kind, match, text, ctx, mention_tense, hint)
        if resolved.value is None:
            continue
        if resolved.relative:
            if quotes is None:
                quotes = _quote_spans(text)
            if any(q_start <= start and end <= q_end for q_start, q_end in quotes):
                continue  # relative words in a quotation refer to the day the speaker spoke
        mentions.append(DateMention(start=start, end=end, text=text[start:end], value=resolved.value,
                                    relative=resolved.relative))
    return mentions


def parse_date(text: str, ctx: DateContext, tense: Tense | None = None) -> DateValue | None:
    """The value of the first date expression in `text` (meant for one expression), or None."""
    mentions = find_dates(text, ctx, tense)
    return mentions[0].value if mentions else None


@cache
def _stamp_parser() -> DateDataParser:
    # Imported late: loading dateparser costs ~0.3 s and most runs never need it.
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    })


_STAMP_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def parse_absolute_date(text: str) -> dt.date | None:
    """A full, year-bearing date stamp ("Feb 12, 2025", "2025-07-26", "12/02/2025" as DMY), or None."""
    no_anchor = DateContext(published=None, reference=dt.date(2000, 1, 1))
    for _start, _end, kind, match in _candidates(text):
        resolved = _resolve(kind, match, text, no_anchor, "past")
        value = resolved.value
        if value is not None and not resolved.relative and value.day is not None and value.month is not None:
            return dt.date(value.year, value.month, value.day)
    if len(text) > 80 or not _STAMP_YEAR.search(text):
        return None
    parser = _stamp_parser()
    try:
        data = parser.get_date_data(text)
    except (ValueError, TypeError, OverflowError):
        return None
    found = getattr(data, "date_obj", None)
    if isinstance(found, dt.datetime):
        return found.date()
    return None
