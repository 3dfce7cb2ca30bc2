"""Pick what matters since a subscriber's last briefing and shape it into a `Briefing`.

Pure: stories, the window and the clock come in as arguments; nothing here reads the store.
Every fact becomes a `BriefItem` that carries its own corroboration (per fact, not per story),
its sources by outlet, the disagreements between them and one verbatim quote. The commands
(`/deals`, `/meetings`, ...) build their list items with the same `*_item` functions, so a deal
reads the same in a briefing and in an answer.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from briefings.models import (
    Claim,
    DealStatus,
    Disagreement,
    Evidence,
    StatusClaim,
    Story,
    StoryDeal,
    StoryEvent,
    StoryMeeting,
)

ItemKind = Literal["deal", "meeting", "event"]

# A quote longer than this is cut at a word boundary; what is shown stays a verbatim prefix.
QUOTE_LIMIT = 280
MAX_STORIES = 8
MAX_ITEMS_PER_STORY = 4
MAX_UPCOMING = 5


class SourceRef(BaseModel):
    """One outlet that reported a fact (or the article id when the outlet is unknown)."""

    name: str
    url: str | None = None
    article_id: str
    known_outlet: bool = True


class Quote(BaseModel):
    """A verbatim span of the cited article: `text` is a prefix of an `Evidence.sentence`."""

    text: str
    truncated: bool = False
    source: SourceRef


class ClaimView(BaseModel):
    value: str
    outlets: list[str]


class Conflict(BaseModel):
    """Outlets disagree on one field of one fact; every value is shown with who states it."""

    field: str
    claims: list[ClaimView]


class StatusChange(BaseModel):
    before: DealStatus
    after: DealStatus


class BriefItem(BaseModel):
    """One fact as shown to a reader; exactly one of `deal`, `meeting`, `event` is set."""

    kind: ItemKind
    id: str
    deal: StoryDeal | None = None
    meeting: StoryMeeting | None = None
    event: StoryEvent | None = None
    sources: list[SourceRef] = Field(default_factory=list)
    quote: Quote | None = None
    conflicts: list[Conflict] = Field(default_factory=list)
    status_change: StatusChange | None = None

    @property
    def corroboration(self) -> str:
        return corroboration(self.sources)


class BriefStory(BaseModel):
    id: str
    headline: str | None = None
    sources: list[SourceRef] = Field(default_factory=list)
    items: list[BriefItem] = Field(default_factory=list)
    more_items: int = 0
    is_new: bool = True
    score: float = 0.0

    @property
    def corroboration(self) -> str:
        return corroboration(self.sources)


class Briefing(BaseModel):
    """What one subscriber reads today; `stories` empty means nothing new in the window."""

    date: dt.date
    generated_at: dt.datetime
    since: dt.datetime | None = None
    timezone: str = "UTC"
    stories: list[BriefStory] = Field(default_factory=list)
    total_stories: int = 0
    outlet_count: int = 0
    outlets_known: bool = True
    upcoming: list[BriefItem] = Field(default_factory=list)
    next_delivery: dt.datetime | None = None
    late: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.stories


# --- sources and corroboration ---------------------------------------------------------------


def source_refs(evidence: Iterable[Evidence]) -> list[SourceRef]:
    """One entry per distinct outlet, in first-seen order, keeping the first known URL."""
    refs: dict[str, SourceRef] = {}
    for ev in evidence:
        key = (ev.outlet or f"#{ev.article_id}").casefold()
        ref = refs.get(key)
        if ref is None:
            refs[key] = SourceRef(name=ev.outlet or ev.article_id, url=ev.url, article_id=ev.article_id,
                                  known_outlet=ev.outlet is not None)
        elif ref.url is None and ev.url:
            refs[key] = ref.model_copy(update={"url": ev.url})
    return list(refs.values())


def corroboration(refs: Sequence[SourceRef]) -> str:
    """"single source", "3 outlets", or "3 sources" when some outlets are unknown."""
    if len(refs) <= 1:
        return "single source"
    noun = "outlets" if all(ref.known_outlet for ref in refs) else "sources"
    return f"{len(refs)} {noun}"


def pick_quote(evidence: Sequence[Evidence], refs: Sequence[SourceRef]) -> Quote | None:
    """The first source's sentence (the shortest if it is too long), cut to a verbatim prefix if need be."""
    usable = [ev for ev in evidence if ev.sentence.strip()]
    if not usable:
        return None
    short = [ev for ev in usable if len(ev.sentence.strip()) <= QUOTE_LIMIT]
    ev = short[0] if short else min(usable, key=lambda e: len(e.sentence))
    source = next((ref for ref in refs if ref.article_id == ev.article_id), None)
    if source is None:
        source = SourceRef(name=ev.outlet or ev.article_id, url=ev.url, article_id=ev.article_id,
                           known_outlet=ev.outlet is not None)
    text, truncated = _verbatim_prefix(ev.sentence.strip(), QUOTE_LIMIT)
    return Quote(text=text, truncated=truncated, source=source)


def _verbatim_prefix(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:"), True


def conflicts(disagreements: Sequence[Disagreement]) -> list[Conflict]:
    return [Conflict(field=d.field, claims=[_claim_view(c) for c in d.claims])
            for d in disagreements if len(d.claims) > 1]


def _claim_view(claim: Claim) -> ClaimView:
    return ClaimView(value=claim.value, outlets=list(claim.outlets or claim.article_ids))


def status_change(history: Sequence[StatusClaim]) -> StatusChange | None:
    """The last change in the dated status history ("negotiating" -> "signed"), if any."""
    ordered = sorted(history, key=_claim_order)
    statuses: list[DealStatus] = []
    for claim in ordered:
        if not statuses or statuses[-1] != claim.status:
            statuses.append(claim.status)
    if len(statuses) < 2:
        return None
    return StatusChange(before=statuses[-2], after=statuses[-1])


def _claim_order(claim: StatusClaim) -> tuple[dt.date, dt.date]:
    # The claim's own date first, then when it was published: the newest dated claim is current.
    fact_day = claim.date.first_day() if claim.date else dt.date.min
    return (fact_day, claim.published or dt.date.min)


# --- items ------------------------------------------------------------------------------------


def deal_item(deal: StoryDeal) -> BriefItem:
    refs = source_refs(deal.sources)
    return BriefItem(kind="deal", id=deal.id, deal=deal, sources=refs, quote=pick_quote(deal.sources, refs),
                     conflicts=conflicts(deal.disagreements),
                     status_change=status_change(deal.status_history))


def meeting_item(meeting: StoryMeeting) -> BriefItem:
    refs = source_refs(meeting.sources)
    return BriefItem(kind="meeting", id=meeting.id, meeting=meeting, sources=refs,
                     quote=pick_quote(meeting.sources, refs), conflicts=conflicts(meeting.disagreements))


def event_item(event: StoryEvent) -> BriefItem:
    refs = source_refs(event.sources)
    return BriefItem(kind="event", id=event.id, event=event, sources=refs,
                     quote=pick_quote(event.sources, refs))


Fact = StoryDeal | StoryMeeting | StoryEvent


def _outlets(evidence: Sequence[Evidence]) -> int:
    return len({(ev.outlet or f"#{ev.article_id}").casefold() for ev in evidence})


def fact_score(fact: Fact) -> float:
    """How much a fact matters: its outlets, then deals (with amounts, status changes) over meetings."""
    score = float(_outlets(fact.sources))
    if isinstance(fact, StoryDeal):
        score += 2.0
        if fact.amount is not None:
            score += 1.0 + math.log10(max(fact.amount.value, 1.0)) / 6
        if status_change(fact.status_history) is not None:
            score += 2.0
    elif isinstance(fact, StoryMeeting):
        score += 1.5
    if not isinstance(fact, StoryEvent) and any(len(d.claims) > 1 for d in fact.disagreements):
        score += 0.5
    return score


def brief_item(fact: Fact) -> BriefItem:
    if isinstance(fact, StoryDeal):
        return deal_item(fact)
    if isinstance(fact, StoryMeeting):
        return meeting_item(fact)
    return event_item(fact)


def story_facts(story: Story) -> list[Fact]:
    """Deals, meetings and events that already happened, most important first."""
    facts: list[Fact] = [*story.deals, *story.meetings]
    facts += [e for e in story.events if e.status == "occurred"]
    return sorted(facts, key=fact_score, reverse=True)


def story_items(story: Story, limit: int | None = None) -> list[BriefItem]:
    """The story's most important facts as items (only the first `limit` are built)."""
    return [brief_item(f) for f in story_facts(story)[:limit]]


# --- ranking and the briefing ----------------------------------------------------------------


def story_score(story: Story, now: dt.datetime) -> float:
    """Sources, recency, amounts and status changes; higher is more important (cheap: no items built)."""
    score = 3.0 * len(source_refs_for_story(story))
    seen = story_time(story)
    if seen is not None:
        age_days = max((now - seen).total_seconds() / 86400, 0.0)
        score += 4.0 / (1.0 + age_days)
    amounts = [d.amount.value for d in story.deals if d.amount is not None]
    if amounts:
        score += 2.0 + math.log10(max(max(amounts), 1.0)) / 3
    score += 3.0 * sum(1 for d in story.deals if status_change(d.status_history) is not None)
    facts = len(story.deals) + len(story.meetings) + sum(1 for e in story.events if e.status == "occurred")
    return score + 0.5 * min(facts, 6)


def story_time(story: Story) -> dt.datetime | None:
    """When the story last changed: its update time, else its last publication day (UTC midnight)."""
    if story.updated_at is not None:
        return _aware(story.updated_at)
    if story.last_published is not None:
        return dt.datetime.combine(story.last_published, dt.time(0), dt.UTC)
    return None


def source_refs_for_story(story: Story) -> list[SourceRef]:
    if story.outlets:
        return [SourceRef(name=o, article_id="") for o in dict.fromkeys(story.outlets)]
    return [SourceRef(name=a, article_id=a, known_outlet=False) for a in dict.fromkeys(story.article_ids)]


def _aware(moment: dt.datetime) -> dt.datetime:
    # Stored times are UTC; SQLite hands them back naive.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def summarise(
    stories: Sequence[Story],
    *,
    today: dt.date,
    now: dt.datetime,
    since: dt.datetime | None = None,
    upcoming: Sequence[StoryEvent] = (),
    timezone: str = "UTC",
    next_delivery: dt.datetime | None = None,
    max_stories: int = MAX_STORIES,
    max_items: int = MAX_ITEMS_PER_STORY,
    window_total: int | None = None,
) -> Briefing:
    """The briefing for `today` from the stories updated since `since` (the caller selects them).

    Args:
        stories: stories new or updated in the window, in any order.
        today: the subscriber's local date, for the header and the upcoming events.
        now: the current instant (aware), for recency.
        since: start of the window (the last briefing); None means "everything given".
        upcoming: planned events; those after `today` are listed under "Coming up".
        timezone: the subscriber's zone name, shown in the footer.
        next_delivery: the next scheduled briefing (aware), shown in the footer.
        window_total: how many stories the window holds when `stories` are only its most recent.
    """
    since_aware = _aware(since) if since is not None else None
    moment = _aware(now)
    outlets: set[str] = set()
    known = True
    scored: list[tuple[float, Story]] = []
    for story in stories:
        if not (story.headline or story.deals or story.meetings or story.events):
            continue
        refs = source_refs_for_story(story)
        outlets.update(ref.name.casefold() for ref in refs)
        known = known and all(ref.known_outlet for ref in refs)
        scored.append((story_score(story, moment), story))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    # Items (sources, quotes, conflicts) are built only for the stories that will be shown.
    shown: list[BriefStory] = []
    for score, story in scored:
        if len(shown) == max_stories:
            break
        facts = story_facts(story)
        if not facts and not story.headline:
            continue
        first = story.first_published
        shown.append(BriefStory(
            id=story.id, headline=story.headline, sources=source_refs_for_story(story),
            items=[brief_item(f) for f in facts[:max_items]], more_items=max(len(facts) - max_items, 0),
            is_new=since_aware is None or first is None or first >= since_aware.date(), score=score))
    return Briefing(
        date=today, generated_at=moment, since=since_aware, timezone=timezone, stories=shown,
        total_stories=max(len(scored), window_total or 0), outlet_count=len(outlets), outlets_known=known,
        upcoming=upcoming_items(upcoming, today), next_delivery=next_delivery)


def upcoming_items(events: Sequence[StoryEvent], today: dt.date,
                   limit: int = MAX_UPCOMING) -> list[BriefItem]:
    """Planned events that have not passed, soonest first (a month-precise one counts until it ends)."""
    def ends(event: StoryEvent) -> dt.date:
        d = event.date
        if d.day is not None:
            return d.first_day()
        if d.month is not None:
            nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(d.year, 12, 31)

    planned = [e for e in events if e.status == "planned" and ends(e) >= today]
    planned.sort(key=lambda e: (e.date.first_day(), e.id))
    return [event_item(e) for e in planned[:limit]]
