"""Visits: who travelled where and when, told as English tells a trip.

"X arrived in Y", "X's state visit to Y", "the visit of <title> to Y", "X, who is in Y", one
visit per city ("Astana and Samarkand") and per leg of a tour ("visiting X after travelling to
Y"); companions ("accompanied by his spouse Z") and the entourage join the visit told before.
"""

from __future__ import annotations

import itertools
import re

from briefings.extract.contact_dates import contact_date
from briefings.extract.contact_words import (
    HOST_OBJECT_CHARS,
    contact,
    is_planned,
    lexicon,
    not_cities,
    pronoun_subject,
    title_gap,
    triggers,
)
from briefings.extract.context import ArticleContext
from briefings.extract.entities import Mention, country_of
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import clause_start, find_phrases, has_phrase
from briefings.extract.venues import city_after, is_region
from briefings.models import DateValue, Meeting

_COMPANION = re.compile(r"^[\s,]*(?:and|with|accompanied by)\s+"
                        r"(?:(?:his wife|her husband|his spouse|her spouse|(?:the )?first lady)[\s,]*)*$",
                        re.IGNORECASE)
# "the Italian Prime Minister's (first official) visit": a title in the possessive before the trigger
_POSSESSOR = re.compile(r"((?:[\w’'-]+\s+){0,4}[\w’'-]+?)['’]s\s+(?:[a-z-]+\s+){0,3}$")
# "The Turkish leader was visiting": a title as the subject, just before the trigger's auxiliary
_TITLED_SUBJECT = re.compile(r"^\s*((?:[\w’'-]+\s+){0,4}[\w’'-]+?)\s+(?:was|is|has|had)(?:\s+been)?\s+$")
_AND = re.compile(r"\s*(?:,|,?\s+and)\s+")
_COUNTRY_OWNER = re.compile(r"([a-z][a-z .-]+?)'s\s+")
_BY_TRAVELLER = re.compile(r"\s+(?:by|of)\s+(?:\S+\s+){0,5}")
_AND_UNLISTED = re.compile(r"\s*(?:,|,?\s+and)\s+([A-Z][a-zà-ÿ’'-]+)(?![\w’'-]|\s+[A-Z])")
_REPORTED = re.compile(r"\b(?:said|says|told|announced|noted|added|stated|that)\b", re.IGNORECASE)
_OWN_TRIP = re.compile(r"\b(?:his|her|their)\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)  # "X said that his visit"
_TRAVELLER_TO = re.compile(r"\s+(?:[^\s,;:]+\s+){1,8}?to\s+(?:the\s+)?")  # "visit of <traveller> to"
_LEADER_WORDS = frozenset({"leader", "head of state", "head of government"})
_LEADS = re.compile(r"\b(?:president|prime minister|premier|chancellor|king|emir|amir|sultan)\b")
_LIST_JOIN = re.compile(r"\s*(?:,|,?\s+and)(\s.*)?$", re.DOTALL)
_END_WINDOW = 50  # characters before a trip's word in which an ending verb dates its end
_POSSESSIVE_AFTER = re.compile(r"['’]s?\b")
_LEG_GAP = re.compile(r"\s*(?:(?:to|in)\s+)?(?:the\s+)?")  # "visiting X", "travelling to X", "visit to the X"


def _fold_title(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split()).removeprefix("the ")


def _country_and_role(title: str) -> tuple[str | None, str]:
    """"Nepal's Prime Minister" and "Nepalese Prime Minister" -> ("Nepal", "prime minister")."""
    folded = _fold_title(title)
    owner = _COUNTRY_OWNER.match(folded)
    if owner is not None and (country := country_of(owner.group(1).title())) is not None:
        return country, folded[owner.end():]
    first, _, rest = folded.partition(" ")
    if rest and (country := country_of(first.title())) is not None:
        return country, rest
    return None, folded


def _titled_person(ctx: ArticleContext, text: str, whole: bool = False) -> str | None:
    """The one person of the article whose title opens `text` (or is all of it, when `whole`).

    "the visit of Nepal's Prime Minister to China" names its traveller by title only; a country
    in the phrase must be the person's.
    """
    country, role = _country_and_role(text)
    leader = role in _LEADER_WORDS  # "the Turkish leader": a head of state or government of Turkey
    hits = set()
    for p in ctx.entities.people:
        if country is not None and p.country not in (None, country):
            continue
        for t in [p.title, *p.titles]:
            if not t or len(t) <= 3:
                continue
            own_country, own_role = _country_and_role(t)
            if country is not None and own_country not in (None, country):
                continue
            same_role = role == own_role if whole else (role + " ").startswith(own_role + " ")
            if same_role or (leader and p.country == country and _LEADS.search(own_role)):
                hits.add(p.name)
    if leader and not hits and country is not None:
        # "the Turkish leader" and the one Turkish person of the article, whose title it never gave
        hits = {p.name for p in ctx.entities.people if p.country == country}
    return next(iter(hits)) if len(hits) == 1 else None


def _titled_possessor(ctx: ArticleContext, text: str) -> str | None:
    """"the Italian Prime Minister's visit", "The Turkish leader was visiting": the person whose
    title ends just before the trigger (or its auxiliary)."""
    m = _POSSESSOR.search(text) or _TITLED_SUBJECT.search(text)
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
    gap = sentence.text[nearest.end - sentence.start:trigger.start()]
    if _REPORTED.search(gap) and not _OWN_TRIP.search(gap):
        return []  # "X said that tourist visits rose": X reports, the visit is someone else's
    keys = [nearest.key]
    if len(before) > 1:
        prev = before[-2]
        between = sentence.text[prev.end - sentence.start:nearest.start - sentence.start]
        if _COMPANION.match(between):
            keys.insert(0, prev.key)
    return list(dict.fromkeys(keys))


def _ends_trip(text: str, trigger: re.Match[str]) -> bool:
    """An ending verb just before the trip's word, in its clause ("concluded a three-day visit",
    "left Lima on Thursday after a visit")."""
    start = max(clause_start(text, trigger.start()), trigger.start() - _END_WINDOW)
    return has_phrase(text[start:trigger.start()], lexicon()["visit_end_words"])


def _visit_dates(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str],
                 until: int, rivals: list[int]) -> DateValue | None:
    if _ends_trip(sentence.text, trigger):
        return None  # "wrapped up his visit on Thursday": the day it ended, not the trip's
    date = contact_date(sentence.text, ctx.date_mentions(sentence), trigger.start(), rivals,
                        clause_only=True, until=until)
    published = ctx.article.published
    if date is None and published is not None and has_phrase(trigger.group(0), lexicon()["present_visit"]):
        date = DateValue(year=published.year, month=published.month)  # "X, who is in China": this month
    return date


def visits_in(ctx: ArticleContext, sentence: Sentence, people: list[Mention],
              rivals: list[int]) -> list[Meeting]:
    """The trips a sentence tells; `rivals` are where the sentence's talks are told (their dates)."""
    lex = lexicon()
    text = sentence.text
    adjectival = [a.start() for a in find_phrases(text, lex["adjective_visit"])]
    legs: list[tuple[str | None, list[str], list[Meeting]]] = []
    for trigger in triggers(sentence, lex["visit"] + lex["visit_of"] + lex["present_visit"]):
        if is_planned(sentence, trigger, ctx) or any(a <= trigger.start() <= a + 4 for a in adjectival) \
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
                # "the Italian Prime Minister's visit", "a state visit by President X", "He arrived in"
                titled = _titled_possessor(ctx, text[:trigger.start()])
                after = [m for m in people
                         if _BY_TRAVELLER.fullmatch(text[trigger.end():m.start - sentence.start])]
                subject = pronoun_subject(ctx, sentence, trigger)
                travellers = [titled] if titled else [after[0].key] if after else [subject] if subject else []
        if not travellers and legs:
            travellers = legs[-1][1]  # "X was visiting Indonesia after travelling to Malaysia"
        if not travellers:
            continue
        country = _destination_country(ctx, sentence, trigger)
        # the trip's words end where another person's doings begin ("..., after Y travelled to Z in May")
        until = min([m.start - sentence.start for m in people
                     if m.start - sentence.start > trigger.end() and m.key not in travellers],
                    default=len(text))
        date = _visit_dates(ctx, sentence, trigger, until, rivals)
        same = [v for c, t, v in legs if t == travellers and (country is None or c in (None, country))]
        if same:
            # one trip told twice ("X, who is on a tour of Ghana, arrived in Accra on Wednesday"):
            # what the second telling dates or places, it does for the trip
            city = _destinations(ctx, sentence, trigger, until)[0] if len(same[0]) == 1 else None
            for visit in same[0]:
                visit.date = visit.date or date
                visit.place = visit.place or city
            continue
        repeated = said in lex["plural_visits"]
        places = _destinations(ctx, sentence, trigger, until)
        legs.append((country, travellers, [contact("visit", travellers, date, place, ctx.evidence(sentence),
                                                   repeated) for place in places]))
    return [v for _c, _t, visits in legs for v in visits]


def _destination_country(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> str | None:
    """The country a trip goes to, from the place right after its trigger ("travelling to Malaysia")."""
    for m in ctx.entities.mentions_in(sentence.index):
        gap = sentence.text[trigger.end():max(trigger.end(), m.start - sentence.start)]
        after = m.start - sentence.start >= trigger.end()
        if m.kind in ("place", "country") and after and _LEG_GAP.fullmatch(gap):
            # "his first trip to Southeast Asia": a region holds the trip's country, no leg of its own
            # ("visiting Southeast Asia's largest economy" names a country of its own: a leg)
            if is_region(m.key) and not _POSSESSIVE_AFTER.match(sentence.text, m.end - sentence.start):
                return None
            return country_of(m.key) or m.key
    return None


def _visiting_person(sentence: Sentence, trigger: re.Match[str], people: list[Mention]) -> bool:
    """"received visiting Chancellor X": an adjective before a guest, not a trip of the host."""
    if trigger.group(0).lower() != "visiting":
        return False
    text = sentence.text
    return any(0 <= m.start - sentence.start - trigger.end() <= HOST_OBJECT_CHARS
               and title_gap(text[trigger.end():m.start - sentence.start]) for m in people)


def _place_follows(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> bool:
    return any(0 <= m.start - sentence.start - trigger.end() <= 1
               for m in ctx.entities.mentions_in(sentence.index) if m.kind in ("place", "country"))


def _destinations(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str],
                  until: int) -> list[str | None]:
    """The trip's city as its phrase names it, or one per city for "a visit to Astana and Samarkand".

    Only a place right after the trigger counts ("arrived in Jakarta's airport", "visit of X to
    Astana"); a country there, or a city named further on ("..., made the remarks at the Kathmandu
    airport"), gives no place.
    """
    text = sentence.text
    named = [m for m in ctx.entities.mentions_in(sentence.index)
             if m.kind in ("place", "country") and trigger.end() <= m.start - sentence.start < until
             and (_LEG_GAP.fullmatch(gap := text[trigger.end():m.start - sentence.start])
                  or _TRAVELLER_TO.fullmatch(gap))]
    if named:
        head = named[0]
        first = None if country_of(head.key) == head.key or is_region(head.key) else head.key
    else:
        first = city_after(text, trigger.end(), not_cities(ctx, sentence))
    if first is None:
        return [None]
    places: list[str | None] = [first]
    cities = [m for m in ctx.entities.mentions_in(sentence.index)
              if m.kind == "place" and trigger.end() <= m.start - sentence.start < until
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


def join_companions(ctx: ArticleContext, sentence: Sentence, visit: Meeting | None,
                    people: list[Mention]) -> None:
    """"accompanied by his spouse Y", "Y ... are part of the entourage": Y travels too."""
    if visit is None:
        return
    lex = lexicon()
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
            if not after:
                continue
            joined.append(after[0].key)
            # "accompanied by his wife Y and Trade Minister Z": the list goes on after "and"
            rest = [m for m in people if m.start > after[0].start]
            previous = after[0]
            for m in rest:
                gap = _LIST_JOIN.match(text[previous.end - sentence.start:m.start - sentence.start])
                if gap is None or not (gap.group(1) is None or title_gap(gap.group(1))):
                    break
                joined.append(m.key)
                previous = m
    new = [k for k in dict.fromkeys(joined) if k not in visit.participants]
    if new:
        visit.participants.extend(new)
        visit.evidence.append(ctx.evidence(sentence))
