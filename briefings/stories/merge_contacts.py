"""Meetings, calls and visits of one story merged across sources by (kind, participants, date)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefings.models import Disagreement, Meeting, StoryMeeting
from briefings.stories.assign import assign
from briefings.stories.keys import dates_compatible, days_apart, finer_date, name_key, short_id
from briefings.stories.names import NameIndex, Party
from briefings.stories.sources import Source, disagreement, sort_evidence

_NEAR_DAYS = 2  # "Wednesday" in one outlet, "Thursday" in another: one meeting, dates disputed


@dataclass
class _Item:
    source: Source
    meeting: Meeting
    participants: list[Party]

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(p.key for p in self.participants)


@dataclass
class _Group:
    items: list[_Item] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.items[0].meeting.kind

    @property
    def keys(self) -> frozenset[str]:
        return frozenset().union(*(i.keys for i in self.items))

    def articles(self) -> set[str]:
        return {i.source.id for i in self.items}


def _match(group: _Group, item: _Item) -> float | None:
    """How well `item` fits `group` (higher is better), None when it cannot be the same contact."""
    if item.meeting.kind != group.kind or item.source.id in group.articles():
        return None
    mine, theirs = item.keys, group.keys
    if mine == theirs:
        score = 3.0
    elif (mine < theirs or theirs < mine) and len(mine & theirs) >= 2:
        score = 2.0
    else:
        return None
    dates = [i.meeting.date for i in group.items if i.meeting.date is not None]
    if item.meeting.date is not None and dates:
        if all(dates_compatible(item.meeting.date, d) for d in dates):
            score += 1.0
        elif all((gap := days_apart(item.meeting.date, d)) is not None and gap <= _NEAR_DAYS for d in dates):
            score -= 1.0
        else:
            return None
    return score


def _place(items: Sequence[_Item]) -> tuple[str | None, Disagreement | None]:
    places = [(i.meeting.place, i.source) for i in items if i.meeting.place]
    if not places:
        return None, None
    counts = Counter(name_key(p) for p, _ in places)
    best = min(places, key=lambda ps: (-counts[name_key(ps[0])], ps[1].rank))[0]
    # "Washington" and "the State Department, Washington" are one place said two ways.
    distinct = [(p, s) for p, s in places
                if name_key(p) not in name_key(best) and name_key(best) not in name_key(p)]
    dispute = disagreement("place", [(best, s) for p, s in places if (p, s) not in distinct] + distinct) \
        if distinct else None
    return best, dispute


def _merge(group: _Group, ranks: dict[str, int]) -> StoryMeeting:
    items = sorted(group.items, key=lambda i: i.source.rank)
    first = items[0]
    names: dict[str, str] = {}
    for item in items:
        for party in item.participants:
            names.setdefault(party.key, party.name)
    disputes: list[Disagreement] = []
    stated = [(i.meeting.date, i.source) for i in items if i.meeting.date is not None]
    date = finer_date([d for d, _ in stated])
    if date is not None and not all(dates_compatible(date, d) for d, _ in stated):
        counts = Counter(d.iso() for d, _ in stated)
        date = min((d for d, _ in stated), key=lambda d: (-counts[d.iso()], d.inferred, d.iso()))
    dated = disagreement("date", [(d.iso(), s) for d, s in stated])
    if dated is not None and not all(dates_compatible(a, b) for a, _ in stated for b, _ in stated):
        disputes.append(dated)
    if len({i.keys for i in items}) > 1:
        found = disagreement("participants",
                             [(", ".join(p.name for p in i.participants), i.source) for i in items])
        if found is not None:
            disputes.append(found)
    place, place_dispute = _place(items)
    if place_dispute is not None:
        disputes.append(place_dispute)
    evidence = sort_evidence([e for i in items for e in i.source.evidence(i.meeting.evidence)], ranks)
    anchor = first.meeting.evidence[0].start if first.meeting.evidence else 0
    return StoryMeeting(id=short_id("m", first.source.id, str(anchor), first.meeting.kind),
                        kind=first.meeting.kind, participants=list(names.values()), date=date, place=place,
                        sources=evidence, disagreements=disputes)


def merge_meetings(sources: Sequence[Source], names: NameIndex) -> list[StoryMeeting]:
    """One `StoryMeeting` per distinct contact, in the order the story first reports them."""
    groups: list[_Group] = []
    for source in sources:
        items = [_Item(source, m, names.participants(m.participants)) for m in source.facts.meetings]
        for item, group in assign(items, groups, _match):
            if group is None:
                groups.append(_Group([item]))
            else:
                group.items.append(item)
    ranks = {s.id: s.rank for s in sources}
    return [_merge(g, ranks) for g in groups]
