"""Builds ArticleFacts from invented article text through the real cleaner and extractor."""

from __future__ import annotations

import datetime as dt
from functools import cache

from briefings.extract.pipeline import Extractor
from briefings.ingest.clean import clean_document
from briefings.ingest.raw import RawDocument
from briefings.models import ArticleFacts


@cache
def _extractor() -> Extractor:
    return Extractor()


def facts_of(text: str, published: str | None = "2025-03-14", reference: str = "2025-03-14") -> ArticleFacts:
    raw = RawDocument(id="t", text=text, origin="test", published=published)
    return _extractor().extract(clean_document(raw), dt.date.fromisoformat(reference))
