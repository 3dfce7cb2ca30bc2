"""Organisations and acronyms: "Eastern Mining Organisation (EMO)", "the Ministry of X", "World Bank".

An acronym defined in brackets after a capitalised phrase is an organisation unless the phrase
is a title ("Chief of Army Staff (COAS)": a post, whose acronym then stands for its holder), a
term ("Line of Credit (LoC)", "rare earth elements (REEs)") or a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel
from spacy.lang.en.stop_words import STOP_WORDS

from briefings.data.lexicons import load_json, load_lines, load_tsv
from briefings.extract.names import CONNECTORS, Word, is_geo_word, not_names, org_suffixes, runs_at, titles
from briefings.extract.places import country_of, fold, lookup_geo
from briefings.extract.sentences import Sentence
from briefings.extract.spans import SpanIndex

AcronymKind = Literal["organisation", "title", "term"]
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z][A-Za-z&]{1,11})\)")
_LEADING_DROP = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class OrgHit:
    start: int
    end: int
    text: str
    sentence: int
    acronym: str | None = None


@dataclass(frozen=True)
class Acronym:
    acronym: str
    expansion: str
    kind: AcronymKind


@cache
def known_acronyms() -> dict[str, str]:
    """Acronyms of international bodies that articles rarely spell out ("IMF", "ADB")."""
    return {row[0]: row[1] for row in load_tsv("org_acronyms.tsv") if len(row) >= 2}


@cache
def term_words() -> frozenset[str]:
    return frozenset(fold(w) for w in load_lines("term_words.txt"))


def letters_match(acronym: str, words: list[str]) -> bool:
    """Can the acronym be spelt from the words' starts, in order ("Pacnavcom" from "Naval Command")?

    Every word gives at least its first letter, except connectors ("of", "and"), which may give
    theirs ("COAS" from "Chief of Army Staff") or nothing ("EMO" from "Eastern Mining Organisation").
    """
    target = [c for c in acronym.casefold() if c.isalpha()]
    if len(acronym) > 2 and acronym.endswith("s") and acronym[-2].isupper():
        target = target[:-1]
    tokens = [w.casefold() for w in words if w.casefold() != "&"]
    optional = [t in CONNECTORS for t in tokens]
    if not tokens or not target or optional[0] or target[0] != tokens[0][0]:
        return False

    def walk(ti: int, wi: int, ci: int) -> bool:
        # ti: next acronym letter; wi: current word; ci: letters of word wi used so far (>= 1)
        if ti == len(target):
            return all(optional[wi + 1:])
        word = tokens[wi]
        if ci < len(word) and word[ci] == target[ti] and walk(ti + 1, wi, ci + 1):
            return True
        nxt = wi + 1
        while nxt < len(tokens):
            if tokens[nxt][0] == target[ti] and walk(ti + 1, nxt, 1):
                return True
            if not optional[nxt]:
                return False
            nxt += 1
        return False

    return walk(1, 0, 1)


def _expansion(run: list[Word], acronym: str) -> list[Word] | None:
    """The shortest tail of the run the acronym spells, widened over a leading country name."""
    for size in range(1, len(run) + 1):
        tail = run[len(run) - size:]
        if tail[0].text.casefold() in CONNECTORS:
            continue
        if letters_match(acronym, [w.text for w in tail]) or letters_match(acronym, _split_hyphens(tail)):
            start = len(run) - size
            for back in range(1, 4):
                if start - back >= 0 and country_of(" ".join(w.text for w in run[start - back:start])):
                    return run[start - back:]
            return tail
    return None


def _split_hyphens(words: list[Word]) -> list[str]:
    return [piece for w in words for piece in w.text.split("-") if piece]


def _classify(expansion: list[Word]) -> AcronymKind:
    text = " ".join(w.text for w in expansion)
    last_is_title = any(fold(w.text) in titles() for w in expansion[-1:])
    has_suffix = any(fold(w.text) in org_suffixes() for w in expansion)
    if fold(text) in titles() or (last_is_title and not has_suffix):
        return "title"
    if any(fold(w.text) in term_words() for w in expansion) or _all_geo(expansion):
        return "term"
    return "organisation"


def _all_geo(words: list[Word]) -> bool:
    """"Middle East and Africa (MEA)": regions and countries only."""
    i = 0
    while i < len(words):
        if words[i].text.casefold() in CONNECTORS:
            i += 1
            continue
        size = is_geo_word(words, i)
        if not size:
            return False
        i += size
    return True


def find_acronyms(sentences: list[Sentence]) -> list[tuple[Acronym, OrgHit | None]]:
    """Acronyms defined in brackets, with the organisation hit of their expansion (if an org)."""
    found: list[tuple[Acronym, OrgHit | None]] = []
    for sentence in sentences:
        for run in runs_at(sentence.text, sentence.start):
            after = sentence.text[run[-1].end - sentence.start:]
            match = _ACRONYM_AFTER.match(after)
            if not match or run[-1].possessive:
                continue
            acronym = match.group(1)
            expansion = _expansion(run, acronym)
            if expansion is None:
                continue
            while expansion and expansion[0].text.casefold() in _LEADING_DROP:
                expansion = expansion[1:]
            if not expansion:
                continue
            text = sentence.text[expansion[0].start - sentence.start:expansion[-1].end - sentence.start]
            kind = _classify(expansion)
            hit = OrgHit(expansion[0].start, expansion[-1].end, text, sentence.index, acronym) \
                if kind == "organisation" else None
            found.append((Acronym(acronym=acronym, expansion=text, kind=kind), hit))
    return found


def find_suffix_orgs(sentence: Sentence) -> list[OrgHit]:
    """Capitalised phrases ending in an organisation word, with a trailing "of X" ("Bank of China")."""
    hits: list[OrgHit] = []
    for run in runs_at(sentence.text, sentence.start):
        i = 0
        while i < len(run):
            if fold(run[i].text).rstrip(".") not in org_suffixes() or not run[i].capitalised:
                i += 1
                continue
            begin = i
            while begin > 0 and _org_word(run[begin - 1]) and not run[begin - 1].possessive:
                begin -= 1
            end = i + 1
            if end + 1 < len(run) and run[end].text == "of" and not run[end - 1].possessive:
                stop = end + 1
                # "Central Bank of Kenya Kamau Thugge": a country after "of" ends the name.
                geo = is_geo_word(run, stop)
                limit = stop + geo if geo else len(run)
                while stop < limit and run[stop].capitalised and fold(run[stop].text) not in titles():
                    stop += 1
                    if run[stop - 1].possessive:
                        break
                if stop > end + 1:
                    end = stop
            span = run[begin:end]
            # "State-owned Ethiopian Airlines" opening a sentence: the ownership is no part of the name.
            while span and (span[0].text.casefold() in _LEADING_DROP | CONNECTORS
                            or span[0].text.casefold() in _owned_words()):
                span = span[1:]
            if span and (len(span) > 1 or span[0].text.casefold() != run[i].text.casefold()):
                text = sentence.text[span[0].start - sentence.start:span[-1].end - sentence.start]
                hits.append(OrgHit(span[0].start, span[-1].end, text, sentence.index))
            i = end
    return hits


@cache
def _owned_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in org_context().owned)


def _org_word(word: Word) -> bool:
    """Words that may stand before a suffix inside an organisation's name."""
    if fold(word.text) in titles():
        return False
    return word.capitalised or word.text == "&"


class OrgContext(BaseModel):
    """org_context.json: the words around a name that make it an organisation."""

    nouns: list[str]
    owned: list[str]
    roles: list[str]


# A name: capitalised words (acronyms, "&", hyphens, "del"/"de" inside), at most six.
_NAME = r"(?-i:[A-Z][\w&.’'-]*(?:\s+(?:(?:de|del|della|di|du|da|van|von|der|&|and)\s+)?[A-Z][\w&.’'-]*){0,5})"
_QUOTE_OPEN = r"[“\"‘']?"


@cache
def org_context() -> OrgContext:
    return OrgContext.model_validate(load_json("org_context.json"))


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _context_patterns() -> tuple[re.Pattern[str], ...]:
    ctx = org_context()
    nouns, owned, roles = _alternation(ctx.nouns), _alternation(ctx.owned), _alternation(ctx.roles)
    return (
        # "state-owned Transnet", "state-run oil company Sinopec", "state-owned entities Eskom and Transnet"
        re.compile(rf"\b(?:{owned})\s+(?:[a-z][\w-]*\s+){{0,3}}?(?:(?:{nouns})\s+)?{_QUOTE_OPEN}(?P<name>{_NAME})",
                   re.IGNORECASE),
        # "port operator DP World", "the employers' confederation, Foment del Treball", "oil major Eni"
        re.compile(rf"\b(?:{nouns})['’]?,?\s+{_QUOTE_OPEN}(?P<name>{_NAME})"),
        # "Sinopec, a leading Chinese petroleum corporation", "X, Catalonia's main employers' organization"
        re.compile(rf"(?P<name>{_NAME}),\s+(?:a|an|the|[A-Z][\w-]*['’]s?)\s+(?:[\w’'-]+\s+){{0,4}}?(?:{nouns})\b(?!['’]s)"),
        # "Acme's chief executive", "ACME CEO Jane Doe"
        re.compile(rf"(?P<name>{_NAME})(?:['’]s)?\s+(?:{roles})\b"),
    )


def _and_split(name: str) -> list[str]:
    """"Eskom and Transnet" is two organisations; "Hydro & Nuclear Power" stays one."""
    return [p.strip() for p in re.split(r"\s+and\s+", name) if p.strip()]


def _plausible_org(name: str) -> bool:
    words = name.split()
    if not words or fold(words[0]) in _LEADING_DROP:
        return False
    if country_of(name) is not None or lookup_geo(name) is not None:
        return False
    pieces = [piece for w in words for piece in w.split("-") if piece]
    if all(lookup_geo(piece) is not None for piece in pieces):
        return False  # "US-Mexico" (CEO Dialogue): places, not a body
    if len(words) == 1 and (words[0].casefold() in STOP_WORDS or words[0].endswith("ly")):
        return False  # "Separately, the company ...", "However, ..."
    # Titles, months, sentence words: "Chairman", "Minister", "Monday" are no organisation.
    return not all(fold(w.strip("’'.")) in titles() | not_names() | org_suffixes() for w in words)


def _drop_possessive_place(name: str) -> str:
    """"Brazil's BNDES" (from "bank KfW and Brazil's BNDES"): the owner in the possessive is no part of it."""
    first, _, rest = name.partition(" ")
    owner = re.sub(r"['’]s?$", "", first)
    if rest and owner != first and lookup_geo(owner) is not None:
        return rest
    return name


def find_context_orgs(sentence: Sentence, blocked: SpanIndex) -> list[OrgHit]:
    """Organisations named without a legal suffix, known by the words around them (org_context.json).

    `blocked` holds spans already taken by people and organisations; a name overlapping one is skipped.
    """
    hits: list[OrgHit] = []
    for pattern in _context_patterns():
        for match in pattern.finditer(sentence.text):
            raw = match.group("name")
            offset = match.start("name")
            for part in _and_split(raw):
                name = _drop_possessive_place(re.sub(r"['’]s?$", "", part).rstrip(".,"))
                at = sentence.text.find(name, offset)
                if at < 0 or not _plausible_org(name):
                    continue
                start, end = sentence.start + at, sentence.start + at + len(name)
                if blocked.overlaps(start, end) or any(h.start < end and start < h.end for h in hits):
                    continue
                hits.append(OrgHit(start, end, name, sentence.index))
    return hits
