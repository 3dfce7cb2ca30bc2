"""Simple, precision-first coreference: title-only references and "the latter"/"the former".

"the army chief", "the COAS", "the President of Uzbekistan" name a person when exactly one person
already introduced in the article fits every word of the phrase (title words, country); "the
latter" is the most recent of two people mentioned in the same or the previous sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from briefings.extract.names import titles
from briefings.extract.places import country_of, fold
from briefings.extract.sentences import Sentence
from briefings.extract.spans import SpanIndex

_LATTER = re.compile(r"\bthe (latter|former)\b", re.IGNORECASE)
_STOP = frozenset({"the", "of", "and", "a", "an", "his", "her", "its", "their"})
# Heads of state and government: "the Turkish leader" may refer to any of them.
_LEADER_TITLES = frozenset({"president", "prime", "king", "emir", "amir", "chancellor", "premier", "sultan"})


@dataclass(frozen=True)
class PersonRef:
    """What coreference needs to know of a person already found."""

    key: str
    title_words: frozenset[str]
    country: str | None
    first_start: int


@dataclass(frozen=True)
class RefMention:
    start: int
    end: int
    text: str
    key: str
    sentence: int


@cache
def _title_phrase() -> re.Pattern[str]:
    heads = sorted({t for t in titles() if " " not in t}, key=len, reverse=True)
    body = "|".join(re.escape(h) for h in heads)
    return re.compile(
        rf"\b[Tt]he\s+((?:[\w’'-]+\s+){{0,3}}?)({body})\b"
        rf"(?:\s+of\s+(?:the\s+)?((?-i:[A-Z][\w’'-]*)(?:\s+(?-i:[A-Z][\w’'-]*)){{0,3}}))?",
        re.IGNORECASE)


def _fits(words: list[str], head: str, person: PersonRef) -> bool:
    head_key = fold(head)
    if head_key == "leader":
        # A person named without any title ("Norland's Arvid Stenmark") may still be the leader.
        if person.title_words and not person.title_words & _LEADER_TITLES:
            return False
    elif head_key not in person.title_words:
        return False
    for word in words:
        key = fold(word)
        if key in _STOP or key == head_key:
            continue
        country = country_of(word)
        if country:
            if country != person.country and key not in person.title_words:
                return False
        elif key not in person.title_words:
            return False
    return True


def title_references(sentences: list[Sentence], people: list[PersonRef],
                     taken: list[tuple[int, int]]) -> list[RefMention]:
    """"the army chief", "the UAE President": exactly one earlier person fits all words."""
    out: list[RefMention] = []
    known_titles = {t for p in people for t in p.title_words}
    # Only people whose titles hold the head word can fit ("leader": any leader or untitled person).
    by_head: dict[str, list[PersonRef]] = {}
    for person in people:
        for word in person.title_words:
            by_head.setdefault(word, []).append(person)
    untitled_or_leaders = [p for p in people if not p.title_words or p.title_words & _LEADER_TITLES]

    def holders(head: str) -> list[PersonRef]:
        key = fold(head)
        return untitled_or_leaders if key == "leader" else by_head.get(key, [])

    spans = SpanIndex(taken)
    for sentence in sentences:
        pos = 0
        while (match := _title_phrase().search(sentence.text, pos)) is not None:
            pos = match.start() + 1  # a rejected "the visit of the President" may hide "the President"
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if spans.overlaps(start, end + 3):
                continue
            rest = sentence.text[match.end():]
            if re.match(r"^,?\s+(?:Sheikh\s+)?[A-Z][a-z]", rest):
                continue  # a title standing before a name, not a reference
            modifiers = match.group(1).split()
            if any(m.islower() and fold(m) not in _STOP and not country_of(m) and fold(m) not in known_titles
                   for m in modifiers):
                continue
            words = modifiers + (match.group(3) or "").split()
            fitting = [p for p in holders(match.group(2)) if p.first_start < start
                       and _fits(words, match.group(2), p)]
            if len(fitting) == 1:
                out.append(RefMention(start, end, match.group(0), fitting[0].key, sentence.index))
                pos = match.end()
    return out


def acronym_references(sentences: list[Sentence], acronyms: dict[str, str], people: list[PersonRef],
                       taken: list[tuple[int, int]]) -> list[RefMention]:
    """A title acronym used alone ("The COAS recently visited") names the one holder of that title."""
    out: list[RefMention] = []
    spans = SpanIndex(taken)
    for acronym, expansion in acronyms.items():
        words = frozenset(fold(w) for w in expansion.split())
        holders = [p for p in people if words <= p.title_words]
        if len(holders) != 1:
            continue
        pattern = re.compile(rf"(?<![\w(])(?:[Tt]he\s+)?{re.escape(acronym)}(?![\w)])")
        for sentence in sentences:
            for match in pattern.finditer(sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if spans.overlaps(start, end + 40):
                    continue
                out.append(RefMention(start, end, match.group(0), holders[0].key, sentence.index))
    return out


def latter_references(sentences: list[Sentence], mentions: list[tuple[int, str, int]]) -> list[RefMention]:
    """"the latter" / "the former" among the people of this and the previous sentence.

    `mentions` are (start, key, sentence index) of person mentions found so far.
    """
    out: list[RefMention] = []
    by_sentence: dict[int, list[tuple[int, str, int]]] = {}
    for mention in sorted(mentions):
        by_sentence.setdefault(mention[2], []).append(mention)
    for sentence in sentences:
        for match in _LATTER.finditer(sentence.text):
            start = sentence.start + match.start()
            order: list[str] = []
            near = by_sentence.get(sentence.index - 1, []) + by_sentence.get(sentence.index, [])
            for m_start, key, _ in sorted(near):
                if m_start < start:
                    if key in order:
                        order.remove(key)
                    order.append(key)
            if len(order) < 2:
                continue
            key = order[-1] if match.group(1).lower() == "latter" else order[-2]
            out.append(RefMention(start, sentence.start + match.end(), match.group(0), key, sentence.index))
    return out
