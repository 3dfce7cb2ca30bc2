"""Broadcasts: claims taken a batch at a time as sending slots free up, kept alive by a heartbeat.

- A batch is claimed only when every claim of the one before has started, and a batch is never
  larger than a third of the lease's worth of messages at the configured rate
  (`DeliveryPolicy.claims_per_batch`): claims do not wait long in this process.
- A heartbeat renews the lease of every claim this broadcast holds (queued, sending, in a flood
  wait or a backoff) every third of the lease, in a few statements. So a live process never loses
  a claim to another one; only one that stopped renewing (crashed, killed, cut off) does.
- `policy.concurrency` deliveries send at once; one that waits (a chat's flood wait, a backoff,
  the pause between parts to one chat) gives its slot to the next, so one slow chat never holds
  up the others.
- Progress goes to the log every few seconds ("2,400 / 10,000 sent, 3 waiting on flood
  control") and to an optional hook (`/post_now` edits its notice with it).
- On stop (SIGTERM) no new claim is taken; claims not yet begun are given back, briefings begun
  are finished. A database outage makes every store call wait on one shared backoff; if it lasts,
  the broadcast ends, gives back what it can, and raises `StoreError` for the caller to retry.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bot.delivery import Composer, Outcome, Sender, deliver
from briefings.core import Core
from briefings.errors import StoreError
from briefings.schedule import PlannedDelivery
from briefings.store.deliveries import Claim
from briefings.store.views import Subscriber

log = logging.getLogger(__name__)

Work = tuple[Claim, Subscriber]
Key = tuple[int, dt.date]
NextBatch = Callable[[], list[Work]]
PROGRESS_EVERY_S = 10.0


class ComposeFailed(Exception):
    """The briefing could not be composed (a bug or a store failure, not about one subscriber)."""


@dataclass
class Progress:
    """Where a broadcast stands; `total` grows when abandoned claims are taken over."""

    total: int
    tally: Counter[Outcome] = field(default_factory=Counter)
    waiting: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def ended(self) -> int:
        return sum(self.tally.values())

    def line(self) -> str:
        """"2,400 / 10,000 sent, 3 waiting on flood control" (+ failures, when there are any)."""
        text = f"{self.tally['sent']:,} / {self.total:,} sent"
        others = self.ended - self.tally["sent"]
        if others:
            text += f", {others:,} not sent"
        if self.waiting:
            text += f", {self.waiting:,} waiting on flood control"
        return text


ProgressHook = Callable[[Progress], Awaitable[None]]


async def deliver_all(sender: Sender, core: Core, next_batch: NextBatch, *, total: int,
                      on_progress: ProgressHook | None = None,
                      every: float = PROGRESS_EVERY_S) -> Counter[Outcome]:
    """Deliver every claim `next_batch` hands out (called again while it returns claims).

    If the briefing itself cannot be composed, the broadcast stops: the claims not yet sent are
    given back (the next run tries again, until the grace period is over), the briefings already
    on their way finish, and `ComposeFailed` is raised.
    """
    slots = asyncio.Semaphore(max(1, sender.policy.concurrency))
    composer = Composer(core, core.now())
    progress = Progress(total=total)
    held: set[Key] = set()       # claimed by this broadcast and not yet ended
    broken: list[BaseException] = []
    store_down: list[StoreError] = []

    def halted() -> bool:
        return bool(broken) or bool(store_down) or sender.stopping.is_set()

    async def give_back(keys: Sequence[Key]) -> None:
        try:
            await sender.store.call(core.release_claims, list(keys))
        except StoreError as error:
            sender.orphans.update(keys)  # the next run gives them back
            log.warning("could not give back %d claim(s): %s", len(keys), error)
        held.difference_update(keys)

    async def one(claim: Claim, sub: Subscriber) -> None:
        outcome: Outcome = "released"
        try:
            if not halted():
                try:
                    # In a thread (it reads the store): the loop keeps sending meanwhile, and a
                    # database outage waits on the shared backoff instead of stopping the run.
                    parts = await sender.store.call(composer.messages, sub, claim.late)
                except StoreError as error:
                    log.error("briefing not composed, the database is down chat=%s: %s", claim.chat_id,
                              error)
                    store_down.append(error)
                except Exception as error:
                    log.exception("briefing could not be composed chat=%s date=%s", claim.chat_id,
                                  claim.local_date)
                    broken.append(error)
                else:
                    outcome = await _deliver_one(sender, core, claim, sub, composer, parts, slots)
        finally:
            slots.release()
        if outcome == "released":
            await give_back([claim.key])
        elif outcome != "stuck":
            held.discard(claim.key)
        progress.tally[outcome] += 1

    async def produce(group: asyncio.TaskGroup) -> None:
        while not halted():
            try:
                batch = await sender.store.call(next_batch)
            except StoreError as error:
                store_down.append(error)
                return
            if not batch:
                return
            progress.total = total + getattr(next_batch, "taken_over", 0)
            held.update(claim.key for claim, _ in batch)
            for index, (claim, sub) in enumerate(batch):
                await slots.acquire()
                if halted():
                    slots.release()
                    await give_back([c.key for c, _ in batch[index:]])
                    return
                group.create_task(one(claim, sub))

    async def heartbeat() -> None:
        interval = max(0.5, core.lease.total_seconds() / 3)
        missing: set[Key] = set()
        while True:
            await asyncio.sleep(interval)
            keys = set(held)
            if not keys:
                continue
            try:
                kept = await asyncio.to_thread(core.renew_claims, keys)
            except StoreError as error:
                log.warning("lease renewal failed for %d claim(s): %s", len(keys), error)
                continue
            # A claim confirmed while the renewal ran is missing once; one missing twice was lost.
            lost = (keys - kept) & held & missing
            missing = (keys - kept) & held
            if lost:  # their sends are fenced off (`start_send`); say so
                log.warning("%d claim(s) no longer held (taken over after a missed renewal)", len(lost))

    async def report() -> None:
        while True:
            await asyncio.sleep(every)
            await _report(progress, sender, on_progress)

    background = [asyncio.create_task(heartbeat()), asyncio.create_task(report())]
    try:
        async with asyncio.TaskGroup() as group:
            await produce(group)
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        if held:
            await give_back(sorted(held))
    if progress.ended:
        await _report(progress, sender, on_progress)
    tally = Counter({k: v for k, v in progress.tally.items() if v})
    if broken:
        raise ComposeFailed(f"broadcast stopped after {tally['sent']} briefing(s)") from broken[0]
    if store_down:
        raise store_down[0]
    return tally


async def _deliver_one(sender: Sender, core: Core, claim: Claim, sub: Subscriber, composer: Composer,
                       parts: Sequence[str], slot: asyncio.Semaphore) -> Outcome:
    try:
        return await deliver(sender, core, claim, sub, composer, parts=parts, slot=slot)
    except StoreError as error:
        # The database stayed down through every retry: the claim stays ours until the broadcast
        # ends and gives it back (a request may be out: then its taker flags it).
        log.error("delivery not recorded chat=%s date=%s: %s", claim.chat_id, claim.local_date, error)
        return "stuck"
    except Exception:
        # A bug for one subscriber must not stop the broadcast: record it and go on.
        log.exception("delivery crashed chat=%s date=%s", claim.chat_id, claim.local_date)
        try:
            await sender.store.call(core.record_failed, claim.chat_id, claim.local_date,
                                    "internal error while sending")
        except StoreError:
            return "stuck"
        return "failed"


async def _report(progress: Progress, sender: Sender, hook: ProgressHook | None) -> None:
    progress.waiting = sender.flood_waiting
    log.info("broadcast progress: %s", progress.line())
    if hook is not None:
        try:
            await hook(progress)
        except Exception as error:  # a progress notice is a nicety: never a reason to stop
            log.info("progress notice not updated: %s", type(error).__name__)


class _DueBatches:
    """The planner's claims: first the ones stopped processes left, then the due slots, a batch at a
    time. A call that fails (the database) can be repeated: it moves on only after a success."""

    def __init__(self, core: Core, plans: Sequence[PlannedDelivery], size: int) -> None:
        self.core, self.plans, self.size = core, plans, max(1, size)
        self.next = 0
        self.stale_done = False
        self.taken_over = 0

    def __call__(self) -> list[Work]:
        if not self.stale_done:
            taken = self.core.reclaim_stale(limit=self.size)
            if taken:
                self.taken_over += len(taken)
                log.warning("taking over %d claim(s) a stopped process left", len(taken))
                return taken
            self.stale_done = True
        while self.next < len(self.plans):
            claimed = self.core.claim_due(self.plans[self.next:self.next + self.size])
            self.next += self.size
            if claimed:
                return claimed
        return []


class _SlotBatches:
    """`/post_now`'s slots, claimed a batch at a time as the broadcast needs them."""

    def __init__(self, core: Core, slots: Sequence[Key], size: int) -> None:
        self.core, self.slots, self.size = core, slots, max(1, size)
        self.next = 0

    def __call__(self) -> list[Work]:
        while self.next < len(self.slots):
            claimed = self.core.claim_slots(self.slots[self.next:self.next + self.size])
            self.next += self.size
            if claimed:
                return claimed
        return []


def batch_size(sender: Sender, core: Core) -> int:
    return sender.policy.claims_per_batch(core.settings.rate_per_second, core.lease)


async def give_back_orphans(sender: Sender, core: Core) -> None:
    """Claims an earlier run could not give back (the database was down): give them back now."""
    if sender.orphans:
        keys = sorted(sender.orphans)
        await sender.store.call(core.release_claims, keys)
        sender.orphans.difference_update(keys)
        log.info("gave back %d claim(s) left from an earlier run", len(keys))


async def run_due(sender: Sender, core: Core) -> Counter[Outcome]:
    """The planner tick: take over abandoned claims, then claim and send every briefing now due;
    missed ones are recorded as skipped. Returns how the deliveries ended."""
    await give_back_orphans(sender, core)
    plans = await sender.store.call(core.due_deliveries)
    skipped = [p for p in plans if p.skip_reason is not None]
    if skipped:
        await sender.store.call(core.record_skipped, skipped)
    due = [p for p in plans if p.skip_reason is None]
    batches = _DueBatches(core, due, batch_size(sender, core))
    tally = await deliver_all(sender, core, batches, total=len(due))
    if tally:
        log.info("broadcast done %s", " ".join(f"{k}={v}" for k, v in sorted(tally.items())))
    return tally


async def broadcast(sender: Sender, core: Core, slots: Sequence[Key], *,
                    on_progress: ProgressHook | None = None) -> tuple[int, int]:
    """Send the briefings of `/post_now`'s slots, claiming them as it goes; (sent, not sent)."""
    batches = _SlotBatches(core, slots, batch_size(sender, core))
    tally = await deliver_all(sender, core, batches, total=len(slots), on_progress=on_progress)
    sent = tally["sent"]
    return sent, len(slots) - sent
