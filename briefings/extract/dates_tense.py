"""Tense of a sentence or clause, from marker words in `data/date_words.json`: a heuristic."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from briefings.extract.dates_lexicon import DateWords, date_patterns, date_words

Tense = Literal["past", "present", "future"]
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–“”\"]|\s-\s|\.\s")
_LOCAL_WINDOW = 6  # words before a mention that may carry its own tense ("held in May")
_CLAUSE_CHARS = 160  # how far back the rest of the clause is read


@cache
def _future_pattern() -> re.Pattern[str]:
    alternatives = []
    for phrase in sorted(date_words().tense.future_phrases, key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        head = "" if not phrase[:1].isalnum() else r"(?<![\w’'])"
        alternatives.append(head + body + r"(?![\w])")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _has_past(text: str, words: DateWords) -> bool:
    past = set(words.tense.past_words)
    exceptions = set(words.tense.past_ed_exceptions)
    for match in date_patterns().word.finditer(text):
        token = match.group()
        if not token.islower():  # names such as Ahmed, and sentence-initial words, are skipped
            if token.lower() in past and token[:1].isupper() and token[1:].islower():
                return True
            continue
        if token in past or (len(token) > 4 and token.endswith("ed") and token not in exceptions):
            return True
    return False


# "was originally set for May", "were expected in June": a plan told in the past is about the past.
_PAST_PLAN = re.compile(r"\b(?:was|were|had\s+been)\s+(?:\w+ly\s+)?(?:set|scheduled|expected|planned|due|"
                        r"slated|supposed)\b", re.IGNORECASE)


def _tense_of(text: str) -> Tense | None:
    if _PAST_PLAN.search(text):
        return "past"
    if _future_pattern().search(text):
        return "future"
    if _has_past(text, date_words()):
        return "past"
    return None


def sentence_tense(sentence: str) -> Tense:
    """A heuristic: future markers win, then past markers (had, was, -ed verbs, ago), else present."""
    return _tense_of(sentence) or "present"


def local_tense(text: str, start: int) -> Tense | None:
    """The tense of the words before a mention in its clause ("held in May", "due in June").

    The few words just before it count first; then the rest of its clause ("X said during talks
    with Y on May 30" is past even when the sentence began with "will").
    """
    clause = text[max(0, start - _CLAUSE_CHARS):start]
    breaks = list(_CLAUSE_BREAK.finditer(clause))
    if breaks:
        clause = clause[breaks[-1].end():]
    words = clause.split()
    near = " ".join(words[-_LOCAL_WINDOW:])
    if not near:
        return None
    return _tense_of(near) or (_tense_of(" ".join(words)) if len(words) > _LOCAL_WINDOW else None)
