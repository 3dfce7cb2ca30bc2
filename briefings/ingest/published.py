"""An article's own publication date and dateline, read from metadata, its first lines or its URL.

Order of trust: metadata (JSON, feed, HTML meta) -> the scraped ` date YYYY-MM-DD` token -> a
dateline or a publication stamp with a full, year-bearing date in the first lines -> a full date in
the URL path -> none. Nothing is guessed: a date without a year, or a bare month, gives nothing.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Literal

from pydantic import BaseModel

from briefings.ingest.furniture import kicker_words, section_labels, sentence_openers, stamp_words

PublishedSourceName = Literal["metadata", "date_line", "dateline", "url", "none"]

# How many non-blank lines count as "the top" of an article, where stamps and datelines live.
HEAD_LINES = 15

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
         r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
# "June 5, 2025", "Feb. 12 2025", "5 June 2025", "Thursday, June 5, 2025"; the year is optional.
_MDY = rf"(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
_DMY = rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH}),?(?:\s+(?P<y2>\d{{4}}))?"
WORD_DATE = rf"{_WEEKDAY}?(?:{_MDY}|{_DMY})"
_WORD_DATE_RE = re.compile(WORD_DATE, re.IGNORECASE)
_NUMERIC_RE = re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?![\d/.])")
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
DATE_TOKEN_RE = re.compile(r"[ \t]*date (\d{4}-\d{2}-\d{2})(?=\s|$)")
# What may stand before a stamp word on its line: nothing, a byline, or another stamp.
_STAMP_PREFIX_RE = re.compile(
    r"(?:(?:Writer|Author)\s*:\s*)?By\s+\S|(?:posted|published|updated|republished)\b", re.IGNORECASE)
# Share and follow buttons run into the stamp when a page is copied: "Follow on Published On: …".
_BUTTONS_RE = re.compile(r"(?:(?:follow|share)(?:\s+(?:us|on|this|via|with))*|print|email|comments?)"
                         r"(?:\s*[|•·]\s*|\s+)?", re.IGNORECASE)
# A line holding only a date, maybe with its weekday and time: "Thursday, June 5, 2025 | 10:22 AM".
# "at 9:14 AM GMT+5", "10:55 (UTC+3)": a time, maybe with its zone and offset
_TIME = (r"(?:at\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
         r"(?:\s*\(?[A-Z]{2,5}(?:\s?[+-]\d{1,2}(?::?\d{2})?)?\)?)?")
_DATE_ONLY_RE = re.compile(
    rf"(?:{WORD_DATE}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}})"
    rf"(?:\s*[|,•·—–-]?\s*{_TIME})?\s*", re.IGNORECASE)
# "March 5, 2025 4:12 PM GMT+3 Updated 2 hours ago": a relative update stamp after the date
_UPDATED_AGO_RE = re.compile(r"\s*[|•·]?\s*(?:last\s+)?(?:updated|modified)\s*:?\s*(?:\d{1,3}|an?)\s+"
                             r"(?:minutes?|mins?|hours?|hrs?|days?)\s+ago\s*$", re.IGNORECASE)
_LEADING_TIME_RE = re.compile(rf"{_TIME}\s*[|,•·—–-]?\s*")
_TICKER_RE = re.compile(r"\b(?:rates?|currency|currencies|exchange|forex)\b|[$€£¥₽₹]", re.IGNORECASE)
_URL_PATTERNS = (
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?=/|$|[-_.])"),
    re.compile(r"(?:^|[/_-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?=$|[/_.-])"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=\d{0,12}(?:$|[/_.?#-]))"),
)

# A place: capitalised words ("ISLAMABAD", "Rio de Janeiro", "NEW DELHI", "Tashkent").
_PLACE = r"[A-Z][\w'’.-]*(?:\s(?:(?:de|da|do|del|al|el|es|of|upon)\s)?[A-Z][\w'’.-]*){0,3}"
_AGENCY_BODY = r"(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/)"  # "(AFP)", "/PRNewswire/"
_AGENCY = rf"(?P<agency>{_AGENCY_BODY})"
_AGENCY2 = rf"(?P<agency2>{_AGENCY_BODY})"
_DASH = r"(?:-{1,2}|–|—)"
_DATELINE_RE = re.compile(
    rf"(?P<place>{_PLACE})(?:,\s(?P<region>{_PLACE}))?"
    rf"(?:"
    rf"(?:,\s(?P<date>{WORD_DATE}))(?:\s*{_AGENCY}\s*(?:[:.]|{_DASH})?|\s*(?P<sep>[:.]|{_DASH}))"
    rf"|\s*{_AGENCY2}\s*(?P<sep2>:|{_DASH})"
    rf"|\s?(?P<sep3>:|\s{_DASH})"
    rf")\s*"
)


class Published(BaseModel):
    """A publication date and how it was found."""

    date: dt.date | None
    source: PublishedSourceName


class Dateline(BaseModel):
    """A dateline at the start of a line: its place, its date if full, and where it ends."""

    place: str
    date: dt.date | None
    end: int


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A real calendar date in a plausible range, or None."""
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _word_date(match: re.Match[str]) -> dt.date | None:
    """The full date of a WORD_DATE match, or None when its year is missing."""
    if match.group("m1"):
        month, day, year = match.group("m1"), match.group("d1"), match.group("y1")
    else:
        month, day, year = match.group("m2"), match.group("d2"), match.group("y2")
    if not year:
        return None
    return make_date(int(year), _month(month), int(day))


def parse_full_date(text: str) -> dt.date | None:
    """The first full date in `text` (ISO, word-month or day-first numeric), or None."""
    iso = _ISO_RE.search(text)
    word = _WORD_DATE_RE.search(text)
    numeric = _NUMERIC_RE.search(text)
    found = [m for m in (iso, word, numeric) if m is not None]
    for match in sorted(found, key=lambda m: m.start()):
        if match is iso:
            value = make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        elif match is word:
            value = _word_date(match)
        else:
            value = _numeric_date(match)
        if value is not None:
            return value
    return None


def written_dates(text: str) -> list[tuple[int, int, int | None]]:
    """Every word-month date in `text` as (month, day, year or None): "Feb. 3, 2025", "October 2"."""
    found: list[tuple[int, int, int | None]] = []
    for match in _WORD_DATE_RE.finditer(text):
        month, day, year = (match.group("m1"), match.group("d1"), match.group("y1")) if match.group("m1") \
            else (match.group("m2"), match.group("d2"), match.group("y2"))
        day_end = match.end("d1") if match.group("m1") else match.end("d2")
        if 1 <= int(day) <= 31 and not text[day_end:day_end + 1].isdigit():  # "May 2018" is no day
            found.append((_month(month), int(day), int(year) if year else None))
    return found


def _numeric_date(match: re.Match[str]) -> dt.date | None:
    """`dd/mm/yyyy` (most outlets outside the US); `mm/dd/yyyy` only when day-first is impossible."""
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if second > 12 >= first:
        return make_date(year, first, second)
    return make_date(year, second, first)


def parse_metadata_date(value: str | None) -> dt.date | None:
    """A date given by metadata: ISO 8601, RFC 2822 (feeds) or a written date with a year."""
    if not value or not value.strip():
        return None
    value = value.strip()
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if iso:
        return make_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return make_date(parsed.year, parsed.month, parsed.day)
    return parse_full_date(value)


def head_lines(text: str, limit: int = HEAD_LINES) -> list[tuple[int, str]]:
    """The first `limit` non-blank lines with their start offsets (leading blanks skipped)."""
    lines: list[tuple[int, str]] = []
    for match in re.finditer(r"[^\r\n]+", text):
        line = match.group()
        if line.strip():
            lines.append((match.start(), line))
            if len(lines) >= limit:
                break
    return lines


def match_dateline(line: str) -> Dateline | None:
    """A dateline opening `line` ("ISLAMABAD:", "SEOUL, June 5 (UPI) --"), or None."""
    stripped = line.lstrip()
    lead = len(line) - len(stripped)
    match = _DATELINE_RE.match(stripped)
    if match is None:
        return _bare_dateline(line)
    place = match.group("place").strip()
    region = match.group("region")
    has_date = match.group("date") is not None
    has_agency = match.group("agency") is not None or match.group("agency2") is not None
    if not _plausible_place(place, region, has_date or has_agency):
        return None
    if match.group("sep3") is not None and not place.isupper():
        return None
    rest = stripped[match.end():]
    if not rest or not (rest[0].isupper() or rest[0] in "\"“‘'"):
        return None
    date = None
    if has_date:
        date_match = _WORD_DATE_RE.fullmatch(match.group("date").strip())
        date = _word_date(date_match) if date_match else None
    full_place = place if not region else f"{place}, {region.strip()}"
    return Dateline(place=full_place, date=date, end=lead + match.end())


def _plausible_place(place: str, region: str | None, dated: bool) -> bool:
    """All-caps places need no date; a title-case place needs a date or an agency after it."""
    words = place.split()
    if len(words) > 4 or place.casefold() in kicker_words():
        return False
    letters = [c for c in place if c.isalpha()]
    if len(letters) < 3:
        return False
    if place.isupper():
        return True
    if words[0].lower() in sentence_openers():
        return False
    return dated and all(w[0].isupper() for w in words) and (region is None or region[0].isupper())


def _bare_dateline(line: str) -> Dateline | None:
    """A line holding only an all-caps place ("WASHINGTON"), as some outlets print it."""
    stripped = line.strip()
    if not re.fullmatch(r"[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}", stripped):
        return None
    if stripped.lower() in section_labels() or len(stripped) < 4:
        return None
    return Dateline(place=stripped, date=None, end=len(line.rstrip()))


def strip_date_token(line: str) -> str:
    """A first line without its leading ` date YYYY-MM-DD` scraping token."""
    match = DATE_TOKEN_RE.match(line)
    return line[match.end():].lstrip() if match else line


def find_dateline(text: str) -> str | None:
    """The place of the article's dateline ("ISLAMABAD", "TASHKENT, Uzbekistan"), or None."""
    for _start, line in head_lines(text, limit=8):
        found = match_dateline(strip_date_token(line))
        if found is not None:
            return found.place
    return None


def _date_line(text: str) -> dt.date | None:
    for _start, line in head_lines(text, limit=5):
        match = DATE_TOKEN_RE.match(line)
        if match:
            parts = [int(p) for p in match.group(1).split("-")]
            return make_date(parts[0], parts[1], parts[2])
    return None


def _stamps(line: str) -> list[tuple[int, dt.date]]:
    """Publication stamps in `line` ("Posted : June 5, 2025") as (rank, date); lower rank wins.

    A stamp word must open the line (or follow a byline), so that a body sentence such as "The
    report, published on June 5, 2025, found …" is never taken for one.
    """
    stripped = line.strip()
    lowered = stripped.lower()
    found: list[tuple[int, dt.date]] = []
    for rank, word in enumerate(stamp_words()):
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}\b\s*(?:on|at)?\s*:?\s*", lowered):
            prefix = stripped[:match.start()].strip()
            if prefix and not _STAMP_PREFIX_RE.match(prefix) and not _only_buttons(prefix):
                continue
            after = stripped[match.end():match.end() + 80]
            skip = _LEADING_TIME_RE.match(after)
            date = _date_at(after[skip.end():] if skip else after)
            if date is not None:
                found.append((rank, date))
    return found


def _only_buttons(prefix: str) -> bool:
    """A prefix made of share and follow buttons only ("Follow on", "Share | Print")."""
    rest = prefix
    while rest:
        match = _BUTTONS_RE.match(rest)
        if match is None or not match.group():
            return False
        rest = rest[match.end():].lstrip(" |•·")
    return True


def _date_at(fragment: str) -> dt.date | None:
    """A full date at the very start of `fragment`."""
    for pattern in (_WORD_DATE_RE, _ISO_RE, _NUMERIC_RE):
        match = pattern.match(fragment)
        if match is None:
            continue
        if pattern is _WORD_DATE_RE:
            return _word_date(match)
        if pattern is _ISO_RE:
            return make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return _numeric_date(match)
    return None


def _site_stamp_lines(lines: list[str]) -> set[int]:
    """Lines of the site's own date widget ("Saturday, March 14, 2026"): the day the page was shown
    or copied, not the article's. A weekday date alone, without a time, standing at the very top,
    printed twice, or above a repeat of the first line (the headline printed again below it)."""
    found: set[int] = set()
    folded = [" ".join(line.split()).casefold() for line in lines]
    for index, line in enumerate(lines):
        stripped = line.strip()
        if date_only_line(stripped) is None or not re.match(_WEEKDAY, stripped, re.IGNORECASE):
            continue
        if re.search(r"\d[:.]\d{2}", stripped):
            continue  # a time: the stamp of one article, not of the site
        repeated = folded.count(folded[index]) > 1
        above_headline = index > 0 and folded[0] in folded[index + 1:]
        if index == 0 or repeated or above_headline:
            found.add(index)
    return found


def _head_date(text: str) -> dt.date | None:
    """A stamp, a dated dateline or a `dd/mm/yyyy` stamp by the section line, in the first lines."""
    stamps: list[tuple[int, dt.date]] = []
    numeric: dt.date | None = None
    dateline: dt.date | None = None
    lines = [strip_date_token(raw) for _start, raw in head_lines(text)]
    site = _site_stamp_lines(lines)
    for index, line in enumerate(lines):
        if index in site:
            continue
        found_stamps = _stamps(line)
        alone = date_only_line(line)
        if alone is not None:  # a bare date ranks with "updated": the earlier line wins a tie
            words = stamp_words()
            found_stamps.append((words.index("updated") if "updated" in words else len(words), alone))
        if found_stamps:
            stamps.extend(found_stamps)
            continue
        found = match_dateline(line)
        if found is not None and found.date is not None and dateline is None:
            dateline = found.date
            continue
        match = _NUMERIC_RE.search(line)
        if match and numeric is None and match.start() <= 40 and not _TICKER_RE.search(line):
            numeric = _numeric_date(match)
    if stamps:
        return min(stamps, key=lambda s: s[0])[1]
    return dateline or numeric


def url_date(url: str | None) -> dt.date | None:
    """A full date in a URL path: `/2025/06/05/`, `/20250605…`, `2025-06-05` in the slug."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.IGNORECASE)
    for pattern in _URL_PATTERNS:
        for match in pattern.finditer(path):
            value = make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if value is not None:
                return value
    return None


def find_published(text: str, url: str | None, metadata: str | None) -> Published:
    """The publication date by the order of trust in the module docstring."""
    value = parse_metadata_date(metadata)
    if value is not None:
        return Published(date=value, source="metadata")
    value = _date_line(text)
    if value is not None:
        return Published(date=value, source="date_line")
    value = _head_date(text)
    if value is not None:
        return Published(date=value, source="dateline")
    value = url_date(url)
    if value is not None:
        return Published(date=value, source="url")
    return Published(date=None, source="none")


def date_only_line(line: str) -> dt.date | None:
    """The date of a line that holds nothing but a full date (and maybe a time, and an "Updated 2
    hours ago" that dates nothing)."""
    stripped = _UPDATED_AGO_RE.sub("", line.strip())
    if _DATE_ONLY_RE.fullmatch(stripped) is None:
        return None
    return parse_full_date(stripped)


def is_stamp_line(line: str) -> bool:
    """A publication stamp line: 'Posted : June 5, 2025, 14:22', 'By X Posted : …', 'Republished …'."""
    return len(line.split()) <= 30 and (bool(_stamps(line)) or date_only_line(line) is not None)
