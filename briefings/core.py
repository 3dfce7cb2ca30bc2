"""`Core`: the use cases the shells (bot, console, CLI) call, built from `Settings` and its dependencies.

Everything that touches the outside comes in through the constructor: the store, the clock and the
extractor, so tests build a `Core` the way production does, with a temporary SQLite file and a
clock they drive. Nothing here knows about Telegram; the bot sends what these methods return.

Delivery rules (the deliveries table is the single source of truth, keyed by chat and local date):
- the scheduled briefing claims (chat, local date) before it is sent, so a restart or a second
  process never sends it twice;
- `/post_now` claims today's slot for every subscriber, so the scheduled briefing is then skipped;
- `/brief` is an on-demand copy: it claims nothing and does not move the subscriber's window, so
  the scheduled briefing still comes and covers the same news.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from briefings.errors import InputError, NotFoundError
from briefings.ingest.raw import RawDocument, ReadFailure
from briefings.models import Article, ArticleFacts, Story
from briefings.reader_briefing import for_reader, keep_delivery_days
from briefings.render import Format, Renderer
from briefings.schedule import (
    PlannedDelivery,
    dates_in_play,
    due_at,
    local_today,
    next_delivery,
    next_due,
    plan_deliveries,
    zone,
)
from briefings.settings import Settings
from briefings.store import deliveries, feeds, queries, subscribers
from briefings.store import follows as follow_store
from briefings.store.articles import ingest
from briefings.store.db import Store
from briefings.store.deliveries import Claim, DayCounts, Slot
from briefings.store.views import DeliveryStatus, IngestReport, StoreStats, Subscriber
from briefings.summarise import Briefing, summarise

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

# A new subscriber's first briefing looks back this far, so it is not empty on day one.
FIRST_LOOKBACK = dt.timedelta(days=7)
# The summariser ranks at most this many of the most recent stories in a window: after a bulk
# ingest a window may hold thousands, and the briefing shows eight.
CANDIDATE_STORIES = 30
# "Coming up" looks this far ahead (and lists the first few).
UPCOMING_DAYS = 14
# Files, pages and feeds that `briefbot ingest`, `/ingest URL` and feed polling read.
SOURCE_LIMIT = 5_000_000
# An admin's upload to the bot is answered within a minute or refused at once (bench/README.md:
# ~0.15 s an article, ~10 s a megabyte of text); bulk loads go through `briefbot ingest`.
UPLOAD_LIMIT = 1_000_000
UPLOAD_ARTICLES = 200
# Due subscribers the planner reads at a time.
DUE_PAGE = 1000
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".json")


class ArticleExtractor(Protocol):
    """What `briefings.extract.pipeline.Extractor` offers: one article in, its facts out."""

    def extract(self, article: Article, reference_date: dt.date | None = None) -> ArticleFacts: ...


class Caller(BaseModel):
    """Who sent a command, and from where; `chat_admin` says they may change this chat's settings."""

    chat_id: int
    user_id: int | None = None
    chat_type: str = "private"
    chat_admin: bool = True

    @property
    def in_group(self) -> bool:
        return self.chat_type in ("group", "supergroup")

    @property
    def on_console(self) -> bool:
        return self.chat_type == "console"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Core:
    """The use cases; one per process, shared by every handler."""

    def __init__(self, settings: Settings, store: Store, *, clock: Clock = utc_now,
                 extractor: ArticleExtractor | None = None, renderer: Renderer | None = None) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self._extractor = extractor
        self.renderer = renderer or Renderer(settings.templates_dir)
        # Who holds a delivery claim: unique per process, so a restarted process is someone else.
        self.worker_id = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.lease = dt.timedelta(seconds=settings.lease_seconds)
        # True only in the one process holding the SQLite sender lock: any claim another worker
        # holds is then abandoned (its process is gone) and may be taken over at once.
        self.exclusive_sender = False

    def now(self) -> dt.datetime:
        moment = self.clock()
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)

    # --- who may do what (the one admin gate) ----------------------------------------------------

    def is_admin(self, caller: Caller) -> bool:
        """Bot admins are the user ids in settings; the local console is its operator's."""
        return caller.on_console or (caller.user_id is not None and caller.user_id in self.settings.admins)

    # --- subscribers ---------------------------------------------------------------------------

    def subscriber(self, chat_id: int) -> Subscriber | None:
        return subscribers.get_subscriber(self.store, chat_id)

    def subscribe(self, caller: Caller) -> tuple[Subscriber, bool]:
        """Subscribe the chat (idempotent); True when it was not an active subscriber before."""
        existing = self.subscriber(caller.chat_id)
        if existing is not None and existing.active:
            return existing, False
        sub = subscribers.upsert_subscriber(
            self.store, caller.chat_id, user_id=caller.user_id, chat_type=caller.chat_type,
            timezone=self.settings.default_timezone, delivery_time=self.settings.default_time, now=self.now())
        log.info("subscribed chat=%s returning=%s", caller.chat_id, existing is not None)
        return sub, True

    def change_settings(self, chat_id: int, *, timezone: str | None = None,
                        delivery_time: dt.time | None = None) -> Subscriber:
        if timezone is not None:
            zone(timezone)
        try:
            return subscribers.update_settings(self.store, chat_id, timezone=timezone,
                                               delivery_time=delivery_time)
        except NotFoundError as error:
            raise InputError("This chat is not subscribed yet: send /start first.") from error

    def unsubscribe(self, chat_id: int, reason: str = "unsubscribed") -> bool:
        """Stop deliveries, keep settings; False if the chat was not an active subscriber."""
        sub = self.subscriber(chat_id)
        if sub is None or not sub.active:
            return False
        subscribers.deactivate(self.store, chat_id, reason)
        log.info("unsubscribed chat=%s reason=%s", chat_id, reason)
        return True

    def next_delivery(self, sub: Subscriber, *, now: dt.datetime | None = None) -> dt.datetime:
        """When this subscriber's next scheduled briefing is due (UTC)."""
        now = now or self.now()
        tz = zone(sub.timezone)
        last = sub.last_briefing_at
        sent_today = last is not None and local_today(last, tz) == local_today(now, tz)
        return next_delivery(now, sub.timezone, sub.delivery_time, sent_today=sent_today)

    # --- briefings -----------------------------------------------------------------------------

    def briefing(self, sub: Subscriber | None = None, *, day: dt.date | None = None,
                 late: bool = False, now: dt.datetime | None = None, covers: str | None = None) -> Briefing:
        """A subscriber's briefing (news since their last one); without one, what a new subscriber gets
        today (the last `FIRST_LOOKBACK`), the store's for `day`, or everything, said to be `covers`."""
        now = now or self.now()
        if sub is not None:
            tz_name = sub.timezone
            today = local_today(now, zone(tz_name))
            since: dt.datetime | None = window_start(sub)
            window = queries.list_stories(self.store, since=since, page=1, page_size=CANDIDATE_STORIES)
            stories, total = window.items, window.total
            nxt: dt.datetime | None = self.next_delivery(sub, now=now)
        else:
            tz_name = self.settings.default_timezone
            today = day or local_today(now, zone(tz_name))
            since = None
            if day is not None:
                stories = stories_published_around(queries.stories_updated_since(self.store, None), day)
                since = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(0), dt.UTC)
                total = len(stories)
            else:
                since = None if covers else now - FIRST_LOOKBACK
                window = queries.list_stories(self.store, since=since, page=1, page_size=CANDIDATE_STORIES)
                stories, total = window.items, window.total
            nxt = None
        upcoming = queries.upcoming_events(self.store, today=today, days=UPCOMING_DAYS)
        briefing = summarise(stories, today=today, now=now, since=since, upcoming=upcoming,
                             timezone=tz_name, next_delivery=nxt, window_total=total)
        if sub is not None:
            briefing = for_reader(self.store, briefing, sub.chat_id, stories, today=today, now=now,
                                  since=since)
        return briefing.model_copy(update={"late": late, "covers": covers})

    def briefing_messages(self, sub: Subscriber | None, fmt: Format, *, day: dt.date | None = None,
                          late: bool = False, covers: str | None = None) -> list[str]:
        return self.renderer.briefing(self.briefing(sub, day=day, late=late, covers=covers), fmt)

    # --- deliveries ----------------------------------------------------------------------------

    def due_deliveries(self) -> list[PlannedDelivery]:
        """Who is due a scheduled briefing now (and missed ones to record as skipped).

        Only subscribers whose `next_due_at` has come are read (an index range, a page at a time),
        with the delivery records of just those chats; afterwards each one's `next_due_at` moves to
        its next unrecorded day, so a subscriber is looked at around their own time only.
        """
        now = self.now()
        grace = dt.timedelta(minutes=self.settings.grace_minutes)
        days = dates_in_play(now)
        plans: list[PlannedDelivery] = []
        moves: list[tuple[int, dt.datetime]] = []
        after = None
        while page := subscribers.due_subscribers(self.store, now, after=after, limit=DUE_PAGE):
            after = page[-1][1]
            existing = deliveries.delivery_keys(self.store, days, chats=[sub.chat_id for sub, _ in page])
            planned = plan_deliveries(now, [s for s, _ in page if s.chat_type != "console"], existing, grace)
            kept = keep_delivery_days(self.store, planned)
            # A day the reader gets no briefing (weekly, weekdays), or one missed past the grace
            # (recorded as skipped right after), counts as done for the index.
            passed = {p.key for p in planned} - {p.key for p in kept if p.skip_reason is None}
            done: dict[int, set[dt.date]] = {}
            for chat, day in existing | passed:
                done.setdefault(chat, set()).add(day)
            for sub, (current, _) in page:
                due = (next_due(sub, now, done.get(sub.chat_id, set())) if sub.chat_type != "console"
                       else now + dt.timedelta(days=1))
                if due != current:
                    moves.append((sub.chat_id, due))
            plans.extend(kept)
        subscribers.set_next_due(self.store, moves)
        plans.sort(key=lambda p: (p.due, p.chat_id))
        return plans

    def deliverable(self) -> list[Subscriber]:
        """Active subscribers a briefing can be sent to (the local console's own chat is not one)."""
        return [s for s in subscribers.list_active(self.store) if s.chat_type != "console"]

    def claim(self, chat_id: int, local_date: dt.date, *, late: bool = False) -> bool:
        """Claim (committed) the day's slot before sending; False when someone already has it."""
        return deliveries.claim_delivery(self.store, chat_id, local_date, self.now(), late=late,
                                         worker=self.worker_id, lease=self.lease)

    def claim_due(self, plans: Sequence[PlannedDelivery]) -> list[tuple[Claim, Subscriber]]:
        """Claim, in one transaction, the planned slots nobody holds yet (of still-active subscribers)."""
        slots = [Slot(chat_id=p.chat_id, local_date=p.local_date, late=p.late) for p in plans]
        return deliveries.claim_batch(self.store, slots, self.now(), worker=self.worker_id, lease=self.lease)

    def reclaim_stale(self, limit: int = 500) -> list[tuple[Claim, Subscriber]]:
        """Claims left behind by a stopped process (lease over, or any other's under the SQLite lock)."""
        return deliveries.reclaim_stale(self.store, self.now(), worker=self.worker_id, lease=self.lease,
                                        limit=limit, foreign=self.exclusive_sender)

    def claim_slots(self, slots: Sequence[tuple[int, dt.date]]) -> list[tuple[Claim, Subscriber]]:
        """Claim these (chat, local day) slots of active subscribers that nobody holds yet."""
        keys = [Slot(chat_id=chat, local_date=day) for chat, day in slots]
        return deliveries.claim_batch(self.store, keys, self.now(), worker=self.worker_id, lease=self.lease)

    def held_claims(self, slots: Sequence[tuple[int, dt.date]]) -> list[tuple[Claim, Subscriber]]:
        """The claims this process holds for `slots`."""
        keys = [Slot(chat_id=chat, local_date=day) for chat, day in slots]
        return deliveries.load_claims(self.store, keys, worker=self.worker_id)

    def renew_claim(self, chat_id: int, local_date: dt.date) -> bool:
        """Extend this process's claim; False when another process took it over."""
        return deliveries.renew_lease(self.store, chat_id, local_date, worker=self.worker_id, now=self.now(),
                                      lease=self.lease)

    def renew_claims(self, keys: Collection[tuple[int, dt.date]]) -> set[tuple[int, dt.date]]:
        """The heartbeat: renew every claim in `keys` this process holds; the ones it still holds."""
        return deliveries.renew_leases(self.store, keys, worker=self.worker_id, now=self.now(),
                                       lease=self.lease)

    def start_send(self, chat_id: int, local_date: dt.date) -> bool:
        """Fence a request: the claim is still this process's (now marked in flight), or False."""
        return deliveries.start_send(self.store, chat_id, local_date, worker=self.worker_id, now=self.now(),
                                     lease=self.lease)

    def release_claims(self, slots: Sequence[tuple[int, dt.date]]) -> None:
        """Give back claims of this process: unsent ones as if never claimed (the next run retries
        them), begun ones for any process to take over at once."""
        deliveries.release_claims(self.store, [Slot(chat_id=c, local_date=d) for c, d in slots],
                                  worker=self.worker_id)

    def abandoned(self, claim: Claim, sub: Subscriber) -> bool:
        """A taken-over claim whose time plus the grace period is past: too old to send now."""
        due = due_at(claim.local_date, sub.delivery_time, zone(sub.timezone))
        return self.now() - due > dt.timedelta(minutes=self.settings.grace_minutes)

    def record_progress(self, chat_id: int, local_date: dt.date, message_ids: Sequence[int]) -> None:
        deliveries.mark_progress(self.store, chat_id, local_date, message_ids)

    def record_attempt(self, chat_id: int, local_date: dt.date, error: str, *, ambiguous: bool,
                       counted: bool = True) -> None:
        deliveries.mark_attempt(self.store, chat_id, local_date, error, ambiguous=ambiguous, counted=counted)

    def record_sent(self, chat_id: int, local_date: dt.date, message_ids: Sequence[int], *,
                    covered_until: dt.datetime | None = None) -> None:
        deliveries.mark_sent(self.store, chat_id, local_date, list(message_ids), self.now(),
                             covered_until=covered_until)

    def record_failed(self, chat_id: int, local_date: dt.date, error: str, *,
                      status: DeliveryStatus = "failed") -> None:
        deliveries.mark_failed(self.store, chat_id, local_date, error, self.now(), status=status)

    def record_skipped(self, plans: Sequence[PlannedDelivery]) -> int:
        """Record missed briefings as skipped (one statement per 500); how many were new."""
        recorded = 0
        for start in range(0, len(plans), 500):
            batch = [(Slot(chat_id=p.chat_id, local_date=p.local_date, late=True), p.skip_reason or "skipped")
                     for p in plans[start:start + 500]]
            for slot in deliveries.record_skipped(self.store, batch, self.now()):
                log.debug("skipped chat=%s date=%s", slot.chat_id, slot.local_date)
                recorded += 1
        if recorded:
            log.info("skipped missed briefings count=%d", recorded)
        return recorded

    def claim_today_for_all(self) -> list[tuple[Subscriber, dt.date]]:
        """`/post_now`: today's slot of every active subscriber with nothing recorded for it yet.

        The broadcast claims them a batch at a time as it sends (`claim_slots`), so no claim waits
        long in this process; a slot another process takes meanwhile is simply not sent from here.
        """
        now = self.now()
        slots = [(sub, local_today(now, zone(sub.timezone))) for sub in self.deliverable()]
        recorded = deliveries.delivery_keys(self.store, sorted({day for _, day in slots}))
        return [(sub, day) for sub, day in slots if (sub.chat_id, day) not in recorded]

    def delivery_messages(self, sub: Subscriber, *, at: dt.datetime, late: bool = False,
                          fmt: Format = "html", memo: BriefingMemo | None = None) -> list[str]:
        """The briefing `sub` gets when composed at `at`; in one broadcast, subscribers with the same
        window, zone and time share one rendering through `memo`."""
        key = (sub.timezone, sub.delivery_time, window_start(sub), sub.language, late, fmt,
               follow_store.reader_key(self.store, sub.chat_id))
        if memo is not None and (hit := memo.get(key)) is not None:
            return hit
        messages = self.renderer.briefing(self.briefing(sub, late=late, now=at), fmt)
        if memo is not None:
            memo.put(key, messages)
        return messages

    def delivery_counts(self, days: int = 7) -> list[DayCounts]:
        """Deliveries sent, failed, pending and ambiguous per local day, the last `days` days."""
        since = self.now().date() - dt.timedelta(days=days)
        return deliveries.delivery_counts(self.store, since)

    def subscriber_gone(self, chat_id: int, reason: str) -> None:
        """The chat blocked the bot or vanished: stop deliveries, keep settings for a new /start."""
        subscribers.deactivate(self.store, chat_id, reason)

    def chat_migrated(self, old_chat_id: int, new_chat_id: int) -> None:
        subscribers.migrate_chat(self.store, old_chat_id, new_chat_id)
        follow_store.migrate_chat(self.store, old_chat_id, new_chat_id)

    # --- admin: ingestion and feeds -------------------------------------------------------------

    def extractor(self) -> ArticleExtractor:
        if self._extractor is None:
            # Built on first use: loading the pipeline costs time a command-only process never needs.
            from briefings.extract.pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor

    def ingest_sources(self, sources: Sequence[str]) -> IngestReport:
        """Files, folders and http(s) URLs into the store; each failure is one line in the report."""
        return self.ingest_reads(self.read_sources(sources))

    def read_sources(self, sources: Sequence[str]) -> list[RawDocument | ReadFailure]:
        """Read files and fetch URLs (the network part of an ingest); nothing is stored yet."""
        from briefings.ingest.fetch import FetchPolicy
        from briefings.ingest.sources import read_paths

        policy = FetchPolicy(max_bytes=SOURCE_LIMIT, allow_private=self.settings.allow_private_urls)
        return list(read_paths(list(sources), max_bytes=SOURCE_LIMIT, policy=policy))

    def ingest_upload(self, filename: str, data: bytes) -> IngestReport:
        """An uploaded `.txt`, `.html` or `.json` file, read through the same path as a file on disk."""
        name = Path(filename.replace("\\", "/")).name or "upload.txt"
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise InputError("Send a .txt, .html or .json file.")
        if len(data) > UPLOAD_LIMIT:
            raise InputError(f"That file is too big: the limit is {UPLOAD_LIMIT // 1_000_000} MB.")
        with tempfile.TemporaryDirectory(prefix="briefbot-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            reads = self.read_sources([str(path)])
        articles = sum(1 for read in reads if isinstance(read, RawDocument))
        if articles > UPLOAD_ARTICLES:
            raise InputError(f"That file holds {articles} articles; the bot takes at most {UPLOAD_ARTICLES} "
                             "at a time: split it, or run `briefbot ingest` on the server.")
        return self.ingest_reads(reads)

    def ingest_reads(self, reads: Iterable[RawDocument | ReadFailure]) -> IngestReport:
        """Documents already read, extracted and stored (the CPU part of an ingest)."""
        from briefings.anchoring import extract_documents

        today = local_today(self.now(), zone(self.settings.default_timezone))
        facts, failed = extract_documents(reads, self.extractor(), today)
        report = ingest(self.store, facts, self.now()) if facts else IngestReport()
        report.failed.extend(failed)
        log.info("ingested added=%d replaced=%d unchanged=%d failed=%d", len(report.added),
                 len(report.replaced), len(report.unchanged), len(report.failed))
        return report

    def add_feed(self, url: str, added_by: int | None) -> None:
        feeds.add_feed(self.store, url, added_by, self.now())

    def list_feeds(self) -> list[str]:
        return list(feeds.list_feeds(self.store))

    def remove_feed(self, url: str) -> None:
        feeds.remove_feed(self.store, url)

    def poll_feeds(self) -> IngestReport:
        """Fetch every registered feed that is due and ingest its entries; a feed that fails is one
        line in the report and the others go on. Each feed is claimed first, so several bot and worker
        processes share the feeds; ingest is idempotent, so entries already stored change nothing."""
        from briefings.errors import FetchError
        from briefings.ingest.fetch import FetchPolicy, fetch_documents

        policy = FetchPolicy(max_bytes=SOURCE_LIMIT, allow_private=self.settings.allow_private_urls)
        reads: list[RawDocument | ReadFailure] = []
        failed: list[tuple[str, str]] = []
        every = dt.timedelta(minutes=max(self.settings.feeds_poll_minutes, 1))
        for url in feeds.claim_due_feeds(self.store, self.now(), every):
            try:
                reads.extend(fetch_documents(url, policy))
            except FetchError as error:
                failed.append((url, str(error)))
        report = self.ingest_reads(reads)
        report.failed.extend(failed)
        return report

    def stats(self) -> StoreStats:
        return queries.stats(self.store)


def window_start(sub: Subscriber) -> dt.datetime:
    """Where a subscriber's next briefing starts: their last one, or a week before they joined."""
    return sub.last_briefing_at or (sub.created_at - FIRST_LOOKBACK)


class BriefingMemo:
    """Rendered briefings by window, zone and time, for one broadcast; the oldest go past `size`.
    Broadcasts compose in worker threads, hence the lock."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> list[str] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, messages: list[str]) -> None:
        with self._lock:
            self._items[key] = messages
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def stories_published_around(stories: Iterable[Story], day: dt.date) -> list[Story]:
    """Stories with an article published on `day` or the day before (the CLI's `--date`)."""
    start = day - dt.timedelta(days=1)
    kept = []
    for story in stories:
        first = story.first_published or story.last_published
        last = story.last_published or story.first_published
        if first is not None and last is not None and first <= day and last >= start:
            kept.append(story)
    return kept
