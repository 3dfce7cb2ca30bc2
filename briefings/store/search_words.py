"""The words search indexes: folded, distinct, without English stop words."""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD_MAX = 64


def index_words(folded: str) -> set[str]:
    """Distinct words of an already folded text (see `story_rows.search_text`), worth looking up."""
    return {w[:WORD_MAX] for w in folded.split() if len(w) > 1 and w not in ENGLISH_STOP_WORDS}


def query_words(folded: str) -> list[str]:
    """The words of a folded query to look up, longest (most selective) first."""
    return sorted(index_words(folded), key=lambda w: (-len(w), w))
