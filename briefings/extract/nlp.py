"""The shared spaCy pipeline: blank English (no trained model exists here) plus a sentencizer."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language


@cache
def blank_english() -> Language:
    """Built once per process; components add their own matchers on top of its vocab."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
