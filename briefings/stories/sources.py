"""The articles of one story in a fixed order, their evidence, and disagreements between them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefings.models import ArticleFacts, Claim, Disagreement, Evidence
from briefings.stories.profile import anchor_date


@dataclass(frozen=True)
class Source:
    """One article of a story, with what merging needs to know about it."""

    facts: ArticleFacts
    rank: int  # position in the story's order: oldest anchor first, then article id
    anchor: dt.date | None

    @property
    def id(self) -> str:
        return self.facts.article.id

    @property
    def outlet(self) -> str | None:
        return self.facts.article.outlet

    def evidence(self, items: Iterable[Evidence]) -> list[Evidence]:
        """Evidence with the article's outlet and URL filled in where the extractor left them out."""
        article = self.facts.article
        return [e if (e.outlet or not article.outlet) and (e.url or not article.url)
                else e.model_copy(update={"outlet": e.outlet or article.outlet, "url": e.url or article.url})
                for e in items]


def order_sources(facts: Sequence[ArticleFacts]) -> list[Source]:
    """Oldest first (undated articles after dated ones), ties by id: never depends on input order."""
    anchored = [(anchor_date(f), f) for f in facts]
    anchored.sort(key=lambda pair: (pair[0] is None, pair[0] or dt.date.min, pair[1].article.id))
    return [Source(facts=f, rank=i, anchor=a) for i, (a, f) in enumerate(anchored)]


def sort_evidence(evidence: Iterable[Evidence], ranks: dict[str, int]) -> list[Evidence]:
    unique = {(e.article_id, e.start, e.end): e for e in evidence}
    return sorted(unique.values(), key=lambda e: (ranks.get(e.article_id, 0), e.start, e.end))


def disagreement(field: str, claims: Sequence[tuple[str, Source]]) -> Disagreement | None:
    """A disagreement when the sources state two or more different values for `field`."""
    grouped: dict[str, list[Source]] = {}
    for value, source in claims:
        grouped.setdefault(value, [])
        if source not in grouped[value]:
            grouped[value].append(source)
    if len(grouped) < 2:
        return None
    return Disagreement(field=field, claims=[
        Claim(value=value, article_ids=[s.id for s in sources],
              outlets=sorted({s.outlet for s in sources if s.outlet}))
        for value, sources in grouped.items()])


def claim_time(source: Source) -> tuple[int, dt.date]:
    """When an article's claims were true: its publication (or anchor) day; undated ones are oldest."""
    day = source.facts.article.published or source.anchor
    return (0, dt.date.min) if day is None else (1, day)
