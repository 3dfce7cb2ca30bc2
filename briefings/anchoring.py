"""Undated articles take their story's date as the anchor for their relative dates.

An article without a date of its own resolves "in May" against a fallback "now", which can be far
from when it was written. When the same story is told by dated articles, the latest of their dates
is a far better anchor; the dates it gives stay marked inferred, as the article itself never says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from briefings.consolidate import build_stories
from briefings.models import Article, ArticleFacts


class Extracts(Protocol):
    def extract(self, article: Article, reference_date: dt.date | None = None) -> ArticleFacts: ...


def story_anchors(facts: Sequence[ArticleFacts]) -> dict[str, dt.date]:
    """For each undated article that shares a story with dated ones: the latest of their dates."""
    published = {f.article.id: f.article.published for f in facts}
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
