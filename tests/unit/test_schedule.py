"""The delivery planner: local times across zones and DST days, grace, late, no duplicates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from briefings.errors import InputError
from briefings.schedule import due_at, next_delivery, plan_deliveries, zone

GRACE = dt.timedelta(hours=2)
UTC = dt.UTC


class Sub(BaseModel):
    chat_id: int
    timezone: str
    delivery_time: dt.time
    active: bool = True
    created_at: dt.datetime = dt.datetime(2020, 1, 1, tzinfo=UTC)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("zone_name", "day", "at", "expected_utc"), [
    ("Europe/Berlin", dt.date(2025, 7, 1), dt.time(8, 0), utc(2025, 7, 1, 6, 0)),
    ("Europe/Berlin", dt.date(2025, 1, 15), dt.time(8, 0), utc(2025, 1, 15, 7, 0)),
    # Spring forward (02:00 -> 03:00): 02:30 does not exist and moves forward to 03:30 CEST.
    ("Europe/Berlin", dt.date(2025, 3, 30), dt.time(2, 30), utc(2025, 3, 30, 1, 30)),
    ("Europe/Berlin", dt.date(2025, 3, 30), dt.time(8, 0), utc(2025, 3, 30, 6, 0)),
    # Fall back (03:00 -> 02:00): 02:30 happens twice; the first one counts.
    ("Europe/Berlin", dt.date(2025, 10, 26), dt.time(2, 30), utc(2025, 10, 26, 0, 30)),
    ("America/New_York", dt.date(2025, 3, 9), dt.time(2, 15), utc(2025, 3, 9, 7, 15)),
    ("America/New_York", dt.date(2025, 11, 2), dt.time(1, 30), utc(2025, 11, 2, 5, 30)),
    ("Asia/Kolkata", dt.date(2025, 9, 14), dt.time(7, 0), utc(2025, 9, 14, 1, 30)),
    ("Pacific/Kiritimati", dt.date(2025, 9, 14), dt.time(0, 0), utc(2025, 9, 13, 10, 0)),
])
def test_schedule_due_at_local_time(zone_name: str, day: dt.date, at: dt.time,
                                    expected_utc: dt.datetime) -> None:
    assert due_at(day, at, ZoneInfo(zone_name)) == expected_utc


def test_schedule_plans_at_the_local_instant_not_before() -> None:
    sub = Sub(chat_id=1, timezone="Europe/Berlin", delivery_time=dt.time(8, 0))
    yesterday = {(1, dt.date(2025, 6, 30))}
    assert plan_deliveries(utc(2025, 7, 1, 5, 59), [sub], yesterday, GRACE) == []
    plans = plan_deliveries(utc(2025, 7, 1, 6, 0), [sub], yesterday, GRACE)
    assert [(p.chat_id, p.local_date, p.late, p.skip_reason) for p in plans] == [
        (1, dt.date(2025, 7, 1), False, None)]


def test_schedule_existing_delivery_is_never_planned_again() -> None:
    sub = Sub(chat_id=1, timezone="Europe/Berlin", delivery_time=dt.time(8, 0))
    existing = {(1, dt.date(2025, 7, 1)), (1, dt.date(2025, 6, 30))}
    for minute in range(0, 24 * 60, 7):
        now = utc(2025, 7, 1) + dt.timedelta(minutes=minute)
        assert plan_deliveries(now, [sub], existing, GRACE) == []


@pytest.mark.parametrize(("zone_name", "at", "days"), [
    ("Europe/Berlin", dt.time(2, 30), (dt.date(2025, 3, 29), dt.date(2025, 3, 31))),   # spring forward
    ("Europe/Berlin", dt.time(2, 30), (dt.date(2025, 10, 25), dt.date(2025, 10, 27))),  # fall back
    ("America/New_York", dt.time(1, 30), (dt.date(2025, 11, 1), dt.date(2025, 11, 3))),
    ("Australia/Lord_Howe", dt.time(2, 15), (dt.date(2025, 4, 5), dt.date(2025, 4, 7))),  # 30-minute shift
])
def test_schedule_one_delivery_per_local_day_across_dst(zone_name: str, at: dt.time,
                                                        days: tuple[dt.date, dt.date]) -> None:
    """Tick every minute through a DST change, recording what is sent: once a day, at its time."""
    tz = ZoneInfo(zone_name)
    sub = Sub(chat_id=7, timezone=zone_name, delivery_time=at)
    start = dt.datetime.combine(days[0], dt.time(0), tz).astimezone(UTC)
    end = dt.datetime.combine(days[1], dt.time(23, 59), tz).astimezone(UTC)
    existing = {(7, days[0] - dt.timedelta(days=1))}
    sent: list[tuple[dt.date, dt.datetime]] = []
    now = start
    while now <= end:
        for plan in plan_deliveries(now, [sub], existing, GRACE):
            assert plan.skip_reason is None and not plan.late
            existing.add(plan.key)
            sent.append((plan.local_date, now))
        now += dt.timedelta(minutes=1)
    assert [d for d, _ in sent] == [days[0], days[0] + dt.timedelta(days=1), days[1]]
    for local_date, moment in sent:
        assert moment == due_at(local_date, at, tz)


def test_schedule_within_grace_is_sent_late() -> None:
    sub = Sub(chat_id=1, timezone="UTC", delivery_time=dt.time(8, 0))
    (plan,) = plan_deliveries(utc(2025, 7, 1, 9, 30), [sub], {(1, dt.date(2025, 6, 30))}, GRACE)
    assert plan.skip_reason is None and plan.late


def test_schedule_beyond_grace_is_skipped_with_a_reason() -> None:
    sub = Sub(chat_id=1, timezone="UTC", delivery_time=dt.time(8, 0))
    (plan,) = plan_deliveries(utc(2025, 7, 1, 11, 0), [sub], {(1, dt.date(2025, 6, 30))}, GRACE)
    assert plan.skip_reason == "missed by 3h (grace 2h)"


def test_schedule_after_downtime_yesterday_is_skipped_and_today_sent() -> None:
    sub = Sub(chat_id=1, timezone="UTC", delivery_time=dt.time(8, 0))
    plans = plan_deliveries(utc(2025, 7, 1, 8, 1), [sub], set(), GRACE)
    assert [(p.local_date, p.skip_reason is None) for p in plans] == [
        (dt.date(2025, 6, 30), False), (dt.date(2025, 7, 1), True)]


def test_schedule_yesterday_evening_missed_across_midnight_is_still_sent() -> None:
    sub = Sub(chat_id=1, timezone="Asia/Tokyo", delivery_time=dt.time(23, 50))
    now = dt.datetime(2025, 7, 2, 0, 20, tzinfo=ZoneInfo("Asia/Tokyo"))
    plans = plan_deliveries(now, [sub], set(), GRACE)
    assert [(p.local_date, p.late, p.skip_reason) for p in plans] == [(dt.date(2025, 7, 1), True, None)]


def test_schedule_nothing_owed_before_subscribing_or_when_inactive() -> None:
    joined_after = Sub(chat_id=1, timezone="UTC", delivery_time=dt.time(8, 0),
                       created_at=utc(2025, 7, 1, 9, 0))
    inactive = Sub(chat_id=2, timezone="UTC", delivery_time=dt.time(8, 0), active=False)
    assert plan_deliveries(utc(2025, 7, 1, 9, 5), [joined_after, inactive], set(), GRACE) == []


def test_schedule_plans_every_zone_at_its_own_time() -> None:
    subs = [Sub(chat_id=i, timezone=z, delivery_time=dt.time(8, 0))
            for i, z in enumerate(["Asia/Karachi", "Europe/London", "America/Chicago"], 1)]
    existing = {(i, dt.date(2025, 6, 30)) for i in (1, 2, 3)}
    due = {p.chat_id for p in plan_deliveries(utc(2025, 7, 1, 7, 0), subs, existing, GRACE)}
    assert due == {1, 2}  # Karachi (03:00 UTC) and London (07:00 UTC), not Chicago (13:00 UTC)


def test_schedule_next_delivery() -> None:
    assert next_delivery(utc(2025, 7, 1, 5, 0), "Europe/Berlin", dt.time(8, 0)) == utc(2025, 7, 1, 6, 0)
    assert next_delivery(utc(2025, 7, 1, 6, 0), "Europe/Berlin", dt.time(8, 0)) == utc(2025, 7, 2, 6, 0)
    assert next_delivery(utc(2025, 7, 1, 5, 0), "Europe/Berlin", dt.time(8, 0),
                         sent_today=True) == utc(2025, 7, 2, 6, 0)


def test_schedule_unknown_zone_is_an_input_error() -> None:
    with pytest.raises(InputError):
        zone("Mars/Olympus_Mons")


@settings(max_examples=80, deadline=None)
@given(zone_name=st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney",
                                  "America/Santiago", "UTC"]),
       at=st.times(), day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)))
def test_schedule_due_instant_is_on_its_local_day(zone_name: str, at: dt.time, day: dt.date) -> None:
    due = due_at(day, at, ZoneInfo(zone_name))
    local = due.astimezone(ZoneInfo(zone_name))
    assert local.date() == day or (local.date() == day + dt.timedelta(days=1) and at.hour == 23)
    assert local.time() >= at.replace(tzinfo=None) or local.date() > day
