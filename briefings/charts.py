"""Charts as data: deal amounts by country or party in one currency, and facts on a time axis.

Pure: deals, meetings and events come in, a chart spec (a pydantic model) goes out; drawing it is
`briefings.chart_render`. A spec holds everything the picture shows, so its hash is the render
cache key. A deal counts once under each country (or party) it involves; amounts are converted
at the dated reference rates (`briefings.rates`), and a deal whose currency has no rate is left
out and counted in the caption.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Literal

import pycountry
from pydantic import BaseModel, Field

from briefings.models import DateValue, Evidence, StoryDeal, StoryEvent, StoryMeeting
from briefings.rates import RateTable
from briefings.stories.keys import country_key

GroupBy = Literal["country", "party"]
MAX_BARS = 12
MAX_POINTS = 60


class Bar(BaseModel):
    label: str
    value: float
    deals: int


class DealsChart(BaseModel):
    kind: Literal["deals"] = "deals"
    title: str
    by: GroupBy
    currency: str
    rates_date: dt.date
    rates: dict[str, float] = Field(default_factory=dict)  # the conversions actually used
    bars: list[Bar]
    other: int = 0  # groups past MAX_BARS
    deals: int
    sources: int
    unconverted: int = 0  # deals left out: no rate for their currency


class Point(BaseModel):
    day: dt.date
    precision: Literal["year", "month", "day"]
    lane: Literal["meeting", "deal", "event"]
    label: str


class TimelineChart(BaseModel):
    kind: Literal["timeline"] = "timeline"
    title: str
    points: list[Point]
    more: int = 0
    sources: int
    undated: int = 0


Chart = DealsChart | TimelineChart


def chart_hash(chart: Chart) -> str:
    """The content hash a render is cached under."""
    return hashlib.sha256(chart.model_dump_json().encode()).hexdigest()


def _sources(evidence: Sequence[Evidence]) -> set[str]:
    return {ev.article_id for ev in evidence}


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    return str(getattr(country, "common_name", None) or getattr(country, "name", code)) if country else code


def deals_chart(deals: Sequence[StoryDeal], countries: Mapping[str, Sequence[str]], table: RateTable, *,
                by: GroupBy = "country", title: str = "Deal amounts") -> DealsChart | None:
    """Amounts per country (or party) in the table's base currency; None when no deal has an amount."""
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    used: dict[str, float] = {}
    sources: set[str] = set()
    shown = unconverted = 0
    for deal in deals:
        if deal.amount is None:
            continue
        value = table.convert(deal.amount.value, deal.amount.currency)
        if value is None:
            unconverted += 1
            continue
        groups = _groups(deal, countries.get(deal.id, ()), by)
        if not groups:
            continue
        shown += 1
        sources |= _sources(deal.sources)
        if deal.amount.currency.upper() != table.base:
            used[deal.amount.currency.upper()] = table.rates[deal.amount.currency.upper()]
        for group in groups:
            totals[group] = totals.get(group, 0.0) + value
            counts[group] = counts.get(group, 0) + 1
    if not totals:
        return None
    ranked = sorted(totals, key=lambda g: (-totals[g], g))
    bars = [Bar(label=g, value=totals[g], deals=counts[g]) for g in ranked[:MAX_BARS]]
    return DealsChart(title=title, by=by, currency=table.base, rates_date=table.date,
                      rates=dict(sorted(used.items())), bars=bars, other=max(len(ranked) - MAX_BARS, 0),
                      deals=shown, sources=len(sources),
                      unconverted=unconverted)


def _groups(deal: StoryDeal, codes: Sequence[str], by: GroupBy) -> list[str]:
    if by == "party":
        return sorted(set(deal.parties))
    found = set(codes) | {c for p in deal.parties if (c := country_key(p))}
    return sorted({country_name(c) for c in found})


def _point(date: DateValue, lane: Literal["meeting", "deal", "event"], label: str) -> Point:
    return Point(day=date.first_day(), precision=date.precision, lane=lane, label=label[:60])


def timeline_chart(meetings: Sequence[StoryMeeting], deals: Sequence[StoryDeal], events: Sequence[StoryEvent],
                   *, title: str) -> TimelineChart | None:
    """Dated meetings, deals and events in date order; None when nothing is dated."""
    points: list[Point] = []
    sources: set[str] = set()
    undated = 0
    for m in meetings:
        if m.date is None:
            undated += 1
            continue
        points.append(_point(m.date, "meeting", f"{m.kind}: {', '.join(m.participants[:2])}"))
        sources |= _sources(m.sources)
    for d in deals:
        if d.date is None:
            undated += 1
            continue
        points.append(_point(d.date, "deal", f"{d.kind.replace('_', ' ')}: {', '.join(d.parties[:2])}"))
        sources |= _sources(d.sources)
    for e in events:
        points.append(_point(e.date, "event", e.what))
        sources |= _sources(e.sources)
    if not points:
        return None
    points.sort(key=lambda p: (p.day, p.lane, p.label))
    return TimelineChart(title=title, points=points[-MAX_POINTS:], more=max(len(points) - MAX_POINTS, 0),
                         sources=len(sources), undated=undated)


def caption(chart: Chart) -> str:
    """Plain text under the photo (Telegram allows 1,024 characters): what it shows, from how many
    sources, and for deals the rates it used."""
    if isinstance(chart, DealsChart):
        parts = [f"{chart.title}: {chart.deals} deal{'s' * (chart.deals != 1)} by {chart.by}, in "
                 f"{chart.currency}, from {chart.sources} source{'s' * (chart.sources != 1)}."]
        if chart.rates:
            rates = ", ".join(f"1 {code} = {rate:g} {chart.currency}" for code, rate in chart.rates.items())
            parts.append(f"Converted at reference rates of {chart.rates_date.isoformat()}: {rates}.")
        if chart.by == "country":
            parts.append("A deal counts under each country it involves.")
        if chart.unconverted:
            parts.append(f"{chart.unconverted} deal(s) left out: no rate for their currency.")
        if chart.other:
            parts.append(f"{chart.other} smaller group(s) not shown.")
    else:
        count = len(chart.points) + chart.more
        parts = [f"{chart.title}: {count} dated fact{'s' * (count != 1)} from {chart.sources} "
                 f"source{'s' * (chart.sources != 1)}."]
        if chart.more:
            parts.append(f"The latest {len(chart.points)} shown.")
        if chart.undated:
            parts.append(f"{chart.undated} undated fact(s) not placed.")
        parts.append("A month or a year is drawn at its first day, hollow.")
    return " ".join(parts)[:1024]
