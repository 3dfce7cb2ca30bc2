"""Runs the real pipeline in-process on gold articles, fed exactly as the corpus scorer feeds them.

Each article goes in as a `RawDocument` with its text and URL only (no title, no published date),
and the extractor gets the reference date as its fallback "now".
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from pydantic import BaseModel

from briefings.contract import ExtractDocument, extract_document
from briefings.evaluation.gold import GoldArticle
from briefings.models import ArticleFacts, Story


class ExtractionRun(BaseModel):
    """What the pipeline produced, the articles it refused (id -> message) and the wall time."""

    document: ExtractDocument
    failures: dict[str, str]
    wall_s: float


def build_story_list(facts: Sequence[ArticleFacts]) -> list[Story]:
    """Stories from the consolidator when it is installed, else one story per article."""
    try:
        from briefings.consolidate import build_stories
    except ImportError:
        return [Story(id=f"s-{f.article.id}", headline=f.article.title, article_ids=[f.article.id])
                for f in facts]
    stories: list[Story] = build_stories(facts)
    return stories


def run_extraction(articles: Sequence[GoldArticle], reference_date: dt.date) -> ExtractionRun:
    """Clean, extract and anchor every article through the same step as `briefbot extract`; an article
    the cleaner refuses is left out and reported."""
    from briefings.anchoring import extract_documents
    from briefings.extract.pipeline import Extractor
    from briefings.ingest.raw import RawDocument

    start = time.perf_counter()
    raws = [RawDocument(id=gold.id, text=gold.text, url=gold.url, origin=str(gold.path)) for gold in articles]
    facts, failed = extract_documents(raws, Extractor(), reference_date)
    by_origin = {str(gold.path): gold.id for gold in articles}
    failures = {by_origin.get(origin, origin): message for origin, message in failed}
    document = extract_document(facts, build_story_list(facts))
    return ExtractionRun(document=document, failures=failures, wall_s=time.perf_counter() - start)
