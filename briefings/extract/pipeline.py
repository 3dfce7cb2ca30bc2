"""The extractor: one Article in, its people, organisations, meetings, deals and events out."""

from __future__ import annotations

import datetime as dt

from briefings.extract.contacts import extract_contacts
from briefings.extract.context import ArticleContext
from briefings.extract.dates import DateContext
from briefings.extract.deals import extract_deals
from briefings.extract.entities import extract_entities
from briefings.extract.events import extract_events
from briefings.extract.nlp import blank_english
from briefings.extract.sentences import split_sentences
from briefings.models import Article, ArticleFacts


class Extractor:
    """Builds the shared spaCy pipeline once; `extract` is then a pure function of its arguments."""

    def __init__(self) -> None:
        blank_english()

    def extract(self, article: Article, reference_date: dt.date | None = None) -> ArticleFacts:
        """`reference_date` is the fallback "now" for an article whose own date is unknown."""
        sentences = split_sentences(article)
        entities = extract_entities(article, sentences)
        reference = article.published or reference_date or dt.date.today()
        ctx = ArticleContext(article=article, sentences=sentences, entities=entities,
                             dates=DateContext(published=article.published, reference=reference))
        meetings = extract_contacts(ctx)
        deals = extract_deals(ctx, meetings)
        events = extract_events(ctx, meetings, deals)
        return ArticleFacts(article=article, people=entities.people, organisations=entities.organisations,
                            meetings=meetings, deals=deals, events=events)
