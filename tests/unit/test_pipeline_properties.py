"""No input text crashes the extractor, and every fact points at a verbatim sentence."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.errors import ArticleError
from briefings.extract.pipeline import Extractor
from briefings.ingest.clean import clean_document
from briefings.ingest.raw import RawDocument

_EXTRACTOR = Extractor()

WORDS = [
    "President",
    "Minister",
    "Ana",
    "Silva",
    "met",
    "signed",
    "a",
    "$5 billion",
    "loan",
    "with",
    "Brazil",
    "Chile",
    "in",
    "May",
    "on",
    "Monday",
    "MoU",
    "(ABC)",
    "Corporation",
    "visited",
    "—",
    "“",
    "”",
    ",",
    ".",
    "will",
    "may",
    "2025",
    "1.2 million",
    "Rs 40 crore",
    "the",
    "deal",
    "talks",
    "\n",
    "#tag",
    "Back To Top",
    "agreement",
    "€3bn",
    "yesterday",
    "last",
    "month",
    "called",
    "phone",
    "Dar's",
    "U.S.",
]

article_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=80).map(" ".join)


def _check(text: str, published: str | None) -> None:
    try:
        article = clean_document(RawDocument(id="p", text=text, origin="prop", published=published))
    except ArticleError:
        return
    facts = _EXTRACTOR.extract(article, dt.date(2025, 9, 14))
    for item in [*facts.meetings, *facts.deals, *facts.events]:
        assert item.evidence
        for ev in item.evidence:
            assert article.text[ev.start : ev.end] == ev.sentence
    for event in facts.events:
        assert event.date.year > 1900


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_text, st.sampled_from([None, "2025-03-14"]))
def test_pipeline_article_like_text_never_crashes(text: str, published: str | None) -> None:
    _check(text, published)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=400))
def test_pipeline_arbitrary_text_never_crashes(text: str) -> None:
    _check(text, None)
