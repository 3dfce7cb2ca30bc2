"""Meetings, calls and visits that happened, with their participants, date and place.

Precision first: a meeting or call needs two named people in its sentence, a visit a named
traveller; planned, hoped-for or negated contacts are left to the timeline as events.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefings.data.lexicons import load_json
from briefings.extract.context import ArticleContext, best_date, finer_date
from briefings.extract.entities import Mention, country_of
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import clause_start, find_phrases, has_phrase, inside_quotes, same_clause
from briefings.extract.venues import dateline_city, is_region, unlisted_city
from briefings.models import ContactKind, DateValue, Evidence, Meeting

_PLANNED_WINDOW = 60  # characters before a trigger in which a "will"/"expected" marker makes it planned
_DURING_VISIT = re.compile(r"\b(?:during|on the sidelines of|in the course of)\s+"
                           r"(?:the|his|her|their|this|that)\s+(?:\w+\s+){0,2}(?:visit|trip|tour)\b",
                           re.IGNORECASE)
_COMPANION = re.compile(r"^[\s,]*(?:and|with|accompanied by)\s+"
                        r"(?:(?:his wife|her husband|first lady|the first lady)[\s,]*)*$", re.IGNORECASE)


def _lexicon() -> dict[str, list[str]]:
    data: dict[str, list[str]] = load_json("contact_triggers.json")
    return data


# A city is where something happened only after "in", "at", "to" or "from" ("Islamabad is pursuing" is not).
_LOCATIVE = re.compile(r"\b(?:in|at|to|from|visited|visiting|visits|toured|touring)\s+(?:\S+\s+){0,3}$",
                       re.IGNORECASE)
def _is_planned(sentence: Sentence, trigger: re.Match[str], ctx: ArticleContext) -> bool:
    lex = _lexicon()
    start = max(clause_start(sentence.text, trigger.start()), trigger.start() - _PLANNED_WINDOW)
    before = sentence.text[start:trigger.start()]
    return has_phrase(before, lex["planned"]) or has_phrase(before, lex["negations"])


def _on_report_day(ctx: ArticleContext, date: DateValue | None) -> bool:
    published = ctx.article.published
    if date is None or date.day is None or published is None:
        return False
    return abs((date.first_day() - published).days) <= 1


def _is_passive(sentence: Sentence, trigger: re.Match[str]) -> bool:
    """"were met with a military ceremony" is a welcome, not a meeting."""
    words = sentence.text[:trigger.start()].split()
    return bool(words) and words[-1].lower() in _lexicon()["passive"]


def _unique_keys(mentions: Sequence[Mention]) -> list[str]:
    return list(dict.fromkeys(m.key for m in mentions))


def _place(ctx: ArticleContext, sentence: Sentence, near: int, after_only: bool = False) -> str | None:
    """The city named nearest the trigger in its clause (after it first); a country is no place."""
    text = sentence.text
    known = [m for m in ctx.entities.mentions_in(sentence.index)
             if m.kind == "place" and not is_region(m.key)
             and same_clause(text, m.start - sentence.start, near)
             and _LOCATIVE.search(text[:m.start - sentence.start])
             and (not after_only or m.start - sentence.start >= near)]
    if known:
        return min(known, key=lambda m: (m.start - sentence.start < near,
                                         abs(m.start - sentence.start - near))).key
    return unlisted_city(text, near)


def _triggers(sentence: Sentence, phrases: list[str]) -> list[re.Match[str]]:
    return [t for t in find_phrases(sentence.text, phrases) if not inside_quotes(sentence.text, t.start())]


def _travellers(people: list[Mention], sentence: Sentence, trigger: re.Match[str]) -> list[str]:
    before = [m for m in people if m.end - sentence.start <= trigger.start()]
    if not before:
        return []
    nearest = before[-1]
    keys = [nearest.key]
    if len(before) > 1:
        prev = before[-2]
        between = sentence.text[prev.end - sentence.start:nearest.start - sentence.start]
        if _COMPANION.match(between):
            keys.insert(0, prev.key)
    return list(dict.fromkeys(keys))


def _contact(kind: ContactKind, participants: list[str], date: DateValue | None, place: str | None,
             evidence: Evidence, repeated: bool = False) -> Meeting:
    return Meeting(kind=kind, participants=participants, date=date, place=place, repeated=repeated,
                   evidence=[evidence])


def _sentence_contacts(ctx: ArticleContext, sentence: Sentence, last_visit: Meeting | None,
                       previous: list[Meeting]) -> list[Meeting]:
    lex = _lexicon()
    people = ctx.people_in(sentence)
    keys = _unique_keys(people)
    group = find_phrases(sentence.text, lex["group_refs"])
    if not people and not group:
        return []
    dates = ctx.date_mentions(sentence)
    found: list[Meeting] = []
    inherited = last_visit.date if last_visit and _DURING_VISIT.search(sentence.text) else None

    talk_kind: ContactKind | None = None
    talk_triggers = _triggers(sentence, lex["call"])
    if talk_triggers:
        talk_kind = "call"
    else:
        talk_triggers = _triggers(sentence, lex["meeting"])
        talk_kind = "meeting" if talk_triggers else None
    if talk_kind and len(keys) == 1 and dates and previous:
        # "During his phone conversation on Monday, X ..." dates the call told just before.
        trigger = talk_triggers[0]
        earlier = next((m for m in reversed(previous) if m.kind == talk_kind and keys[0] in m.participants
                        and m.date is None), None)
        if earlier is not None and not _is_planned(sentence, trigger, ctx):
            earlier.date = best_date(dates, near=trigger.start())
            earlier.evidence.append(ctx.evidence(sentence))
    if talk_kind and len(keys) < 2 and group and previous:
        # "their earlier meeting", "the two leaders met": the people of the contact told before.
        trigger = talk_triggers[0]
        talks = [m for m in previous if m.kind != "visit"]
        if talks and any(0 <= trigger.start() - g.end() <= 40 or 0 <= g.start() - trigger.end() <= 5
                         for g in group):
            keys = list(talks[-1].participants)
    if talk_kind and len(keys) >= 2:
        trigger = talk_triggers[0]
        if not _is_planned(sentence, trigger, ctx) and not _is_passive(sentence, trigger):
            date = best_date(dates, near=trigger.start()) or inherited
            place = _place(ctx, sentence, trigger.start()) if talk_kind == "meeting" else None
            if place is None and talk_kind == "meeting" and _on_report_day(ctx, date):
                place = dateline_city(ctx.article.dateline)  # "BOGOR, Indonesia (AP) — X met Y on Wednesday"
            found.append(_contact(talk_kind, keys, date, place, ctx.evidence(sentence)))

    for trigger in _triggers(sentence, lex["visit"] + lex["visit_of"]):
        if _is_planned(sentence, trigger, ctx):
            continue
        travellers = _travellers(people, sentence, trigger)
        if trigger.group(0).lower() in lex["visit_of"] or not travellers:
            after = [m for m in people if 0 <= m.start - sentence.start - trigger.end() <= 40]
            travellers = [after[0].key] if after else travellers
        if not travellers:
            continue
        date = best_date([d for d in dates if same_clause(sentence.text, d.start, trigger.start())],
                         near=trigger.start())
        repeated = trigger.group(0).lower() in lex["plural_visits"]
        place = _place(ctx, sentence, trigger.end(), after_only=True)
        found.append(_contact("visit", travellers, date, place, ctx.evidence(sentence), repeated))
        break
    return found


def _compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    return a.iso().startswith(b.iso()) or b.iso().startswith(a.iso())


def _same_destination(a: Meeting, b: Meeting) -> bool:
    if a.place is None or b.place is None:
        return True
    return a.place == b.place or (country_of(a.place) or a.place) == (country_of(b.place) or b.place)


def _mergeable(a: Meeting, b: Meeting) -> bool:
    if a.kind != b.kind or not _compatible(a.date, b.date):
        return False
    pa, pb = set(a.participants), set(b.participants)
    if a.kind == "visit":
        return bool(pa & pb) and _same_destination(a, b) and a.repeated == b.repeated
    return pa <= pb or pb <= pa


def merge_contacts(items: Sequence[Meeting]) -> list[Meeting]:
    """One item per contact: the same meeting told twice in an article is one meeting."""
    merged: list[Meeting] = []
    for item in items:
        target = next((m for m in merged if _mergeable(m, item)), None)
        if target is None:
            merged.append(item.model_copy(deep=True))
            continue
        people = target.participants + [p for p in item.participants if p not in target.participants]
        merged[merged.index(target)] = target.model_copy(update={
            "participants": people,
            "date": finer_date(target.date, item.date),
            "place": target.place or item.place,
            "evidence": target.evidence + [e for e in item.evidence if e not in target.evidence],
        })
    return merged


def extract_contacts(ctx: ArticleContext) -> list[Meeting]:
    found: list[Meeting] = []
    last_visit: Meeting | None = None
    for sentence in ctx.sentences:
        for item in _sentence_contacts(ctx, sentence, last_visit, found):
            found.append(item)
            if item.kind == "visit":
                last_visit = item
    return merge_contacts(found)
