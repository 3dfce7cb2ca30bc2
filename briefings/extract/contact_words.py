"""What meetings, calls and visits share: their trigger words and the tests a trigger must pass.

Triggers come from `data/contact_triggers.json`. A trigger counts when it is not inside a
quotation, not an appeal ("a call for calm"), not planned or negated, not passive ("were met with
a ceremony") and, for host verbs ("X received Y"), has a guest.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache, lru_cache

from briefings.data.lexicons import load_json
from briefings.extract.context import ArticleContext
from briefings.extract.dates_lexicon import date_words
from briefings.extract.entities import Mention
from briefings.extract.names import relations, titles
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import (
    clause_start,
    find_phrases,
    has_phrase,
    inside_quotes,
    phrase_pattern,
    same_clause,
)
from briefings.extract.venues import city_after, is_region, unlisted_city
from briefings.models import ContactKind, DateValue, Evidence, Meeting

_PLANNED_WINDOW = 60  # characters before a trigger in which a "will"/"expected" marker makes it planned
_BY_AGENT = re.compile(r"\s+(?:\w+ly\s+)?by\b")
HOST_OBJECT_CHARS = 60  # "received Ruritanian Prime Minister Anna Novak": title words before the guest
# a guest's title may run longer: "met World Bank Vice President for Eastern and Southern Africa Y"
_GUEST_CHARS = 90
_WITH = re.compile(r"\s+with\s")
# "X and Y", "X and his Chinese counterpart Y": two people who together are a subject
_JOINED = re.compile(r"\s*(?:,\s*|,?\s+and\s+)(?:(?:his|her|the)\s+)?(?:[\w’'.-]+\s+){0,5}?")
_DELEGATION_LED = re.compile(r"\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,3}?delegation(?:\s+of\s+[^,;]{1,80}?)?,?"
                             r"\s+(?:led|headed)\s+by\s")
_GAP_WORDS = 10  # at most this many title words between a verb and its guest
# words that join the parts of a long title ("Vice President for Eastern and Southern Africa")
_TITLE_JOINERS = frozenset({"for", "and", "of", "to", "on"})
_PRONOUN_AND = re.compile(r"\b(?:he|she|they)\s+and\s+(?:[\w’'.-]+\s+){0,3}$", re.IGNORECASE)
_SUBJECT_CHARS = 80  # how far before "met" its plural subject may end ("X and Y, who ..., met")
_GAP_WORD = re.compile(r"[\w’'.-]+")
_DETERMINERS = frozenset({"the", "his", "her", "their", "its", "visiting"})
# "he"/"she" as a subject: opening the sentence or a clause ("On Tuesday, he spoke with Y")
_PRONOUN = re.compile(r"(?:^|[,;]\s*|\b(?:and|then|later|also)\s+)(?:he|she|He|She)\b")
_SUBJECT_START = 60  # the sentence before opens with its subject ("Ecuador's President X traveled ...")
# A city is where something happened only after "in", "at", "to" or "from" ("Islamabad is pursuing" is not).
_LOCATIVE = re.compile(r"\b(?:in|at|to|from|visited|visiting|visits|toured|touring)\s+(?:\S+\s+){0,3}$",
                       re.IGNORECASE)


@cache
def _title_words() -> frozenset[str]:
    """Lower-case words of titles and relations ("counterpart", "minister", "chief", "of")."""
    return frozenset(w for t in titles() | relations() for w in t.split())


def title_gap(gap: str) -> bool:
    """What may stand between a host verb and its guest: determiners and title words ("his
    Azerbaijani counterpart", "Chairman of the Defence Staff General", "Vice President for
    Southern Africa"), never other words ("a letter from", "the decision of"). A title set off by
    a comma ("met Equinor's chief executive, Y") counts when it holds a lower-case title word."""
    if (gap and not gap[0].isspace()) or not gap.endswith((" ", "\n")):
        return False
    words = gap.split()
    if not words or len(words) > _GAP_WORDS:
        return not words
    known = _title_words()
    appositive = words[-1].endswith(",") and len(words) > 1
    if appositive:
        words[-1] = words[-1][:-1]
        if not any(w.lower() in known and w.islower() for w in words):
            return False
    if any(w in _TITLE_JOINERS and w not in known for w in (words[0], words[-1])):
        return False  # "for" joins title words; at either end it is the sentence's own word
    # "the bank's chief executive": an owner in the possessive before the title words
    owners = {i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "’s")) and w[:-2].isalpha()}
    return all(_GAP_WORD.fullmatch(w) and (w[0].isupper() or w in _DETERMINERS or w.lower() in known
                                           or w in _TITLE_JOINERS or i in owners)
               for i, w in enumerate(words))


def lexicon() -> dict[str, list[str]]:
    """The trigger lists of `contact_triggers.json` (its nested "delegation_heads" is read apart)."""
    data: dict[str, list[str]] = load_json("contact_triggers.json")
    return data


def is_planned(sentence: Sentence, trigger: re.Match[str], ctx: ArticleContext) -> bool:
    lex = lexicon()
    start = max(clause_start(sentence.text, trigger.start()), trigger.start() - _PLANNED_WINDOW)
    before = sentence.text[start:trigger.start()]
    for date in ctx.date_mentions(sentence):  # the month "May" is no modal "may"
        if start <= date.start and date.end <= trigger.start():
            before = before[:date.start - start] + " " * (date.end - date.start) + before[date.end - start:]
    reported = find_phrases(before, lex["reporting_verbs"])
    if reported:  # "X's visit will deepen ties, X said during talks": the plan is what X said
        before = before[reported[-1].end():]
    return has_phrase(before, lex["planned"]) or has_phrase(before, lex["negations"])


def is_passive(sentence: Sentence, trigger: re.Match[str]) -> bool:
    """"were met with a military ceremony" is a welcome, not a meeting."""
    first = trigger.group(0).split()[0].lower()
    if not (first.endswith("ed") or first in ("met", "held")):
        return False  # "are meeting in Geneva" is a meeting under way, not a passive
    words = sentence.text[:trigger.start()].split()
    if _BY_AGENT.match(sentence.text, trigger.end()):
        return True  # "arrived ... welcomed personally by President X"
    return bool(words) and words[-1].lower() in lexicon()["passive"]


def received_by(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> bool:
    """"X was received by President Y": the host after "by" meets X (a welcome "by" a band does not,
    nor a reception on arrival: "X arrived in Oslo, where he was received by Y" is the welcome)."""
    lex = lexicon()
    if " ".join(trigger.group(0).lower().split()) not in lex["host_passives"] \
            or has_phrase(sentence.text[:trigger.start()], lex["visit"]):
        return False
    by = _BY_AGENT.match(sentence.text, trigger.end())
    return by is not None and _guest_after(ctx, sentence, by.end())


def unique_keys(mentions: Sequence[Mention]) -> list[str]:
    return list(dict.fromkeys(m.key for m in mentions))


def not_cities(ctx: ArticleContext, sentence: Sentence) -> set[str]:
    """Capitalised words after "in" that name no city: months, weekdays, the sentence's people and bodies."""
    words = date_words()
    names = {n for group in (*words.months, *words.weekdays) for n in group}
    for m in ctx.entities.mentions_in(sentence.index):
        if m.kind in ("person", "organisation"):
            names.add(m.text)
            names.update(m.text.split())
    return names


def place_of(ctx: ArticleContext, sentence: Sentence, near: int, after_only: bool = False,
             until: int | None = None, trigger_end: int | None = None) -> str | None:
    """The city named nearest the trigger in its clause (after it first); a country is no place.

    `until` ends the trigger's reach: past it, places belong to another trip or person. A city
    the places table lacks counts when a venue or its country names it, or when it follows the
    trigger (ending at `trigger_end`) straight after "in", "at" or "to" ("met in Arusha").
    """
    text = sentence.text if until is None else sentence.text[:until]
    known = [m for m in ctx.entities.mentions_in(sentence.index)
             if m.kind == "place" and not is_region(m.key)
             and m.end - sentence.start <= len(text)
             and same_clause(text, m.start - sentence.start, near)
             and _LOCATIVE.search(text[:m.start - sentence.start])
             and (not after_only or m.start - sentence.start >= near)]
    if known:
        return min(known, key=lambda m: (m.start - sentence.start < near,
                                         abs(m.start - sentence.start - near))).key
    named = unlisted_city(text, near)
    if named is None and trigger_end is not None:
        named = city_after(text, trigger_end, not_cities(ctx, sentence))
    return named


def _is_appeal(text: str, trigger: re.Match[str]) -> bool:
    """"a call for calm" is an appeal and "a wake-up call" a warning, not a phone call."""
    said = trigger.group(0).lower().split()
    if said[-1] != "call":
        return False
    lex = lexicon()
    if len(said) > 1 and said[-2].strip("“”\"'") in lex["call_not_after"]:
        return True
    rest = text[trigger.end():]
    blockers = phrase_pattern(tuple(lex["call_blockers"]))
    return blockers.match(rest, len(rest) - len(rest.lstrip())) is not None


def hosts_nobody(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> bool:
    """"X received Y" is a meeting; "X welcomed Y's decision" and "X received a letter" are not."""
    if " ".join(trigger.group(0).lower().split()) not in lexicon()["host_verbs"]:
        return False
    return not _guest_after(ctx, sentence, trigger.end()) and not received_by(ctx, sentence, trigger)


def _guest_after(ctx: ArticleContext, sentence: Sentence, end: int) -> bool:
    """A person right after `end`, behind title words or "a delegation led by" their title."""
    text = sentence.text
    led = _DELEGATION_LED.match(text, end)
    if led is not None:
        end = led.end() - 1  # "received a delegation led by Chairman X": X is the guest
    for m in ctx.people_in(sentence):
        offset = m.start - sentence.start
        if 0 <= offset - end <= _GUEST_CHARS and title_gap(text[end:offset]):
            return not text[m.end - sentence.start:].startswith(("'s", "’s"))
    return False


def meets_nobody(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> bool:
    """"X met Y" and "X and Y met" are meetings; "the plan met resistance from Y" is not.

    A reciprocal verb needs a person as its object, or a plural subject: two people joined by
    "and", or "the two leaders", "both sides".
    """
    lex = lexicon()
    if " ".join(trigger.group(0).lower().split()) not in lex["reciprocal_verbs"]:
        return False
    text = sentence.text
    end = trigger.end()
    with_ = _WITH.match(text, end)
    if _guest_after(ctx, sentence, with_.end() - 1 if with_ else end):
        return False
    before = text[max(0, trigger.start() - _SUBJECT_CHARS):trigger.start()]
    if has_phrase(before, lex["group_refs"]):
        return False
    people = [m for m in ctx.people_in(sentence) if m.end - sentence.start <= trigger.start()]
    if people and _PRONOUN_AND.search(text, 0, people[-1].start - sentence.start):
        return False  # "when he and Xi met in Beijing"
    for a, b in itertools.pairwise(people):
        if _JOINED.fullmatch(text[a.end - sentence.start:b.start - sentence.start]) and \
                trigger.start() - (b.end - sentence.start) <= _SUBJECT_CHARS:
            return False
    return True


def triggers(sentence: Sentence, phrases: list[str]) -> list[re.Match[str]]:
    """The phrases' matches in the sentence, outside quotations and appeals ("a call for calm")."""
    return _text_triggers(sentence.text, tuple(phrases))


def _text_triggers(text: str, phrases: tuple[str, ...]) -> list[re.Match[str]]:
    return [t for t in find_phrases(text, phrases)
            if not inside_quotes(text, t.start()) and not _is_appeal(text, t)]


def talk_triggers(sentence: Sentence) -> tuple[ContactKind | None, tuple[re.Match[str], ...]]:
    """The call triggers of a sentence, else its meeting triggers (asked several times a sentence)."""
    return _talk_triggers(sentence.text)


@lru_cache(maxsize=256)
def _talk_triggers(text: str) -> tuple[ContactKind | None, tuple[re.Match[str], ...]]:
    lex = lexicon()
    calls = _text_triggers(text, tuple(lex["call"]))
    if calls:
        return "call", tuple(calls)
    meetings = _text_triggers(text, tuple(lex["meeting"]))
    return ("meeting" if meetings else None), tuple(meetings)


def contact(kind: ContactKind, participants: list[str], date: DateValue | None, place: str | None,
            evidence: Evidence, repeated: bool = False) -> Meeting:
    return Meeting(kind=kind, participants=participants, date=date, place=place, repeated=repeated,
                   evidence=[evidence])


def pronoun_subject(ctx: ArticleContext, sentence: Sentence, trigger: re.Match[str]) -> str | None:
    """"he"/"she" as the subject before the trigger: the person who opens the sentence before."""
    if not _PRONOUN.search(sentence.text, 0, trigger.start()) or sentence.index == 0:
        return None
    previous = ctx.people_in(ctx.sentences[sentence.index - 1])
    if not previous or previous[0].start - ctx.sentences[sentence.index - 1].start > _SUBJECT_START:
        return None
    return previous[0].key
