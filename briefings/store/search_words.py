"""The words search indexes: folded, distinct, without English stop words."""

from __future__ import annotations

from briefings.stories.terms import english_stop_words

WORD_MAX = 64


def index_words(folded: str) -> set[str]:
    """Distinct words of an already folded text (see `story_rows.search_text`), worth looking up."""
    stop = english_stop_words()
    return {w[:WORD_MAX] for w in folded.split() if len(w) > 1 and w not in stop}


def query_words(folded: str) -> list[str]:
    """The words of a folded query to look up, longest (most selective) first."""
    return sorted(index_words(folded), key=lambda w: (-len(w), w))
