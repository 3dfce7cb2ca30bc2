"""One story from the articles that tell it: merged facts, people, countries, headline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from briefings.models import ArticleFacts, Story, StoryDeal, StoryEvent, StoryMeeting
from briefings.stories.keys import country_key, short_id
from briefings.stories.merge_contacts import merge_meetings
from briefings.stories.merge_deals import merge_deals
from briefings.stories.merge_events import fact_spans, merge_events
from briefings.stories.names import NameIndex
from briefings.stories.sources import Source, order_sources


def _headline(sources: Sequence[Source], meetings: Sequence[StoryMeeting],
              deals: Sequence[StoryDeal]) -> str | None:
    """The newest dated headline (the latest state of the story), else the headline of the undated
    article with most facts, else a label from the story's first fact."""
    titled = [s for s in sources if s.facts.article.title]
    dated = [s for s in titled if s.anchor is not None]
    if dated:
        return dated[-1].facts.article.title
    if titled:
        richest = max(titled, key=lambda s: (len(s.facts.meetings) + len(s.facts.deals), -s.rank))
        return richest.facts.article.title
    if meetings:
        return f"{meetings[0].kind.capitalize()}: {', '.join(meetings[0].participants)}"
    if deals:
        return f"{deals[0].kind.replace('_', ' ').capitalize()}: {', '.join(deals[0].parties)}"
    return None


def _people(sources: Sequence[Source], names: NameIndex) -> list[str]:
    counts: Counter[str] = Counter()
    for source in sources:
        counts.update({names.person(p.name) for p in source.facts.people})
    return sorted(counts, key=lambda name: (-counts[name], name))


def _countries(sources: Sequence[Source], names: NameIndex) -> list[str]:
    counts: Counter[str] = Counter()
    for source in sources:
        facts = source.facts
        mentions = [p.country for p in facts.people] + [o.country for o in facts.organisations]
        mentions += [party for d in facts.deals for party in d.parties] + [m.place for m in facts.meetings]
        counts.update({code for m in mentions if m and (code := country_key(m))})
    return [names.country_name(code) for code in sorted(counts, key=lambda c: (-counts[c], c))]


def _unique_ids(items: Sequence[StoryMeeting | StoryDeal | StoryEvent], taken: set[str]) -> None:
    for item in items:
        salt = 0
        while item.id in taken:  # two facts with one anchor, or a hash collision: salt until unique
            salt += 1
            item.id = short_id(item.id[0], item.id, str(salt))
        taken.add(item.id)


def merge_story(facts: Sequence[ArticleFacts], taken_ids: set[str] | None = None) -> Story:
    """Merge the facts of articles already known to tell one story (pure, order-independent).

    `taken_ids` collects fact ids already used elsewhere, so ids stay unique across stories.
    """
    sources = order_sources(facts)
    names = NameIndex([s.facts for s in sources])
    meetings = merge_meetings(sources, names)
    deals = merge_deals(sources, names)
    events = merge_events(sources, fact_spans([*meetings, *deals]))
    taken = taken_ids if taken_ids is not None else set()
    for items in (meetings, deals, events):
        _unique_ids(items, taken)
    published = sorted(s.facts.article.published for s in sources if s.facts.article.published)
    outlets = list(dict.fromkeys(s.outlet for s in sources if s.outlet))
    return Story(id=short_id("s", sources[0].id), headline=_headline(sources, meetings, deals),
                 article_ids=[s.id for s in sources], outlets=outlets,
                 first_published=published[0] if published else None,
                 last_published=published[-1] if published else None,
                 people=_people(sources, names), countries=_countries(sources, names),
                 meetings=meetings, deals=deals, events=events)
