"""Meetings, calls and visits that happened, with their participants, date and place.

Precision first: a meeting or call needs two named people in its sentence, a visit a named
traveller; planned, hoped-for or negated contacts are left to the timeline as events.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefings.data.lexicons import load_json
from briefings.extract.contact_dates import contact_date
from briefings.extract.context import ArticleContext, finer_date
from briefings.extract.delegations import delegation_heads
from briefings.extract.entities import Mention, country_of
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import (
    clause_start,
    find_phrases,
    has_phrase,
    inside_quotes,
    phrase_pattern,
    same_clause,
)
from briefings.extract.venues import dateline_city, is_region, unlisted_city
from briefings.models import ContactKind, DateValue, Evidence, Meeting

_PLANNED_WINDOW = 60  # characters before a trigger in which a "will"/"expected" marker makes it planned
_DURING_VISIT = re.compile(r"\b(?:during|on the sidelines of|in the course of)\s+"
                           r"(?:the|his|her|their|this|that)\s+(?:\w+\s+){0,2}(?:visit|trip|tour)\b",
                           re.IGNORECASE)
_COMPANION = re.compile(r"^[\s,]*(?:and|with|accompanied by)\s+"
                        r"(?:(?:his wife|her husband|his spouse|her spouse|(?:the )?first lady)[\s,]*)*$",
                        re.IGNORECASE)
# "the Italian Prime Minister's (first official) visit": a title in the possessive before the trigger
_POSSESSOR = re.compile(r"((?:[\w’'-]+\s+){0,4}[\w’'-]+?)['’]s\s+(?:[a-z-]+\s+){0,3}$")
_AND = re.compile(r"\s*(?:,|,?\s+and)\s+")
_COUNTRY_OWNER = re.compile(r"([a-z][a-z .-]+?)'s\s+")
_BY_TRAVELLER = re.compile(r"\s+(?:by|of)\s+(?:\S+\s+){0,5}")
_BY_AGENT = re.compile(r"\s+(?:\w+ly\s+)?by\b")
_AND_UNLISTED = re.compile(r"\s*(?:,|,?\s+and)\s+([A-Z][a-zà-ÿ’'-]+)(?![\w’'-]|\s+[A-Z])")
_HOST_OBJECT_CHARS = 60  # "received Italian Prime Minister Giorgia Meloni": title words before the guest
_TITLE_GAP = re.compile(r"\s+(?:(?:the|his|her|their|visiting)\s+)?(?:[A-Z][\w’'.-]*\s+){0,6}")
_HELD_IN = re.compile(r"\b(?:held|took place|convened)\s+(?:in|at)\b", re.IGNORECASE)
_LEG_GAP = re.compile(r"\s*(?:(?:to|in)\s+)?(?:the\s+)?")  # "visiting X", "travelling to X", "visit to the X"
_UNNAMED_WINDOW = 5  # sentences after "their leaders met" in which the leaders are looked for


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
    for date in ctx.date_mentions(sentence):  # the month "May" is no modal "may"
        if start <= date.start and date.end <= trigger.start():
            before = before[:date.start - start] + " " * (date.end - date.start) + before[date.end - start:]
    reported = find_phrases(before, lex["reporting_verbs"])
    if reported:  # "X's visit will deepen ties, X said during talks": the plan is what X said
        before = before[reported[-1].end():]
    return has_phrase(before, lex["planned"]) or has_phrase(before, lex["negations"])


def _on_report_day(ctx: ArticleContext, date: DateValue | None) -> bool:
    published = ctx.article.published
    if date is None or date.day is None or published is None:
        return False
    return abs((date.first_day() - published).days) <= 1


def _is_passive(sentence: Sentence, trigger: re.Match[str]) -> bool:
    """"were met with a military ceremony" is a welcome, not a meeting."""
    words = sentence.text[:trigger.start()].split()
    if _BY_AGENT.match(sentence.text, trigger.end()):
        return True  # "arrived ... welcomed personally by President X"
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


def _is_appeal(text: str, trigger: re.Match[str]) -> bool:
    """"a call for calm" is an appeal and "a wake-up call" a warning, not a phone call."""
    said = trigger.group(0).lower().split()
    if said[-1] != "call":
        return False
    lex = _lexicon()
    if len(said) > 1 and said[-2].strip("“”\"'") in lex["call_not_after"]:
        return True
    rest = text[trigger.end():]
    blockers = phrase_pattern(tuple(lex["call_blockers"]))
    return blockers.match(rest, len(rest) - len(rest.lstrip())) is not None


def _hosts_nobody(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> bool:
    """"X received Y" is a meeting; "X welcomed Y's decision" and "X received a letter" are not."""
    if " ".join(trigger.group(0).lower().split()) not in _lexicon()["host_verbs"]:
        return False
    text = sentence.text
    for m in ctx.people_in(sentence):
        offset = m.start - sentence.start
        gap = text[trigger.end():offset]
        if 0 <= offset - trigger.end() <= _HOST_OBJECT_CHARS and _TITLE_GAP.fullmatch(gap):
            return text[m.end - sentence.start:].startswith(("'s", "’s"))
    return True


def _triggers(sentence: Sentence, phrases: list[str]) -> list[re.Match[str]]:
    text = sentence.text
    return [t for t in find_phrases(text, phrases)
            if not inside_quotes(text, t.start()) and not _is_appeal(text, t)]


def _fold_title(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split()).removeprefix("the ")


def _titled_person(ctx: ArticleContext, text: str, whole: bool = False) -> str | None:
    """The one person of the article whose title opens `text` (or is all of it, when `whole`).

    "the visit of Nepal's Prime Minister to China" names its traveller by title only.
    """
    folded = _fold_title(text)
    owner = _COUNTRY_OWNER.match(folded)
    if owner is not None and country_of(owner.group(1).title()) is not None:
        folded = folded[owner.end():]  # "norway's prime minister": the prime minister of Norway
    hits = {p.name for p in ctx.entities.people for t in [p.title, *p.titles]
            if t and len(t) > 3
            and (folded == _fold_title(t) if whole else (folded + " ").startswith(_fold_title(t) + " "))}
    return next(iter(hits)) if len(hits) == 1 else None


def _titled_possessor(ctx: ArticleContext, text: str) -> str | None:
    """"the Italian Prime Minister's visit": the person whose title ends just before the trigger."""
    m = _POSSESSOR.search(text)
    if m is None:
        return None
    words = m.group(1).split()
    for i in range(len(words)):
        key = _titled_person(ctx, " ".join(words[i:]), whole=True)
        if key is not None:
            return key
    return None


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


@dataclass
class _State:
    """What earlier sentences of the article tell the later ones."""

    found: list[Meeting] = field(default_factory=list)
    last_visit: Meeting | None = None
    # a contact told with one named side and a date ("X spoke by phone on Monday with his counterpart")
    dated_sides: dict[tuple[str, str], DateValue] = field(default_factory=dict)
    # "their leaders met" before either leader is named: (kind, date, evidence, sentence index)
    unnamed: tuple[ContactKind, DateValue | None, Evidence, int] | None = None


def _talk_triggers(sentence: Sentence) -> tuple[ContactKind | None, list[re.Match[str]]]:
    lex = _lexicon()
    calls = _triggers(sentence, lex["call"])
    if calls:
        return "call", calls
    meetings = _triggers(sentence, lex["meeting"])
    return ("meeting" if meetings else None), meetings


def _near_group(group: list[re.Match[str]], trigger: re.Match[str]) -> bool:
    return any(0 <= trigger.start() - g.end() <= 40 or 0 <= g.start() - trigger.end() <= 5 for g in group)


def _talks(ctx: ArticleContext, sentence: Sentence, state: _State, people: list[Mention]) -> list[Meeting]:
    lex = _lexicon()
    kind, triggers = _talk_triggers(sentence)
    if kind is None:
        return []
    trigger = triggers[0]
    if _is_planned(sentence, trigger, ctx) or _is_passive(sentence, trigger) \
            or _hosts_nobody(ctx, sentence, trigger):
        return []
    text = sentence.text
    keys = _unique_keys(people)
    dates = ctx.date_mentions(sentence)
    date = contact_date(text, dates, trigger.start())
    group = find_phrases(text, lex["group_refs"])
    earlier = [m for m in state.found if m.kind != "visit"]
    if len(keys) == 1 and date is not None:
        # "During his phone conversation on Monday, X ..." dates the call told just before,
        # or, when none was, the one told next with X.
        undated = next((m for m in reversed(earlier) if m.kind == kind and keys[0] in m.participants
                        and m.date is None), None)
        if undated is not None:
            undated.date = date
            undated.evidence.append(ctx.evidence(sentence))
        else:
            state.dated_sides[(kind, keys[0])] = date
    if len(keys) < 2 and group and _near_group(group, trigger):
        if earlier:
            # "their earlier meeting", "the two leaders had a conversation": the contact told before,
            # of its kind when the words fit either ("conversation", "talks")
            keys = list(earlier[-1].participants)
            if has_phrase(trigger.group(0), lex["either_kind"]):
                kind = earlier[-1].kind
        elif not keys:
            state.unnamed = (kind, date, ctx.evidence(sentence), sentence.index)
            return []
    visit = state.last_visit
    during = visit is not None and _DURING_VISIT.search(text) is not None
    if len(keys) == 1 and during and visit is not None and keys[0] not in visit.participants:
        # "During the visit, talks were held with President Y": the traveller is the other side.
        keys = [visit.participants[0], *keys]
    if len(keys) < 2:
        return []
    same = [m for m in earlier if set(m.participants) >= set(keys) or set(keys) >= set(m.participants)]
    if same and has_phrase(trigger.group(0), lex["either_kind"]):
        kind = same[-1].kind  # "the two leaders had a friendly conversation" after their call: that call
    if date is None:
        date = next((d for k in keys if (d := state.dated_sides.get((kind, k))) is not None), None)
    if date is None and during and visit is not None:
        date = visit.date
    place = _place(ctx, sentence, trigger.start()) if kind == "meeting" else None
    if place is None and kind == "meeting" and _on_report_day(ctx, date):
        place = dateline_city(ctx.article.dateline)  # "BOGOR, Indonesia (AP) — X met Y on Wednesday"
    return [_contact(kind, keys, date, place, ctx.evidence(sentence))]


def _name_unnamed(ctx: ArticleContext, sentence: Sentence, state: _State,
                  people: list[Mention]) -> list[Meeting]:
    """"Their leaders met": the first two people named within a few sentences after it."""
    if state.unnamed is None:
        return []
    kind, date, evidence, index = state.unnamed
    keys = _unique_keys(people)
    if sentence.index - index > _UNNAMED_WINDOW:
        state.unnamed = None
        return []
    if len(keys) < 2:
        return []
    state.unnamed = None
    return [Meeting(kind=kind, participants=keys[:2], date=date, place=None,
                    evidence=[evidence, ctx.evidence(sentence)])]


def _visit_dates(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> DateValue | None:
    _kind, talks = _talk_triggers(sentence)
    rivals = [t.start() for t in talks if not _is_passive(sentence, t)]
    date = contact_date(sentence.text, ctx.date_mentions(sentence), trigger.start(), rivals, clause_only=True)
    published = ctx.article.published
    if date is None and published is not None and has_phrase(trigger.group(0), _lexicon()["present_visit"]):
        date = DateValue(year=published.year, month=published.month)  # "X, who is in China": this month
    return date


def _visits(ctx: ArticleContext, sentence: Sentence, people: list[Mention]) -> list[Meeting]:
    lex = _lexicon()
    text = sentence.text
    adjectival = [a.start() for a in find_phrases(text, lex["adjective_visit"])]
    legs: list[tuple[str | None, list[Meeting]]] = []
    for trigger in _triggers(sentence, lex["visit"] + lex["visit_of"] + lex["present_visit"]):
        if _is_planned(sentence, trigger, ctx) or any(a <= trigger.start() <= a + 4 for a in adjectival) \
                or _visiting_person(sentence, trigger, people):
            continue
        said = trigger.group(0).lower()
        if has_phrase(said, lex["present_visit"]) and not _place_follows(ctx, sentence, trigger):
            continue
        if " ".join(said.split()) in lex["visit_of"]:
            after = [m for m in people if 0 <= m.start - sentence.start - trigger.end() <= 40]
            titled = _titled_person(ctx, text[trigger.end():].lstrip())
            travellers = [after[0].key] if after else [titled] if titled else []
        else:
            travellers = _travellers(people, sentence, trigger)
            if not travellers:
                # "the Italian Prime Minister's visit", "a state visit by President X"
                titled = _titled_possessor(ctx, text[:trigger.start()])
                after = [m for m in people
                         if _BY_TRAVELLER.fullmatch(text[trigger.end():m.start - sentence.start])]
                travellers = [titled] if titled else [after[0].key] if after else []
        if not travellers:
            continue
        country = _destination_country(ctx, sentence, trigger)
        if legs and (country is None or any(c in (None, country) for c, _v in legs)):
            continue  # one trip told twice ("arrived in X on a state visit"); only new legs count
        date = _visit_dates(ctx, sentence, trigger)
        repeated = said in lex["plural_visits"]
        places = _destinations(ctx, sentence, trigger)
        legs.append((country, [_contact("visit", travellers, date, place, ctx.evidence(sentence), repeated)
                               for place in places]))
    return [v for _c, visits in legs for v in visits]


def _destination_country(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> str | None:
    """The country a trip goes to, from the place right after its trigger ("travelling to Malaysia")."""
    for m in ctx.entities.mentions_in(sentence.index):
        gap = sentence.text[trigger.end():max(trigger.end(), m.start - sentence.start)]
        after = m.start - sentence.start >= trigger.end()
        if m.kind in ("place", "country") and after and _LEG_GAP.fullmatch(gap):
            return country_of(m.key) or m.key
    return None


def _visiting_person(sentence: Sentence, trigger: re.Match[str], people: list[Mention]) -> bool:
    """"received visiting Chancellor X": an adjective before a guest, not a trip of the host."""
    if trigger.group(0).lower() != "visiting":
        return False
    text = sentence.text
    return any(0 <= m.start - sentence.start - trigger.end() <= _HOST_OBJECT_CHARS
               and _TITLE_GAP.fullmatch(text[trigger.end():m.start - sentence.start]) for m in people)


def _place_follows(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> bool:
    return any(0 <= m.start - sentence.start - trigger.end() <= 1
               for m in ctx.entities.mentions_in(sentence.index) if m.kind in ("place", "country"))


def _destinations(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> list[str | None]:
    """The trip's city, or one per city for "a visit to Astana and Samarkand"."""
    first = _place(ctx, sentence, trigger.end(), after_only=True)
    if first is None:
        return [None]
    places: list[str | None] = [first]
    cities = [m for m in ctx.entities.mentions_in(sentence.index)
              if m.kind == "place" and m.start - sentence.start >= trigger.end()
              and not is_region(m.key) and country_of(m.key) != m.key]
    for a, b in itertools.pairwise(cities):
        if a.key in places and b.key not in places and _AND.fullmatch(ctx.article.text[a.end:b.start]):
            places.append(b.key)
    last = next((m for m in reversed(cities) if m.key in places), None)
    unlisted = _AND_UNLISTED.match(ctx.article.text, last.end) if last is not None else None
    taken = {m.start for m in ctx.entities.mentions_in(sentence.index)}
    if unlisted is not None and unlisted.start(1) not in taken and country_of(unlisted.group(1)) is None:
        places.append(unlisted.group(1))  # "Astana and Samarkand": a city the places table lacks
    return places


def _join_companions(ctx: ArticleContext, sentence: Sentence, state: _State, people: list[Mention]) -> None:
    """"accompanied by his spouse Y", "Y ... are part of the entourage": Y travels too."""
    visit = state.last_visit
    if visit is None:
        return
    lex = _lexicon()
    text = sentence.text
    joined: list[str] = []
    if has_phrase(text, lex["entourage"]):
        joined = [m.key for m in people]
    else:
        travellers = [m for m in people if m.key in visit.participants]
        for cue in find_phrases(text, lex["companions"]):
            if not any(m.end - sentence.start <= cue.start() for m in travellers):
                continue
            after = [m for m in people if 0 <= m.start - sentence.start - cue.end() <= 40]
            joined += [m.key for m in after[:1]]
    new = [k for k in dict.fromkeys(joined) if k not in visit.participants]
    if new:
        visit.participants.extend(new)
        visit.evidence.append(ctx.evidence(sentence))


def _sentence_contacts(ctx: ArticleContext, sentence: Sentence, state: _State) -> list[Meeting]:
    lex = _lexicon()
    people = ctx.people_in(sentence)
    found = _name_unnamed(ctx, sentence, state, people)
    text = sentence.text
    if not people and not has_phrase(text, lex["group_refs"]) and not has_phrase(text, lex["visit"]):
        return found  # a visit may name its traveller by title only
    found += _talks(ctx, sentence, state, people)
    visits = _visits(ctx, sentence, people)
    if not visits:
        _join_companions(ctx, sentence, state, people)
    return found + visits


def _compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    return a.iso().startswith(b.iso()) or b.iso().startswith(a.iso())


def _same_destination(a: Meeting, b: Meeting) -> bool:
    if a.place is None or b.place is None:
        return True
    # two cities are two stops ("Astana and Samarkand"); a city and its country may be one trip
    return a.place == b.place or country_of(a.place) == b.place or country_of(b.place) == a.place


def _mergeable(a: Meeting, b: Meeting) -> bool:
    if a.kind != b.kind or not _compatible(a.date, b.date):
        return False
    pa, pb = set(a.participants), set(b.participants)
    if a.kind == "visit":
        # two trips told in one sentence are two legs ("visiting Indonesia after travelling to Malaysia")
        legs = a.evidence[:1] == b.evidence[:1]
        return bool(pa & pb) and not legs and _same_destination(a, b) and a.repeated == b.repeated
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


def _delegation_meeting(ctx: ArticleContext, found: list[Meeting]) -> list[Meeting]:
    """Delegation-level talks whose heads are named apart from the meeting sentence."""
    told = [(s, heads) for s in ctx.sentences if (heads := delegation_heads(ctx, s))]
    heads = list(dict.fromkeys(h for _s, hs in told for h in hs))
    if len(heads) < 2 or any(len(set(m.participants) & set(heads)) >= 2 for m in found):
        return []
    for sentence in ctx.sentences:
        kind, triggers = _talk_triggers(sentence)
        if kind != "meeting" or ctx.people_in(sentence) or _is_planned(sentence, triggers[0], ctx):
            continue
        trigger = triggers[0]
        date = contact_date(sentence.text, ctx.date_mentions(sentence), trigger.start())
        # the sentence names no one, so any city it places the meeting in is the meeting's
        held = _HELD_IN.search(sentence.text, trigger.end())
        place = _place(ctx, sentence, held.end() if held else trigger.start())
        evidence = [ctx.evidence(sentence)] + [ctx.evidence(s) for s, _hs in told]
        return [Meeting(kind="meeting", participants=heads, date=date, place=place, evidence=evidence)]
    return []


def extract_contacts(ctx: ArticleContext) -> list[Meeting]:
    state = _State()
    for sentence in ctx.sentences:
        for item in _sentence_contacts(ctx, sentence, state):
            state.found.append(item)
            if item.kind == "visit":
                state.last_visit = item
    return merge_contacts(state.found + _delegation_meeting(ctx, state.found))
