"""Hand-built facts mirroring the three seed articles (shared by the consolidation and store tests).

The articles are the project's own seeds in `seeds/`; evidence offsets are found in their text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefings.models import (
    Article,
    ArticleFacts,
    DateValue,
    Deal,
    Event,
    Evidence,
    Meeting,
    Money,
    Organisation,
    Person,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _text(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def _ev(article: Article, quote: str) -> Evidence:
    start = article.text.index(quote)
    return Evidence(article_id=article.id, sentence=quote, start=start, end=start + len(quote))


def _month(year: int, month: int, day: int | None = None, inferred: bool = False) -> DateValue:
    return DateValue(year=year, month=month, day=day, inferred=inferred)


DAR = Person(name="Ishaq Dar", aliases=["Dar", "DPM Dar"], country="Pakistan")
RUBIO = Person(name="Marco Rubio", aliases=["Rubio"], country="United States")
USSM = Organisation(name="United States Strategic Metals", acronym="USSM", country="United States")
FWO = Organisation(name="Frontier Works Organisation", acronym="FWO", country="Pakistan")
NLC = Organisation(name="National Logistics Corporation", acronym="NLC", country="Pakistan")
MOTA = Organisation(name="Mota-Engil Group")


def seed_000() -> ArticleFacts:
    a = Article(
        id="000",
        title="Strategic Dialogue Covers Bilateral Trade, Security, and Regional Stability",
        text=_text("000"),
        outlet="Outlet A",
        url="https://a.example/000",
    )
    return ArticleFacts(
        article=a,
        people=[DAR, RUBIO, Person(name="Donald Trump", aliases=["President Trump"])],
        organisations=[USSM, FWO, NLC, MOTA],
        meetings=[
            Meeting(
                kind="call",
                participants=["Ishaq Dar", "Marco Rubio"],
                date=_month(2025, 9, inferred=True),
                evidence=[_ev(a, "held a high-level conversation to discuss global developments")],
            ),
            Meeting(
                kind="meeting",
                participants=["Ishaq Dar", "Marco Rubio"],
                date=_month(2025, 7, inferred=True),
                evidence=[_ev(a, "their earlier in-person meeting in July")],
            ),
        ],
        deals=[
            Deal(
                kind="investment",
                parties=["United States Strategic Metals", "Pakistan"],
                status="signed",
                amount=Money(value=5e8, currency="USD", text="$500 million"),
                sector="critical minerals",
                evidence=[
                    _ev(a, "Pakistan secured a $500 million investment in its critical minerals sector")
                ],
            ),
            Deal(
                kind="mou",
                parties=["Frontier Works Organisation", "USSM"],
                status="signed",
                evidence=[_ev(a, "signed an MoU with USSM")],
            ),
            Deal(
                kind="mou",
                parties=["National Logistics Corporation", "Mota-Engil Group"],
                status="signed",
                sector="infrastructure and construction",
                evidence=[_ev(a, "National Logistics Corporation (NLC) signed an MoU with Mota-Engil Group")],
            ),
        ],
        events=[
            Event(
                date=_month(2025, 7, inferred=True),
                what="Dar and Rubio meet in person",
                evidence=[_ev(a, "their earlier in-person meeting in July")],
            )
        ],
    )


def seed_001() -> ArticleFacts:
    a = Article(
        id="001",
        text=_text("001"),
        outlet="Outlet B",
        url="https://b.example/001",
        published=dt.date(2025, 9, 14),
        published_source="date_line",
    )
    return ArticleFacts(
        article=a,
        people=[DAR, RUBIO, Person(name="Shehbaz Sharif", country="Pakistan")],
        organisations=[USSM, FWO, NLC, MOTA],
        meetings=[
            Meeting(
                kind="call",
                participants=["Marco Rubio", "DPM Dar"],
                date=_month(2025, 9),
                evidence=[_ev(a, "held a call with DPM Dar")],
            ),
            Meeting(
                kind="meeting",
                participants=["Ishaq Dar", "Marco Rubio"],
                date=_month(2025, 7, 25),
                place="Washington",
                evidence=[
                    _ev(a, "Ishaq Dar meets US Secretary of State Marco Rubio at US State Department"),
                    _ev(a, "DPM Dar, back in July, had met Rubio"),
                ],
            ),
        ],
        deals=[
            Deal(
                kind="investment",
                parties=["United States", "Pakistan"],
                status="signed",
                date=_month(2025, 9),
                amount=Money(value=5e8, currency="USD", approximate=True, text="around $500 million"),
                sector="critical minerals",
                evidence=[_ev(a, "Pakistan secured around $500 million investment from the US")],
            ),
            Deal(
                kind="mou",
                parties=["FWO", "United States Strategic Metals"],
                status="signed",
                evidence=[_ev(a, "inked a landmark MoU with USSM")],
            ),
            Deal(
                kind="mou",
                parties=["NLC", "Mota-Engil Group"],
                status="signed",
                date=_month(2025, 9, 8),
                sector="engineering and construction",
                evidence=[
                    _ev(a, "the National Logistics Corporation (NLC) signed an MoU with Mota-Engil Group")
                ],
            ),
            Deal(
                kind="trade_agreement",
                parties=["Pakistan", "United States"],
                status="announced",
                date=_month(2025, 7),
                evidence=[_ev(a, "the two countries announced reaching a trade agreement")],
            ),
        ],
        events=[
            Event(
                date=_month(2025, 7, 25),
                what="Dar meets Rubio at the State Department",
                evidence=[_ev(a, "Ishaq Dar meets US Secretary of State Marco Rubio at US State Department")],
            ),
            Event(
                date=_month(2025, 9, 8),
                what="NLC and Mota-Engil sign an MoU",
                evidence=[_ev(a, "signing ceremony of MoU between National Logistics Corporation")],
            ),
        ],
    )


def seed_004() -> ArticleFacts:
    a = Article(
        id="004",
        text=_text("004"),
        outlet="Outlet C",
        title="Pakistan Deputy PM Ishaq Dar Secures U.S. Strategic Support, Trade Deal Nearing Completion",
    )
    return ArticleFacts(
        article=a,
        people=[Person(name="Ishaq Dar", aliases=["Dar"]), RUBIO],
        meetings=[
            Meeting(
                kind="meeting",
                participants=["Ishaq Dar", "Marco Rubio"],
                evidence=[_ev(a, "During high-profile meetings with U.S. Secretary of State Marco Rubio")],
            )
        ],
        deals=[
            Deal(
                kind="trade_agreement",
                parties=["Pakistan", "U.S."],
                status="negotiating",
                evidence=[_ev(a, "negotiations edge closer toward finalizing a bilateral trade agreement")],
            )
        ],
        events=[
            Event(
                date=_month(2025, 8, inferred=True),
                what="counterterrorism dialogue in Islamabad",
                status="planned",
                evidence=[_ev(a, "an upcoming counterterrorism dialogue scheduled for August")],
            )
        ],
    )


def seeds() -> list[ArticleFacts]:
    return [seed_000(), seed_001(), seed_004()]
