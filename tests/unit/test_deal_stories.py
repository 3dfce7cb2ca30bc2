"""Deals of one story across outlets: different parties or signing days stay two deals."""

from __future__ import annotations

import datetime as dt

from briefings.consolidate import build_stories
from briefings.models import ArticleFacts, Story
from tests.support.facts import facts_of

_LEAD = ("Ghanaian President John Mahama met Norwegian Prime Minister Lars Berg in Accra on Monday for talks "
         "on energy and fisheries. ")


def _facts(article_id: str, text: str, published: str) -> ArticleFacts:
    facts = facts_of(_LEAD + text, published)
    return facts.model_copy(update={"article": facts.article.model_copy(
        update={"id": article_id, "outlet": f"Outlet {article_id}",
                "published": dt.date.fromisoformat(published)})})


def _one_story(*facts: ArticleFacts) -> Story:
    stories = build_stories(list(facts))
    assert len(stories) == 1, [s.article_ids for s in stories]
    return stories[0]


def test_deal_stories_the_same_signing_told_twice_is_one_deal() -> None:
    story = _one_story(
        _facts("a", "Ghana and Norway signed a $300 million energy agreement on Monday.", "2025-03-03"),
        _facts("b", "Norway and Ghana signed a $300 million agreement on energy on Monday.", "2025-03-03"),
    )
    assert len(story.deals) == 1


def test_deal_stories_other_signing_days_are_two_deals() -> None:
    story = _one_story(
        _facts("a", "Ghana and Norway signed a $300 million energy deal on March 3, 2025.", "2025-03-21"),
        _facts("b", "Ghana and Norway signed a $300 million energy deal on March 20, 2025.", "2025-03-21"),
    )
    assert len(story.deals) == 2
    assert all(not d.disagreements for d in story.deals)


def test_deal_stories_other_parties_are_two_deals() -> None:
    story = _one_story(
        _facts("a", "Ghana signed a $300 million energy agreement with Norway on Monday.", "2025-03-03"),
        _facts("b", "Ghana signed a $300 million energy agreement with Sweden on Monday.", "2025-03-03"),
    )
    assert len(story.deals) == 2
    assert all(not any(x.field == "parties" for x in d.disagreements) for d in story.deals)


def test_deal_stories_one_figure_with_the_signing_company_named_otherwise_is_one_deal() -> None:
    story = _one_story(
        _facts("a", "Ghana signed a $300 million energy agreement with Orion Refining Corporation on Monday.",
               "2025-03-03"),
        _facts("b", "Ghana signed a $300 million energy agreement with Norwegian companies on Monday.",
               "2025-03-03"),
    )
    assert len(story.deals) == 1
