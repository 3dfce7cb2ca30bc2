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


# What a reader sees for an article whose outlet is unknown (no URL, feed title or wire credit):
# who added it, never its file name or id.
UPLOADED = "uploaded by an admin"


class SourceRef(BaseModel):
    """One outlet that reported a fact; articles of unknown outlets share one `UPLOADED` entry.

    `article_ids` are the distinct articles behind the entry, so counts are of articles, never of
    sentences, and an article is never listed twice.
    """

    name: str
    url: str | None = None
    article_id: str
    known_outlet: bool = True
    article_ids: list[str] = Field(default_factory=list)

    @property
    def weight(self) -> int:
        """How many sources this entry stands for: one outlet, or each unknown article."""
        return 1 if self.known_outlet else max(len(self.article_ids), 1)

    @property
    def display(self) -> str:
        """The name, with the article count when several unknown articles share the entry."""
        return self.name if self.weight == 1 else f"{self.name} ({self.weight} articles)"


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
    follows: list[str] = Field(default_factory=list)  # what the reader follows that this story touches

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
    covers: str | None = None  # what the briefing covers when it is not a time window ("the seed articles")

    @property
    def is_empty(self) -> bool:
        return not self.stories


# --- sources and corroboration ---------------------------------------------------------------


def source_refs(evidence: Iterable[Evidence]) -> list[SourceRef]:
    """One entry per distinct outlet (unknown ones together), first-seen order, first known URL kept."""
    refs: dict[str, SourceRef] = {}
    for ev in evidence:
        outlet = (ev.outlet or "").strip()
        key = outlet.casefold() if outlet else "#"
        ref = refs.get(key)
        if ref is None:
            refs[key] = SourceRef(name=outlet or UPLOADED, url=ev.url if outlet else None,
                                  article_id=ev.article_id, known_outlet=bool(outlet),
                                  article_ids=[ev.article_id])
            continue
        if ev.article_id not in ref.article_ids:
            ref.article_ids.append(ev.article_id)
        if ref.known_outlet and ref.url is None and ev.url:
            ref.url = ev.url
    return list(refs.values())


def source_count(refs: Sequence[SourceRef]) -> int:
    return sum(ref.weight for ref in refs)


def corroboration(refs: Sequence[SourceRef]) -> str:
    """"single source", "3 outlets", or "3 sources" when some outlets are unknown (each article counts)."""
    count = source_count(refs)
    if count <= 1:
        return "single source"
    noun = "outlets" if all(ref.known_outlet for ref in refs) else "sources"
    return f"{count} {noun}"


def pick_quote(evidence: Sequence[Evidence], refs: Sequence[SourceRef]) -> Quote | None:
    """The first source's sentence (the shortest if it is too long), cut to a verbatim prefix if need be."""
    usable = [ev for ev in evidence if ev.sentence.strip()]
    if not usable:
        return None
    short = [ev for ev in usable if len(ev.sentence.strip()) <= QUOTE_LIMIT]
    ev = short[0] if short else min(usable, key=lambda e: len(e.sentence))
    source = next((ref for ref in refs if ev.article_id in ref.article_ids), None) or source_refs([ev])[0]
    text, truncated = _verbatim_prefix(ev.sentence.strip(), QUOTE_LIMIT)
    return Quote(text=text, truncated=truncated, source=source)


# A photo caption's credit ("… July 25, 2025. — AFP") loses its name in cleaning and leaves a dash.
_DANGLING = " \t,;:—–-"


def _verbatim_prefix(text: str, limit: int) -> tuple[str, bool]:
    text = text.rstrip(_DANGLING) or text
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(_DANGLING), True


def conflicts(disagreements: Sequence[Disagreement]) -> list[Conflict]:
    return [Conflict(field=d.field, claims=[_claim_view(c) for c in d.claims])
            for d in disagreements if len(d.claims) > 1]


def _claim_view(claim: Claim) -> ClaimView:
    # Outlets by name; articles without one are counted, never shown by their ids.
    outlets = list(dict.fromkeys(claim.outlets))
    unknown = len(set(claim.article_ids)) - len(outlets)
    if unknown > 0:
        outlets.append("an uploaded article" if unknown == 1 else f"{unknown} uploaded articles")
    return ClaimView(value=claim.value, outlets=outlets)


def status_steps(history: Sequence[StatusClaim]) -> list[StatusClaim]:
    """The dated status history with repeats dropped: each step is a change (the first claim of it)."""
    steps: list[StatusClaim] = []
    for claim in sorted(history, key=_claim_order):
        if not steps or steps[-1].status != claim.status:
            steps.append(claim)
    return steps


def status_change(history: Sequence[StatusClaim]) -> StatusChange | None:
    """The last change in the dated status history ("negotiating" -> "signed"), if any."""
    steps = status_steps(history)
    if len(steps) < 2:
        return None
    return StatusChange(before=steps[-2].status, after=steps[-1].status)


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
    shown = event.model_copy(update={"what": whole_phrase(event.what)})
    return BriefItem(kind="event", id=event.id, event=shown, sources=refs,
                     quote=pick_quote(event.sources, refs))


def whole_phrase(label: str) -> str:
    """A label as a reader sees it: single spaces, no trailing space or dangling "—", capitalised."""
    text = " ".join(label.split()).rstrip(_DANGLING)
    return text[:1].upper() + text[1:] if text else label.strip()


Fact = StoryDeal | StoryMeeting | StoryEvent


def _outlets(evidence: Sequence[Evidence]) -> int:
    return source_count(source_refs(evidence))


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
    """Deals, meetings and events that already happened, most important first; an event told by the
    same sentence as a deal or meeting is that fact again, so it is folded into it (left out)."""
    facts: list[Fact] = [*story.deals, *story.meetings]
    told = {_span(ev) for fact in facts for ev in fact.sources}
    facts += [e for e in story.events if e.status == "occurred" and not _belongs(e, told)]
    return sorted(facts, key=fact_score, reverse=True)


def _span(ev: Evidence) -> tuple[str, str]:
    return ev.article_id, " ".join(ev.sentence.split())


def _belongs(event: StoryEvent, told: set[tuple[str, str]]) -> bool:
    return any(_span(ev) in told for ev in event.sources)


def story_items(story: Story, limit: int | None = None) -> list[BriefItem]:
    """The story's most important facts as items (only the first `limit` are built)."""
    return [brief_item(f) for f in story_facts(story)[:limit]]


# --- ranking and the briefing ----------------------------------------------------------------


def story_score(story: Story, now: dt.datetime) -> float:
    """Sources, recency, amounts and status changes; higher is more important (cheap: no items built)."""
    score = 3.0 * source_count(source_refs_for_story(story))
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
    """The story's sources counted like its facts' (by outlet, each unknown article apart).

    Articles whose outlet no fact's evidence names are matched to the story's remaining outlets;
    any left over have no known outlet.
    """
    facts: list[Fact] = [*story.deals, *story.meetings, *story.events]
    evidence = [ev for fact in facts for ev in fact.sources]
    refs = source_refs(ev for ev in evidence if ev.article_id in story.article_ids)
    covered = {a for ref in refs for a in ref.article_ids}
    named = {ref.name.casefold() for ref in refs if ref.known_outlet}
    rest = [a for a in dict.fromkeys(story.article_ids) if a not in covered]
    outlets = [o for o in dict.fromkeys(story.outlets) if o.casefold() not in named]
    for outlet in outlets:
        if rest:
            article = rest.pop(0)
            refs.append(SourceRef(name=outlet, article_id=article, article_ids=[article]))
    if rest:
        unknown = next((ref for ref in refs if not ref.known_outlet), None)
        if unknown is None:
            refs.append(SourceRef(name=UPLOADED, article_id=rest[0], known_outlet=False, article_ids=rest))
        else:
            unknown.article_ids.extend(rest)
    return refs


def story_headline(story: Story) -> str:
    """The story's best article headline; without one, a phrase from its lead fact."""
    if story.headline and story.headline.strip():
        return " ".join(story.headline.split())
    facts = story_facts(story)
    lead = facts[0] if facts else None
    if isinstance(lead, StoryDeal):
        kind = {"mou": "MoU", "trade_agreement": "trade agreement"}.get(lead.kind, lead.kind)
        does = {"signed": "sign", "announced": "announce", "negotiating": "negotiate", "planned": "plan"}
        return f"{_names(lead.parties)} {does[lead.status]} {kind}".strip()
    if isinstance(lead, StoryMeeting):
        if lead.kind == "visit":
            return f"{_names(lead.participants)} visit {lead.place}" if lead.place else \
                f"Visit by {_names(lead.participants)}"
        verb = {"meeting": "meet", "call": "speak by phone"}[lead.kind]
        where = f" in {lead.place}" if lead.place else ""
        return f"{_names(lead.participants)} {verb}{where}".strip()
    if isinstance(lead, StoryEvent):
        return lead.what[:1].upper() + lead.what[1:]
    return "Untitled story"


def _names(names: Sequence[str]) -> str:
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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
        outlets.update(ref.name.casefold() if ref.known_outlet else f"#{a}" for ref in refs
                       for a in (ref.article_ids if not ref.known_outlet else [""]))
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
            id=story.id, headline=story_headline(story), sources=source_refs_for_story(story),
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
