"""From documents read to facts: each article cleaned and extracted, undated ones dated by their story.

An article without a date of its own resolves "in May" against a fallback "now", which can be far
from when it was written. When the same story is told by dated articles, the latest of their dates
is a far better anchor; the dates it gives stay marked inferred, as the article itself never says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from briefings.consolidate import build_stories
from briefings.errors import BriefbotError
from briefings.ingest.clean import clean_document
from briefings.ingest.raw import RawDocument, ReadFailure
from briefings.models import Article, ArticleFacts


class Extracts(Protocol):
    def extract(self, article: Article, reference_date: dt.date | None = None) -> ArticleFacts: ...


def story_anchors(facts: Sequence[ArticleFacts]) -> dict[str, dt.date]:
    """For each undated article that shares a story with dated ones: the latest of their dates."""
    published = {f.article.id: f.article.published for f in facts}
    if all(published.values()) or not any(published.values()):
        return {}  # nothing to anchor, or nothing to anchor on: no clustering needed
    anchors: dict[str, dt.date] = {}
    for story in build_stories(facts):
        dates = [d for i in story.article_ids if (d := published.get(i)) is not None]
        if not dates:
            continue
        for article_id in story.article_ids:
            if published.get(article_id) is None:
                anchors[article_id] = max(dates)
    return anchors


def anchor_undated(facts: Sequence[ArticleFacts], extractor: Extracts) -> list[ArticleFacts]:
    """Extract undated articles again against their story's date; dated ones are kept as they are."""
    anchors = story_anchors(facts)
    return [extractor.extract(f.article, anchors[f.article.id]) if f.article.id in anchors else f
            for f in facts]


def extract_documents(items: Iterable[RawDocument | ReadFailure], extractor: Extracts,
                      reference: dt.date | None, *, distinct_ids: bool = False,
                      ) -> tuple[list[ArticleFacts], list[tuple[str, str]]]:
    """Clean and extract every document read, then anchor the undated ones on their story.

    Returns the facts and the failures as (origin, message): a bad input never stops the others.
    `distinct_ids` renames a repeated id ("name~2") so that two inputs with one name both show.
    """
    facts: list[ArticleFacts] = []
    failed: list[tuple[str, str]] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, ReadFailure):
            failed.append((item.origin, item.message))
            continue
        try:
            article = clean_document(item)
            if distinct_ids and article.id in seen:
                article = article.model_copy(update={"id": f"{article.id}~{len(seen)}"})
            seen.add(article.id)
            facts.append(extractor.extract(article, reference))
        except BriefbotError as error:
            failed.append((item.origin, str(error)))
    return anchor_undated(facts, extractor), failed
