"""Rendering a briefing per subscriber: summarise once, render for each subscriber's zone and time.

    .venv/bin/python bench/render.py [--subscribers 2000]

A full briefing (8 stories of 4 facts each with sources, quotes and disagreements, plus coming-up
events) from synthetic stories, rendered as Telegram HTML for each subscriber (their own zone and
next delivery in the footer), split into messages. Also: summarise + render per subscriber when
each has its own window (the worst case). Target: under 5 ms per subscriber.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefings.models import (  # noqa: E402
    Claim,
    DateValue,
    Disagreement,
    Evidence,
    Money,
    StatusClaim,
    Story,
    StoryDeal,
    StoryEvent,
    StoryMeeting,
)
from briefings.render import Renderer  # noqa: E402
from briefings.schedule import next_delivery  # noqa: E402
from briefings.summarise import summarise  # noqa: E402

NOW = dt.datetime(2025, 9, 15, 6, 0, tzinfo=dt.UTC)
ZONES = ("UTC", "Europe/Berlin", "Asia/Karachi", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
OUTLETS = ("Daily Planet", "Gazette", "Courier", "Herald", "Chronicle")


def evidence(rng: random.Random, story: int, fact: int, outlet: str) -> Evidence:
    sentence = (f"Officials in story {story} said the agreement number {fact} was signed after talks & "
                f"<consultations> that lasted {rng.randrange(2, 30)} days, according to {outlet}.")
    return Evidence(article_id=f"a{story}-{outlet}", sentence=sentence, start=0, end=len(sentence),
                    outlet=outlet, url=f"https://news.example/{story}/{fact}?ref=a&b=c")


def synthetic_story(index: int, rng: random.Random) -> Story:
    outlets = rng.sample(OUTLETS, 3)
    deals = [StoryDeal(
        id=f"d-{index:04d}{j}", kind="mou", parties=[f"Party {index}", f"Partner {j}"],
        amount=Money(value=rng.randrange(10, 900) * 1e6, currency=rng.choice(["USD", "EUR", "GBP"])),
        status="signed", date=DateValue(year=2025, month=9, day=rng.randrange(1, 14)),
        status_history=[StatusClaim(status="negotiating", article_id="x", published=dt.date(2025, 9, 1)),
                        StatusClaim(status="signed", article_id="y", published=dt.date(2025, 9, 12))],
        sources=[evidence(rng, index, j, o) for o in outlets],
        disagreements=[Disagreement(field="amount", claims=[
            Claim(value="500000000 USD", article_ids=["x"], outlets=[outlets[0]]),
            Claim(value="450000000 USD", article_ids=["y"], outlets=[outlets[1]])])]) for j in range(2)]
    meetings = [StoryMeeting(id=f"m-{index:04d}{j}", kind="meeting", participants=["Ana Lima", "Jon Berg"],
                             place="Porto", date=DateValue(year=2025, month=9),
                             sources=[evidence(rng, index, 10 + j, o) for o in outlets[:2]])
                for j in range(2)]
    events = [StoryEvent(id=f"e-{index:04d}", date=DateValue(year=2025, month=10), what="Summit in Porto",
                         status="planned", sources=[evidence(rng, index, 20, outlets[0])])]
    return Story(id=f"s-{index:04d}", headline=f"Story {index}: ports, rail & <energy> deals",
                 article_ids=[f"a{index}-{o}" for o in outlets], outlets=outlets,
                 first_published=dt.date(2025, 9, 12), last_published=dt.date(2025, 9, 14),
                 updated_at=NOW - dt.timedelta(hours=rng.randrange(1, 48)), deals=deals, meetings=meetings,
                 events=events)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(7)
    stories = [synthetic_story(i, rng) for i in range(40)]
    upcoming = [e for s in stories for e in s.events]
    renderer = Renderer()
    renderer.briefing(summarise(stories, today=NOW.date(), now=NOW), "html")  # templates compiled

    base = summarise(stories, today=NOW.date(), now=NOW, since=NOW - dt.timedelta(days=1), upcoming=upcoming)
    shared: list[float] = []
    sizes: list[int] = []
    for i in range(args.subscribers):
        zone = ZONES[i % len(ZONES)]
        started = time.perf_counter()
        briefing = base.model_copy(update={
            "timezone": zone, "next_delivery": next_delivery(NOW, zone, dt.time(8, 0))})
        messages = renderer.briefing(briefing, "html")
        shared.append((time.perf_counter() - started) * 1000)
        sizes.append(len(messages))

    own: list[float] = []
    for i in range(min(args.subscribers, 300)):
        zone = ZONES[i % len(ZONES)]
        started = time.perf_counter()
        briefing = summarise(stories, today=NOW.date(), now=NOW, since=NOW - dt.timedelta(hours=i % 48),
                             upcoming=upcoming, timezone=zone,
                             next_delivery=next_delivery(NOW, zone, dt.time(8, 0)))
        renderer.briefing(briefing, "html")
        own.append((time.perf_counter() - started) * 1000)

    print(f"{len(stories)} stories in the window, {len(base.stories)} shown, "
          f"{statistics.median(sizes):.0f} message(s) per briefing\n")
    print("| per subscriber | median ms | p95 ms | max ms | n |")
    print("|---|---|---|---|---|")
    for name, values in (("render (shared summary)", shared), ("summarise + render (own window)", own)):
        ordered = sorted(values)
        p95 = ordered[round(0.95 * (len(ordered) - 1))]
        print(f"| {name} | {statistics.median(values):.2f} | {p95:.2f} | {max(values):.2f} | {len(values)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
