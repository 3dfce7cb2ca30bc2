"""Dated events of one story merged across sources: compatible dates and a similar description.

Outlets describe one happening in different words, so an event whose sentence is also the
evidence of a merged meeting or deal is tied to that fact: two events tied to one fact, at
compatible dates, are one event whatever their wording.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from briefings.models import Event, Evidence, StoryDeal, StoryEvent, StoryMeeting
from briefings.stories.assign import assign
from briefings.stories.keys import dates_compatible, finer_date, name_key, short_id
from briefings.stories.sources import Source, claim_time, sort_evidence

_SAME_DAY_SIMILARITY = 55  # one exact date: a loosely similar description is the same event
_COMPATIBLE_SIMILARITY = 75  # "July" against "July 25": the descriptions must agree more

Spans = Mapping[str, Sequence[tuple[int, int, str]]]  # article id -> (start, end, fact id)


@dataclass
class _Item:
    source: Source
    event: Event
    facts: frozenset[str]  # merged meetings and deals whose evidence this event's evidence overlaps


@dataclass
class _Group:
    items: list[_Item] = field(default_factory=list)


def _match(group: _Group, item: _Item) -> float | None:
    if any(i.source.id == item.source.id for i in group.items):
        return None
    if not all(dates_compatible(item.event.date, i.event.date) for i in group.items):
        return None
    exact = any(i.event.date == item.event.date for i in group.items)
    if any(item.facts & i.facts for i in group.items):
        return 3.0 + (1.0 if exact else 0.0)
    similarity = max(fuzz.token_set_ratio(name_key(item.event.what), name_key(i.event.what))
                     for i in group.items)
    if similarity < (_SAME_DAY_SIMILARITY if exact else _COMPATIBLE_SIMILARITY):
        return None
    return (2.0 if exact else 1.0) + similarity / 100.0


def _merge(group: _Group, ranks: dict[str, int]) -> StoryEvent:
    items = sorted(group.items, key=lambda i: i.source.rank)
    first = items[0]
    date = finer_date([i.event.date for i in items]) or first.event.date
    newest = max(items, key=lambda i: (claim_time(i.source), i.source.rank))
    evidence = sort_evidence([e for i in items for e in i.source.evidence(i.event.evidence)], ranks)
    anchor = str(first.event.evidence[0].start) if first.event.evidence else first.event.what
    return StoryEvent(id=short_id("e", first.source.id, anchor, first.event.date.iso()), date=date,
                      what=first.event.what, status=newest.event.status, sources=evidence)


def fact_spans(facts: Sequence[StoryMeeting | StoryDeal]) -> Spans:
    """Where each merged fact's evidence sits, per article."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for fact in facts:
        for e in fact.sources:
            spans.setdefault(e.article_id, []).append((e.start, e.end, fact.id))
    return spans


def _tied(evidence: Sequence[Evidence], spans: Spans) -> frozenset[str]:
    return frozenset(fact for e in evidence for start, end, fact in spans.get(e.article_id, ())
                     if start < e.end and e.start < end)


def merge_events(sources: Sequence[Source], spans: Spans) -> list[StoryEvent]:
    """One `StoryEvent` per distinct happening, in date order (ties: first reported first)."""
    groups: list[_Group] = []
    for source in sources:
        items = [_Item(source, e, _tied(e.evidence, spans)) for e in source.facts.events]
        for item, group in assign(items, groups, _match):
            if group is None:
                groups.append(_Group([item]))
            else:
                group.items.append(item)
    ranks = {s.id: s.rank for s in sources}
    merged = [_merge(g, ranks) for g in groups]
    return sorted(merged, key=lambda e: e.date.first_day())
