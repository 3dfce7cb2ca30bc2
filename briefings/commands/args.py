"""Command arguments: what a user types after a command, validated into values or an `InputError`.

Every message here is shown to the user as is, so it says what was wrong and what to type instead.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache

from pydantic import BaseModel, ValidationError

from briefings.errors import InputError
from briefings.models import DateValue, DealKind, DealStatus
from briefings.store.views import DealFilter

_DATE_HINT = "Give dates as 2025-07, 2025-07-25 or July 2025, e.g. /timeline from:2025-07-01 to:2025-09-30."
_KINDS: dict[str, DealKind] = {
    "mou": "mou", "agreement": "agreement", "investment": "investment", "loan": "loan",
    "trade": "trade_agreement", "trade_agreement": "trade_agreement"}
_STATUSES: dict[str, DealStatus] = {"signed": "signed", "announced": "announced",
                                    "negotiating": "negotiating", "planned": "planned"}
_SCALES = {"": 1.0, "k": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
           "t": 1e12, "tn": 1e12, "trillion": 1e12}


def no_args(text: str) -> None:
    if text.strip():
        raise InputError("This command takes no arguments.")


def optional_text(text: str) -> str:
    """Free text, white space collapsed, at most 200 characters."""
    return " ".join(text.split())[:200]


def required_text(text: str) -> str:
    value = optional_text(text)
    if not value:
        raise InputError("This command needs an argument.")
    return value


def fact_id(text: str) -> str:
    value = text.strip().lower()
    if not re.fullmatch(r"[smde]-[0-9a-z]{4,32}", value):
        raise InputError("Give a fact id such as d-1a2b3c4d (shown under each item).")
    return value


# --- settings ---------------------------------------------------------------------------------


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def parse_zone(text: str) -> str:
    """An IANA zone name in any letter case ("europe/berlin" -> "Europe/Berlin")."""
    name = _zones_by_folded_name().get(text.strip().casefold())
    if name is None:
        raise InputError(f"Unknown time zone {text.strip()[:40]!r}: use a name such as Europe/Berlin or "
                         "Asia/Karachi.")
    return name


def parse_time(text: str) -> dt.time:
    """"7:30", "07:30", "0730" or "7.30" as a wall-clock time."""
    match = re.fullmatch(r"(\d{1,2})[:.h]?(\d{2})", text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(f"{text.strip()[:20]!r} is not a time: use HH:MM from 00:00 to 23:59, e.g. 07:30.")
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_settings(text: str) -> tuple[dt.time | None, str | None]:
    """`/settings [HH:MM] [Area/City]` in either order; both optional."""
    at: dt.time | None = None
    zone: str | None = None
    for token in text.split():
        if re.match(r"^\d", token):
            if at is not None:
                raise InputError("Give one time, e.g. /settings 07:30.")
            at = parse_time(token)
        else:
            if zone is not None:
                raise InputError("Give one time zone, e.g. /settings Europe/Berlin.")
            zone = parse_zone(token)
    return at, zone


# --- dates in arguments -----------------------------------------------------------------------


def _period(value: DateValue) -> tuple[dt.date, dt.date]:
    start = value.first_day()
    if value.day is not None:
        return start, start
    if value.month is not None:
        nxt = dt.date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)
    return start, dt.date(value.year, 12, 31)


def parse_period(text: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """"2025", "2025-07", "2025-07-25" or a written date ("July 2025", "25 Jul 2025") as a date range."""
    text = text.strip()
    if re.fullmatch(r"\d{4}(-\d{1,2}(-\d{1,2})?)?", text):
        try:
            return _period(DateValue.parse_iso(text))
        except ValueError as error:
            raise InputError(f"{text!r} is not a date. {_DATE_HINT}") from error
    mentions = _find_dates(text, today)
    if len(mentions) != 1 or mentions[0][0] != 0 or mentions[0][1] != len(text):
        raise InputError(f"{text[:40]!r} is not a date I can read. {_DATE_HINT}")
    return _period(mentions[0][2])


def _find_dates(text: str, today: dt.date) -> list[tuple[int, int, DateValue]]:
    # The one date parser reads written dates; relative ones resolve against today.
    from briefings.extract.dates import DateContext, find_dates

    ctx = DateContext(published=today, reference=today)
    return [(m.start, m.end, m.value) for m in find_dates(text, ctx)]


@cache
def _date_words() -> frozenset[str]:
    """Words that only make sense as (relative) dates: weekdays, months, "tomorrow", "next"..."""
    from briefings.extract.dates_lexicon import date_words

    words = date_words()
    names = {n.lower().rstrip(".") for group in (*words.weekdays, *words.months) for n in group}
    for phrases in (words.day_words, words.month_words, words.year_words):
        names |= {w for phrase in phrases for w in phrase.lower().split()}
    # Months that are ordinary words too, and the glue inside the phrases.
    return frozenset(names - {"may", "march", "this", "of", "the", "in", "earlier", "later", "early", "late"})


class TimelineQuery(BaseModel):
    entity: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


_ISO_TOKEN = re.compile(r"(?<![\w-])\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?(?![\w-])")


def cut_dates(words: str, today: dt.date) -> tuple[str, list[tuple[dt.date, dt.date]]]:
    """The words without the dates in them, and those dates as ranges: written ones first ("July
    2025", "25 Jul 2025"), then ISO ones ("2025-07")."""
    periods: list[tuple[dt.date, dt.date]] = []
    for m_start, m_end, found in reversed(_find_dates(words, today)):
        periods.append(_period(found))
        words = f"{words[:m_start]} {words[m_end:]}"
    for match in reversed(list(_ISO_TOKEN.finditer(words))):
        periods.append(parse_period(match.group(0), today))
        words = f"{words[:match.start()]} {words[match.end():]}"
    return " ".join(words.split()), periods


def parse_timeline_query(text: str, today: dt.date | None = None) -> TimelineQuery:
    """`[name] [DATE] | [name] [from:DATE] [to:DATE]`; words that look like a date but are not one
    are refused rather than searched for as a name."""
    today = today or dt.date.today()
    start: dt.date | None = None
    end: dt.date | None = None
    rest: list[str] = []
    for token in text.split():
        key, sep, value = token.partition(":")
        if sep and key.lower() in ("from", "since"):
            start = parse_period(value, today)[0]
        elif sep and key.lower() in ("to", "until"):
            end = parse_period(value, today)[1]
        else:
            rest.append(token)
    entity, periods = cut_dates(" ".join(rest), today)
    if len(periods) > 1 or (periods and (start or end)):
        raise InputError(f"Give one date, or a range with from: and to:. {_DATE_HINT}")
    if periods:
        start, end = periods[0]
    if any(w.lower().strip(".,") in _date_words() for w in re.split(r"[\s\-/]+", entity)):
        raise InputError(f"I cannot read {entity[:40]!r} as a date. {_DATE_HINT}")
    if start is not None and end is not None and start > end:
        raise InputError(f"The dates are backwards: {start.isoformat()} is after {end.isoformat()}.")
    return TimelineQuery(entity=entity or None, start=start, end=end)


# --- deals ------------------------------------------------------------------------------------


def amount_note(flt: DealFilter) -> str | None:
    """What an amount filter compared, for the reply: one currency the user named, or dollars at
    the dated reference rates."""
    if flt.min_amount is None and flt.max_amount is None:
        return None
    if flt.currency:
        return f"Amounts in {flt.currency} only."
    from briefings.rates import rate_table

    table = rate_table()
    day = table.date
    return (f"Amounts compared in {table.base} at reference rates of {day.day} {day:%b %Y}; "
            "add currency:EUR to stay within one currency.")


class DealQuery(BaseModel):
    filter: DealFilter
    party: str | None = None


def parse_amount(text: str) -> float:
    """"500m", "1.5bn", "2 billion", "30000" in currency units."""
    match = re.fullmatch(r"([\d][\d,]*(?:\.\d+)?)\s*([a-z]*)", text.strip().lower())
    if match is None or match.group(2) not in _SCALES:
        raise InputError(f"{text[:20]!r} is not an amount: use 500m, 1.5bn or 30000.")
    return float(match.group(1).replace(",", "")) * _SCALES[match.group(2)]


def parse_deal_query(text: str, today: dt.date | None = None) -> DealQuery:
    """`[party] [kind:mou] [status:signed] [currency:USD] [min:100m] [max:1bn] [from:DATE] [to:DATE]`."""
    today = today or dt.date.today()
    fields: dict[str, object] = {}
    words: list[str] = []
    for token in text.split():
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep or not value:
            words.append(token)
        elif key == "kind" and value.lower() in _KINDS:
            fields["kind"] = _KINDS[value.lower()]
        elif key == "status" and value.lower() in _STATUSES:
            fields["status"] = _STATUSES[value.lower()]
        elif key == "currency" and re.fullmatch(r"[A-Za-z]{3}", value):
            fields["currency"] = value.upper()
        elif key == "country":
            fields["country"] = value
        elif key in ("min", "max"):
            fields[f"{key}_amount"] = parse_amount(value)
        elif key in ("from", "since"):
            fields["start"] = parse_period(value, today)[0]
        elif key in ("to", "until"):
            fields["end"] = parse_period(value, today)[1]
        else:
            raise InputError(f"I do not understand {token[:40]!r}. Filters: kind:{'|'.join(_KINDS)} "
                             f"status:{'|'.join(_STATUSES)} currency:USD min:100m max:1bn "
                             "from:2025-01 to:2025-12")
    # A date among the words ("July 2025", "2025-09") is the deal's date, as in /timeline.
    party_words, periods = cut_dates(" ".join(words), today)
    if periods:
        if len(periods) > 1 or "start" in fields or "end" in fields:
            raise InputError(f"Give one date, or a range with from: and to:. {_DATE_HINT}")
        fields["start"], fields["end"] = periods[0]
    party = party_words or None
    try:
        flt = DealFilter.model_validate({"party": party, **fields})
    except ValidationError as error:
        raise InputError("Those filters do not fit together.") from error
    return DealQuery(filter=flt, party=party)
