"""A briefing shaped for one reader: what they follow first, under "You follow", then the rest.

The shared briefing (`Core.briefing`) ranks a window's stories; here the stories that touch one of
the reader's follows (also ones older in the ranking, fetched by their keys) are summarised apart
and put first, each saying which follows it touches, and the other top stories follow unless the
reader chose only-follows. A status change ("was negotiating") is marked only when its newest
claim came since this reader's last briefing, so two readers see what is new to each of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from briefings.follows import Follow, ReaderPrefs, matching
from briefings.models import Story
from briefings.schedule import PlannedDelivery
from briefings.store import follows as follow_store
from briefings.store.db import Store
from briefings.summarise import MAX_STORIES, Briefing, BriefItem, BriefStory, _claim_order, summarise

MAX_FOLLOWED = 5
MIN_OTHERS = 3


def for_reader(store: Store, briefing: Briefing, chat_id: int, stories: Sequence[Story], *, today: dt.date,
               now: dt.datetime, since: dt.datetime | None) -> Briefing:
    """`briefing` shaped by the chat's follows and preferences (unchanged when it has none)."""
    follows, prefs, extra = follow_store.reader(store, chat_id, since, {s.id for s in stories})
    briefing = briefing.model_copy(update={"next_delivery": next_on_their_day(briefing.next_delivery,
                                                                              briefing.timezone, prefs)})
    if not follows and not prefs.only_follows:
        return briefing.model_copy(update={"stories": [_reader_status(s, since) for s in briefing.stories]})
    return shape(briefing, [*stories, *extra], follows, prefs, today=today, now=now, since=since)


def shape(briefing: Briefing, stories: Sequence[Story], follows: Sequence[Follow], prefs: ReaderPrefs, *,
          today: dt.date, now: dt.datetime, since: dt.datetime | None) -> Briefing:
    """Pure: followed stories first (with the follows they touch), then the others."""
    touched = {s.id: [f.label for f in matching(s, follows)] for s in stories}
    followed_stories = [s for s in stories if touched.get(s.id)]
    top: list[BriefStory] = []
    if followed_stories:
        ranked = summarise(followed_stories, today=today, now=now, since=since, max_stories=MAX_FOLLOWED)
        top = [s.model_copy(update={"follows": touched[s.id]}) for s in ranked.stories]
    shown = {s.id for s in top}
    others: list[BriefStory] = []
    if not prefs.only_follows:
        room = max(MAX_STORIES - len(top), MIN_OTHERS)
        others = [s for s in briefing.stories if s.id not in shown][:room]
    total = len(followed_stories) if prefs.only_follows else briefing.total_stories
    return briefing.model_copy(update={
        "stories": [_reader_status(s, since) for s in [*top, *others]], "total_stories": total})


def _reader_status(story: BriefStory, since: dt.datetime | None) -> BriefStory:
    if since is None or not any(i.status_change for i in story.items):
        return story
    return story.model_copy(update={"items": [_item_status(i, since.date()) for i in story.items]})


def _item_status(item: BriefItem, since: dt.date) -> BriefItem:
    # The change counts for this reader when its newest claim was published since their last briefing.
    if item.status_change is None or item.deal is None or not item.deal.status_history:
        return item
    newest = max(item.deal.status_history, key=_claim_order)
    if newest.published is not None and newest.published < since:
        return item.model_copy(update={"status_change": None})
    return item


def next_on_their_day(moment: dt.datetime | None, timezone: str, prefs: ReaderPrefs) -> dt.datetime | None:
    """The next daily delivery moved on to the next day this reader gets one (same local time)."""
    if moment is None or prefs.frequency == "daily":
        return moment
    local = moment.astimezone(ZoneInfo(timezone))
    for _ in range(7):
        if prefs.delivers_on(local.date()):
            break
        local = (local + dt.timedelta(days=1)).replace(tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC)


def keep_delivery_days(store: Store, plans: list[PlannedDelivery]) -> list[PlannedDelivery]:
    """Drop the planned briefings of readers who get none that day (weekdays only, or weekly)."""
    if not plans:
        return plans
    prefs = follow_store.prefs_of(store, [p.chat_id for p in plans])
    return [p for p in plans if p.chat_id not in prefs or prefs[p.chat_id].delivers_on(p.local_date)]
