"""Clustering traps and invariants on invented articles: what must stay apart, what must join."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.consolidate import build_stories
from briefings.models import Article, ArticleFacts, DateValue, Deal, Evidence, Meeting, Money, Person
from briefings.stories.keys import amounts_compatible, country_key, dates_compatible, name_key

CALLERS = ["Aziz Karimov", "Leyla Demir", "Tomas Varga", "Ines Duarte"]


def _call(
    article_id: str, caller: str, day: dt.date, callee: str = "Olu Brandt", extra: str = ""
) -> ArticleFacts:
    text = (
        f"{caller} held a phone call with President {callee} on {day:%B %d, %Y}, congratulating him. "
        f"The leaders discussed cooperation in trade, energy and investment. {extra}"
    )
    sentence = text.split(". ")[0] + "."
    return ArticleFacts(
        article=Article(id=article_id, text=text, published=day, title=f"{caller} phones {callee}"),
        people=[Person(name=caller, country="Uzbekistan"), Person(name=callee, country="Kenya")],
        meetings=[
            Meeting(
                kind="call",
                participants=[caller, callee],
                date=DateValue.from_date(day),
                evidence=[Evidence(article_id=article_id, sentence=sentence, start=0, end=len(sentence))],
            )
        ],
    )


def _groups(facts: list[ArticleFacts]) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in build_stories(facts))


def test_consolidate_cluster_same_call_from_two_outlets_is_one_story() -> None:
    day = dt.date(2024, 3, 11)
    assert _groups(
        [
            _call("a", "Aziz Karimov", day, extra="Outlet one."),
            _call("b", "Aziz Karimov", day + dt.timedelta(days=1), extra="Outlet two."),
        ]
    ) == [["a", "b"]]


def test_consolidate_cluster_near_identical_calls_a_year_apart_stay_apart() -> None:
    day = dt.date(2024, 3, 11)
    assert _groups([_call("a", "Aziz Karimov", day), _call("b", "Aziz Karimov", day.replace(year=2025))]) == [
        ["a"],
        ["b"],
    ]


def test_consolidate_cluster_same_callee_same_day_different_callers_stay_apart() -> None:
    day = dt.date(2024, 3, 11)
    assert _groups([_call("a", "Aziz Karimov", day), _call("b", "Leyla Demir", day)]) == [["a"], ["b"]]


def test_consolidate_cluster_same_vocabulary_different_deals_stay_apart() -> None:
    day = dt.date(2025, 5, 2)

    def deal(article_id: str, a: str, b: str, amount: float) -> ArticleFacts:
        text = (
            f"{a} and {b} signed a trade agreement worth ${amount / 1e9:g} billion to cut tariffs on goods."
        )
        return ArticleFacts(
            article=Article(id=article_id, text=text, published=day, title=f"{a} and {b} sign trade pact"),
            deals=[
                Deal(
                    kind="trade_agreement",
                    parties=[a, b],
                    status="signed",
                    amount=Money(value=amount, currency="USD"),
                )
            ],
        )

    assert _groups([deal("a", "India", "Chile", 2e9), deal("b", "India", "Peru", 5e9)]) == [["a"], ["b"]]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(CALLERS), st.integers(min_value=0, max_value=400)), min_size=1, max_size=7
    ),
    st.randoms(use_true_random=False),
)
def test_consolidate_cluster_partition_is_complete_and_order_free(
    calls: list[tuple[str, int]], rnd: object
) -> None:
    base = dt.date(2024, 1, 1)
    facts = [
        _call(f"a{i}", caller, base + dt.timedelta(days=offset)) for i, (caller, offset) in enumerate(calls)
    ]
    stories = build_stories(facts)
    ids = [a for s in stories for a in s.article_ids]
    assert sorted(ids) == sorted(f.article.id for f in facts)  # every article in exactly one story
    shuffled = list(facts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert [s.model_dump() for s in build_stories(shuffled)] == [s.model_dump() for s in stories]


@given(
    st.builds(
        DateValue,
        year=st.integers(2000, 2030),
        month=st.none() | st.integers(1, 12),
        day=st.none() | st.integers(1, 28),
    ),
    st.builds(
        DateValue,
        year=st.integers(2000, 2030),
        month=st.none() | st.integers(1, 12),
        day=st.none() | st.integers(1, 28),
    ),
)
def test_consolidate_keys_date_compatibility_is_symmetric(a: DateValue, b: DateValue) -> None:
    if (a.month is None and a.day is not None) or (b.month is None and b.day is not None):
        return
    assert dates_compatible(a, b) == dates_compatible(b, a)
    assert dates_compatible(a, a)


def test_consolidate_keys_examples() -> None:
    assert name_key("Recep Tayyip Erdoğan") == name_key("recep tayyip erdogan")
    assert name_key("Ahmed al-Sharaa") == name_key("Ahmed al Sharaa")
    assert country_key("U.S.") == country_key("United States") == "USA"
    assert country_key("Mota-Engil Group") is None
    assert amounts_compatible(
        Money(value=5e8, currency="USD"), Money(value=5.1e8, currency="USD", approximate=True)
    )
    assert not amounts_compatible(Money(value=24e9, currency="SAR"), Money(value=15e9, currency="SAR"))
    assert not amounts_compatible(Money(value=5e8, currency="USD"), Money(value=5e8, currency="EUR"))
    july = DateValue(year=2026, month=7, inferred=True)
    assert dates_compatible(july, DateValue(year=2025, month=7, day=25))  # a guessed year is not a conflict
    assert not dates_compatible(DateValue(year=2025, month=6), DateValue(year=2025, month=7, day=25))
