"""An undated article is dated against its story's dated articles, and the result stays inferred."""

from __future__ import annotations

import datetime as dt

from briefings.anchoring import anchor_undated, story_anchors
from briefings.extract.pipeline import Extractor
from briefings.ingest.clean import clean_document
from briefings.ingest.raw import RawDocument

DATED = (" date 2025-09-14 Chancellor Ingrid Holm and President Tomas Varga signed a $2 billion energy "
         "agreement in Vienna on Friday. Holm and Varga first discussed the Danube pipeline in May, "
         "officials said. The Danube pipeline agreement between Austria and Hungary covers gas storage.")
UNDATED = ("Chancellor Ingrid Holm and President Tomas Varga have signed the Danube pipeline agreement, "
           "which covers gas storage between Austria and Hungary. Holm and Varga held talks on the "
           "pipeline in May, when Varga visited Vienna.")


def _facts(reference: dt.date):  # type: ignore[no-untyped-def]
    extractor = Extractor()
    raw = [RawDocument(id="a", text=DATED, origin="a"), RawDocument(id="b", text=UNDATED, origin="b")]
    facts = [extractor.extract(clean_document(r), reference) for r in raw]
    return extractor, facts


def test_anchoring_undated_article_takes_its_story_date() -> None:
    extractor, facts = _facts(dt.date(2026, 11, 23))
    assert story_anchors(facts) == {"b": dt.date(2025, 9, 14)}
    before = [e.date.iso() for e in facts[1].events]
    assert "2026-05" in before  # against the fallback "now", May is the wrong year
    anchored = anchor_undated(facts, extractor)
    events = anchored[1].events
    assert {e.date.iso() for e in events} == {"2025-05"}  # the talks and the visit, both in May
    assert all(e.date.inferred for e in events)
    assert anchored[0] is facts[0]  # a dated article is left alone


def test_anchoring_a_lone_undated_article_is_left_alone() -> None:
    extractor = Extractor()
    facts = [extractor.extract(clean_document(RawDocument(id="b", text=UNDATED, origin="b")),
                               dt.date(2026, 11, 23))]
    assert anchor_undated(facts, extractor) == facts
