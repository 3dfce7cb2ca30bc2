"""The delivery planner: who is due a briefing now, as a pure function of (now, subscribers, deliveries).

One repeating job calls `plan_deliveries` every minute instead of keeping one timer per subscriber:
nothing is rebuilt at start-up, a restart loses nothing (the deliveries table remembers what went
out), and settings changes apply at the next tick. A delivery is keyed by (chat, local date), so a
subscriber gets at most one scheduled briefing per local day, whatever the clock does.

Local times are resolved with zoneinfo. On a spring-forward day a time inside the gap (02:30 when
clocks jump from 02:00 to 03:00) moves forward by the gap (03:30); on a fall-back day an ambiguous
time (01:30 twice) is the first occurrence. Either way there is exactly one due instant per day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from functools import cache
from typing import Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from briefings.errors import InputError

DeliveryKey = tuple[int, dt.date]

# A briefing sent this long after its time is "late" (the planner ticks every minute).
LATE_AFTER = dt.timedelta(minutes=5)


class Scheduled(Protocol):
    """What the planner needs of a subscriber (the store's `Subscriber` has it)."""

    @property
    def chat_id(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def delivery_time(self) -> dt.time: ...
    @property
    def active(self) -> bool: ...
    @property
    def created_at(self) -> dt.datetime: ...


class PlannedDelivery(BaseModel):
    """A briefing to send now (`skip_reason` None) or a missed one to record as skipped."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    local_date: dt.date
    due: dt.datetime
    late: bool = False
    skip_reason: str | None = None

    @property
    def key(self) -> DeliveryKey:
        return (self.chat_id, self.local_date)


@cache
def zone(name: str) -> ZoneInfo:
    """The zone for an IANA name; `InputError` for an unknown one."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise InputError(f"unknown timezone {name!r}: use a name such as Europe/Berlin") from error


def due_at(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of local `at` on `day`: gaps move forward, repeated times take the first."""
    naive = dt.datetime.combine(day, at.replace(tzinfo=None))
    # fold=0 reads a gap time with the offset from before the jump, which lands it the same distance
    # past the gap (02:30 -> 03:30), and picks the first of two repeated times.
    return naive.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)


def local_today(now: dt.datetime, tz: ZoneInfo) -> dt.date:
    return _utc(now).astimezone(tz).date()


def next_delivery(now: dt.datetime, timezone: str, at: dt.time, *, sent_today: bool = False) -> dt.datetime:
    """The next instant a briefing is due for these settings (UTC), after `now`."""
    tz = zone(timezone)
    now_utc = _utc(now)
    day = local_today(now_utc, tz)
    for offset in range(0, 3):
        candidate_day = day + dt.timedelta(days=offset)
        due = due_at(candidate_day, at, tz)
        if due > now_utc and not (offset == 0 and sent_today):
            return due
    return due_at(day + dt.timedelta(days=3), at, tz)


def plan_deliveries(
    now: dt.datetime,
    subscribers: Iterable[Scheduled],
    existing: Collection[DeliveryKey],
    grace: dt.timedelta,
    *,
    late_after: dt.timedelta = LATE_AFTER,
) -> list[PlannedDelivery]:
    """Everything due at `now` and not yet recorded in `existing`.

    Args:
        now: the current instant (aware; converted to UTC).
        subscribers: active subscribers (inactive ones are ignored).
        existing: (chat_id, local_date) of every delivery already claimed, sent, failed or skipped.
        grace: a briefing missed by up to this much is still sent, marked late; older ones come back
            with `skip_reason` so the caller records them and they are not planned again.
        late_after: how long after its time a briefing counts as late.

    Today's and yesterday's local dates are both considered, so a late-evening briefing missed
    across local midnight is still found.
    """
    now_utc = _utc(now)
    plans: list[PlannedDelivery] = []
    for sub in subscribers:
        if not sub.active:
            continue
        tz = zone(sub.timezone)
        today = local_today(now_utc, tz)
        joined = _utc(sub.created_at)
        for day in (today - dt.timedelta(days=1), today):
            if (sub.chat_id, day) in existing:
                continue
            due = due_at(day, sub.delivery_time, tz)
            if due > now_utc or due < joined:
                continue  # not yet due, or due before they subscribed: nothing is owed
            missed_by = now_utc - due
            if missed_by > grace:
                plans.append(PlannedDelivery(
                    chat_id=sub.chat_id, local_date=day, due=due, late=True,
                    skip_reason=f"missed by {_span(missed_by)} (grace {_span(grace)})"))
            else:
                plans.append(PlannedDelivery(chat_id=sub.chat_id, local_date=day, due=due,
                                             late=missed_by > late_after))
    plans.sort(key=lambda p: (p.due, p.chat_id))
    return plans


def next_due(sub: Scheduled, now: dt.datetime, recorded: Collection[dt.date]) -> dt.datetime:
    """The earliest instant a briefing may be due for `sub`: the time of the first local day from
    yesterday on with nothing `recorded` and not before they joined. At or before `now` means due
    now (the planner decides: send, late, or skip); the planner's index never looks earlier."""
    tz = zone(sub.timezone)
    today = local_today(now, tz)
    joined = _utc(sub.created_at)
    for offset in range(-1, 3):
        day = today + dt.timedelta(days=offset)
        due = due_at(day, sub.delivery_time, tz)
        if day not in recorded and due >= joined:
            return due
    return due_at(today + dt.timedelta(days=3), sub.delivery_time, tz)


def dates_in_play(now: dt.datetime) -> list[dt.date]:
    """Every local date some zone can be on (or just past) at `now`: the deliveries worth loading."""
    day = _utc(now).date()
    return [day + dt.timedelta(days=offset) for offset in (-2, -1, 0, 1)]


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        # Stored times are UTC; SQLite hands them back naive.
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}h {minutes}m"
    return f"{hours}h" if hours else f"{minutes}m"
