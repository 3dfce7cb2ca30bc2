"""Broadcasts: a bounded pool of senders fed by claims taken a batch at a time.

A claim is taken only shortly before it is sent (the producer claims the next batch when the
queue has room), so several processes planning the same deliveries share them batch by batch, and
a claim's lease never runs out while it waits in a queue. Claims a stopped process left behind
are taken over first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from bot.delivery import Composer, Outcome, Sender, deliver
from briefings.core import Core
from briefings.schedule import PlannedDelivery
from briefings.store.deliveries import Claim
from briefings.store.views import Subscriber

log = logging.getLogger(__name__)

Work = tuple[Claim, Subscriber]


class ComposeFailed(Exception):
    """The briefing could not be composed (a bug or a store failure, not about one subscriber)."""


async def deliver_all(sender: Sender, core: Core, batches: Iterable[Sequence[Work]]) -> Counter[Outcome]:
    """Deliver every claim the batches yield (each batch is claimed when the pool needs more work).

    If the briefing itself cannot be composed, the broadcast stops: the claims not yet sent are
    released (the next run tries again, until the grace period is over), the briefings already
    on their way finish, and `ComposeFailed` is raised.
    """
    workers = max(1, sender.policy.concurrency)
    queue: asyncio.Queue[Work | None] = asyncio.Queue(maxsize=workers)
    composer = Composer(core, core.now())
    tally: Counter[Outcome] = Counter()
    stop: list[BaseException] = []

    async def release(claims: Sequence[Claim]) -> None:
        await asyncio.to_thread(core.release_claims, [(c.chat_id, c.local_date) for c in claims])

    async def produce() -> None:
        for batch in batches:
            for index, work in enumerate(batch):
                if stop:
                    await release([c for c, _ in batch[index:]])
                    break
                await queue.put(work)
            if stop:
                break
        # Only after a normal end: a failing or cancelled producer takes the workers down with it
        # (the task group cancels them), and waiting on a full queue here would never end.
        for _ in range(workers):
            await queue.put(None)

    async def work() -> None:
        while (item := await queue.get()) is not None:
            claim, sub = item
            if stop:
                await release([claim])
                continue
            try:
                parts = composer.messages(sub, claim.late)
            except Exception as error:
                log.exception("briefing could not be composed chat=%s date=%s", claim.chat_id,
                              claim.local_date)
                stop.append(error)
                await release([claim])
                continue
            try:
                outcome = await deliver(sender, core, claim, sub, composer, parts=parts)
            except Exception:
                # A bug for one subscriber must not stop the broadcast: record it and go on. (If the
                # store itself is down, recording fails too and the broadcast stops; the claims
                # wait for their lease to run out and the next run takes them over.)
                log.exception("delivery crashed chat=%s date=%s", claim.chat_id, claim.local_date)
                await asyncio.to_thread(core.record_failed, claim.chat_id, claim.local_date,
                                        "internal error while sending")
                outcome = "failed"
            tally[outcome] += 1

    async with asyncio.TaskGroup() as group:
        group.create_task(produce())
        for _ in range(workers):
            group.create_task(work())
    if stop:
        raise ComposeFailed(f"broadcast stopped after {sum(tally.values())} briefing(s)") from stop[0]
    return tally


def _stale(core: Core) -> Iterator[list[Work]]:
    while batch := core.reclaim_stale():
        log.warning("taking over %d claim(s) a stopped process left", len(batch))
        yield batch


def _due(core: Core, plans: Sequence[PlannedDelivery], size: int) -> Iterator[list[Work]]:
    for start in range(0, len(plans), max(1, size)):
        claimed = core.claim_due(plans[start:start + size])
        if claimed:
            yield claimed


async def run_due(sender: Sender, core: Core) -> Counter[Outcome]:
    """The planner tick: take over abandoned claims, then claim and send every briefing now due;
    missed ones are recorded as skipped. Returns how the deliveries ended."""
    plans = core.due_deliveries()
    core.record_skipped([p for p in plans if p.skip_reason is not None])
    due = [p for p in plans if p.skip_reason is None]

    def batches() -> Iterator[list[Work]]:
        yield from _stale(core)
        yield from _due(core, due, sender.policy.batch)

    tally = await deliver_all(sender, core, batches())
    if tally:
        log.info("broadcast done %s", " ".join(f"{k}={v}" for k, v in sorted(tally.items())))
    return tally


async def broadcast(sender: Sender, core: Core, slots: Sequence[tuple[int, dt.date]]) -> tuple[int, int]:
    """Send the briefings `/post_now` claimed; (sent, not sent)."""
    claims = core.held_claims(slots)
    tally = await deliver_all(sender, core, [claims])
    sent = tally["sent"]
    return sent, len(slots) - sent
