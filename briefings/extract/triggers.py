"""Trigger-phrase matching shared by the fact extractors: lexicon phrases as word-bounded regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

# A "*" in a lexicon phrase stands for up to three words ("held a * conversation" matches "held a
# brief conversation" and "held a conversation"), so adjectives need not be listed one by one.
# Gap words are modifiers: a preposition or "to" ends the phrase ("an agreement to call" is no call).
_GAP = r"(?:(?!(?:to|for|of|with|by|on|at|in|that|which|who)\s)[^\s.;:]+\s+){0,3}?"


def _phrase_regex(phrase: str) -> str:
    words = phrase.split()
    parts: list[str] = []
    for index, word in enumerate(words):
        if word == "*":
            parts.append(_GAP)
        else:
            last = index == len(words) - 1
            parts.append(re.escape(word) + ("" if last else r"\s+"))
    return "".join(parts)


@cache
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive alternation, longest phrase first, on word boundaries."""
    ordered = sorted({" ".join(p.split()) for p in phrases if p.strip()}, key=len, reverse=True)
    body = "|".join(_phrase_regex(p) for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def find_phrases(text: str, phrases: Iterable[str]) -> list[re.Match[str]]:
    return list(phrase_pattern(tuple(phrases)).finditer(text))


def has_phrase(text: str, phrases: Iterable[str]) -> bool:
    return phrase_pattern(tuple(phrases)).search(text) is not None


def inside_quotes(text: str, offset: int) -> bool:
    """True when `offset` sits inside a direct quotation (straight or curly double quotes)."""
    opened = False
    for ch in text[:offset]:
        if ch in "“":
            opened = True
        elif ch in "”":
            opened = False
        elif ch == '"':
            opened = not opened
    return opened


# Dashes, semicolons, colons and brackets end a clause; commas do not (they are too common).
_CLAUSE_BREAK = re.compile(r"[—–;:()]|\s-\s")


def clause_start(text: str, offset: int) -> int:
    """Where the clause holding `offset` begins."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, offset)]
    return breaks[-1] if breaks else 0


def same_clause(text: str, a: int, b: int) -> bool:
    return _CLAUSE_BREAK.search(text, min(a, b), max(a, b)) is None
