"""Which of a sentence's dates belongs to a meeting, call or visit trigger.

A sentence often holds dates that belong to something else: the day a statement was made ("Oli
said on Thursday that his visit ..."), a relative clause about one of the people ("Petro, who took
over in August 2022, made his first trip ... in October 2023") or another contact told in the same
sentence ("X's visit ..., X said during talks with Y on May 30": the talks are dated, the visit is
not), or the dateline ("KATHMANDU, Dec 5 (PTI) -"). Those are left out before the nearest
remaining date is taken.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from briefings.data.lexicons import load_json
from briefings.extract.context import best_date
from briefings.extract.dates import DateMention
from briefings.extract.triggers import same_clause
from briefings.models import DateValue

# a dateline opens its sentence: one to three short place names ("TASHKENT, Uzbekistan, ")
_DATELINE_BEFORE = re.compile(r"\s*[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,2}"
                              r"(?:,\s*[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,2}){0,2},\s*")
_DATELINE_AFTER = re.compile(r"\s*(?:\(|[-—–:]|\.|$)")
_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|whose)\b[^,;:—–]*", re.IGNORECASE)


@cache
def _reporting_pattern() -> re.Pattern[str]:
    verbs: list[str] = load_json("contact_triggers.json")["reporting_verbs"]
    body = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    # "said on Thursday", "told reporters late on Monday", "announced Tuesday"
    return re.compile(rf"\b(?:{body})(?:\s+(?:reporters|journalists|the\s+media))?"
                      r"(?:\s+(?:late|early))?(?:\s+on)?\s*$", re.IGNORECASE)


def is_reporting_date(text: str, mention: DateMention) -> bool:
    """The date of a reporting act ("said on Thursday"), not of what is reported."""
    return _reporting_pattern().search(text[max(0, mention.start - 40):mention.start]) is not None


def is_dateline_date(text: str, mention: DateMention) -> bool:
    """"KATHMANDU, Dec 5 (PTI) -", "TASHKENT, Uzbekistan, March 11.": the report's date, no event's."""
    return (_DATELINE_BEFORE.fullmatch(text[:mention.start]) is not None
            and _DATELINE_AFTER.match(text, mention.end) is not None)


def _in_other_relative_clause(text: str, mention: DateMention, trigger: int) -> bool:
    """A date and a trigger on either side of a relative clause's bounds belong to different verbs."""
    for clause in _RELATIVE_CLAUSE.finditer(text):
        date_inside = clause.start() <= mention.start < clause.end()
        trigger_inside = clause.start() <= trigger < clause.end()
        if date_inside != trigger_inside:
            return True
    return False


def contact_date(text: str, mentions: Sequence[DateMention], trigger: int,
                 rivals: Sequence[int] = (), clause_only: bool = False,
                 until: int | None = None) -> DateValue | None:
    """The date nearest the trigger at offset `trigger`, among those that can belong to it.

    Args:
        text: the sentence.
        mentions: its dates.
        trigger: where the contact's trigger starts.
        rivals: where other contacts' triggers start; a date with one of them between it and the
            trigger is theirs ("X's visit ..., during talks with Y on May 30").
        clause_only: keep only dates in the trigger's clause (visits).
        until: where the trigger's reach ends (another traveller or trip is told from there on).
    """
    kept = [m for m in mentions
            if (until is None or m.start < until)
            and not is_reporting_date(text, m) and not is_dateline_date(text, m)
            and not _in_other_relative_clause(text, m, trigger)
            and not (clause_only and not same_clause(text, m.start, trigger))
            and not any(min(m.start, trigger) < r < max(m.start, trigger) for r in rivals)]
    return best_date(kept, near=trigger)
