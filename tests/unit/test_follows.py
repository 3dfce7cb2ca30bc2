"""Follows, alerts and charts as pure functions: tokens, new facts, fan-out, shaping, chart specs."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.alerts import FollowIndex, fan_out, new_facts
from briefings.charts import caption, deals_chart, timeline_chart
from briefings.commands.follows import parse_follow
from briefings.commands.reader_settings import parse_reader_settings
from briefings.errors import InputError
from briefings.follows import Follow, ReaderPrefs, matching, topic_words, word_stem
from briefings.models import DateValue, StatusClaim
from briefings.rates import RateTable
from briefings.reader_briefing import next_on_their_day, shape
from briefings.summarise import summarise
from tests.support.builders import deal, event, evidence, meeting, story

NOW = dt.datetime(2025, 9, 15, 8, 0, tzinfo=dt.UTC)
TABLE = RateTable(base="USD", date=dt.date(2025, 9, 30), rates={"USD": 1.0, "PKR": 0.0036})


def follow(kind: str, key: str, label: str, chat_id: int = 1, *, keys: list[str] | None = None,
           created_at: dt.datetime = NOW - dt.timedelta(days=30)) -> Follow:
    return Follow.model_validate({"id": 1, "chat_id": chat_id, "kind": kind, "key": key, "keys": keys or [],
                                  "label": label, "alert": True, "created_at": created_at})


@pytest.mark.parametrize(("word", "stem"), [("minerals", "mineral"), ("mineral", "mineral"),
                                            ("batteries", "battery"), ("gas", "gas"), ("class", "class")])
def test_follows_word_stem(word: str, stem: str) -> None:
    assert word_stem(word) == stem


def test_follows_matching_by_name_country_and_topic() -> None:
    s = story()
    assert [f.label for f in matching(s, [
        follow("person", "ana lima", "Ana Lima"), follow("country", "PRT", "Portugal"),
        follow("organisation", "southport", "Southport"),
        follow("topic", "memorandum understanding", "memorandum of understanding"),
        follow("topic", "port mining", "port mining"), follow("person", "jon", "Jon")])] == [
        "Ana Lima", "Southport", "memorandum of understanding"]
    assert topic_words("The Minerals!") == ["mineral"]


def test_alerts_a_fact_is_new_only_for_the_article_that_brought_it() -> None:
    first = deal(sources=[evidence("a1", 0, "Daily Planet")])
    s = story(deals=[first], meetings=[], events=[])
    (added,) = new_facts(s, "a1", older=lambda a: False)
    assert added.kind == "deal" and added.source.article_id == "a1"
    # A second outlet on the same deal adds nothing; nor does the first one seen again.
    both = story(deals=[deal()], meetings=[], events=[])
    assert new_facts(both, "a2", older=lambda a: a == "a1") == []
    # Its fact key does not depend on the fact's id.
    renamed = story(deals=[deal("d-99999999", sources=[evidence("a1", 0)])], meetings=[], events=[])
    assert new_facts(renamed, "a1", older=lambda a: False)[0].fact_key == added.fact_key


def test_alerts_a_status_change_is_alerted_once_whoever_brings_it() -> None:
    history = [StatusClaim(status="negotiating", article_id="a3", published=dt.date(2025, 9, 1)),
               StatusClaim(status="signed", article_id="a1", published=dt.date(2025, 9, 9)),
               StatusClaim(status="signed", article_id="a2", published=dt.date(2025, 9, 9))]
    signed = deal(status_history=history, sources=[evidence("a3", 0), evidence("a1", 0), evidence("a2", 0)])
    s = story(deals=[signed], meetings=[], events=[])
    (by_a1,) = new_facts(s, "a1", older=lambda a: a == "a3")
    (by_a2,) = new_facts(s, "a2", older=lambda a: a == "a3")
    assert by_a1.kind == "status" and by_a1.before == "negotiating"
    assert by_a1.fact_key == by_a2.fact_key  # two outlets, one change: one ledger row per reader
    assert new_facts(s, "a2", older=lambda a: a in ("a1", "a3")) == []


def test_alerts_fan_out_skips_follows_made_after_the_article() -> None:
    s = story(deals=[], meetings=[meeting(sources=[evidence("a3", 1, "Courier")])], events=[])
    (fact,) = new_facts(s, "a3", older=lambda a: False)
    index = FollowIndex([follow("person", "ana lima", "Ana Lima", 1),
                         follow("country", "PRT", "Portugal", 2),
                         follow("person", "jon berg", "Jon Berg", 3, created_at=NOW + dt.timedelta(hours=1)),
                         follow("topic", "port", "port", 4), follow("person", "other one", "Other One", 5)])
    alerts = fan_out([(fact, NOW)], index, {fact.fact_id: ["PRT"]})
    assert sorted((chat, labels) for chat, _, labels in alerts) == [(1, ["Ana Lima"]), (2, ["Portugal"])]


def test_reader_briefing_puts_followed_stories_first() -> None:
    big = story("s-big", headline="Big deal", deals=[deal(amount=9e9)], meetings=[], events=[])
    small = story("s-small", headline="Small meeting", deals=[], meetings=[meeting()], events=[event()])
    shared = summarise([big, small], today=NOW.date(), now=NOW)
    assert [s.id for s in shared.stories] == ["s-big", "s-small"]
    follows = [follow("person", "jon berg", "Jon Berg")]
    shaped = shape(shared, [big, small], follows, ReaderPrefs(), today=NOW.date(), now=NOW, since=None)
    assert [(s.id, s.follows) for s in shaped.stories] == [("s-small", ["Jon Berg"]), ("s-big", [])]
    only = shape(shared, [big, small], follows, ReaderPrefs(only_follows=True), today=NOW.date(), now=NOW,
                 since=None)
    assert [s.id for s in only.stories] == ["s-small"] and only.total_stories == 1


def test_reader_briefing_status_change_is_marked_only_if_new_to_the_reader() -> None:
    s = story(meetings=[], events=[])  # its deal went negotiating (1 Sep) -> signed (9 Sep)
    shared = summarise([s], today=NOW.date(), now=NOW)
    assert shared.stories[0].items[0].status_change is not None
    for since, marked in ((dt.datetime(2025, 9, 5, tzinfo=dt.UTC), True),
                          (dt.datetime(2025, 9, 12, tzinfo=dt.UTC), False)):
        shaped = shape(shared, [s], [], ReaderPrefs(), today=NOW.date(), now=NOW, since=since)
        assert (shaped.stories[0].items[0].status_change is not None) is marked


@pytest.mark.parametrize(("day", "frequency", "weekday", "delivers"), [
    (dt.date(2025, 9, 13), "daily", 0, True), (dt.date(2025, 9, 13), "weekdays", 0, False),
    (dt.date(2025, 9, 15), "weekdays", 0, True), (dt.date(2025, 9, 16), "weekly", 1, True),
    (dt.date(2025, 9, 17), "weekly", 1, False)])
def test_follows_reader_prefs_delivery_days(day: dt.date, frequency: str, weekday: int,
                                            delivers: bool) -> None:
    prefs = ReaderPrefs.model_validate({"frequency": frequency, "weekday": weekday})
    assert prefs.delivers_on(day) is delivers


def test_follows_command_arguments() -> None:
    assert parse_follow("Ishaq  Dar alert").model_dump() == {"name": "Ishaq Dar", "alert": True}
    with pytest.raises(InputError):
        parse_follow("alert")
    with pytest.raises(InputError):
        parse_follow("x" * 101)
    parsed = parse_reader_settings("07:30 weekly Fri only-follows chart off")
    assert (parsed.at, parsed.frequency, parsed.weekday, parsed.only_follows, parsed.chart) == (
        dt.time(7, 30), "weekly", 4, True, False)
    for bad in ("weekly someday", "chart maybe", "25:00"):
        with pytest.raises(InputError):
            parse_reader_settings(bad)


def test_charts_deals_convert_at_the_dated_rates_and_say_so() -> None:
    usd = deal("d-1", parties=("Northland", "Pakistan"), amount=5e8)
    pkr = deal("d-2", parties=("Pakistan", "Southport"), amount=1e11).model_copy(
        update={"amount": deal().amount.model_copy(update={"value": 1e11, "currency": "PKR"})})  # type: ignore[union-attr]
    eur = deal("d-3", amount=1e6).model_copy(
        update={"amount": deal().amount.model_copy(update={"currency": "EUR"})})  # type: ignore[union-attr]
    chart = deals_chart([usd, pkr, eur], {}, TABLE)
    assert chart is not None
    assert [(b.label, b.value, b.deals) for b in chart.bars] == [("Pakistan", 5e8 + 3.6e8, 2)]
    assert chart.rates == {"PKR": 0.0036} and chart.unconverted == 1
    text = caption(chart)
    assert "2 deals by country, in USD" in text and "1 PKR = 0.0036 USD" in text
    assert "1 deal(s) left out" in text
    assert deals_chart([deal(amount=None)], {}, TABLE) is None


def test_charts_timeline_keeps_precision_and_counts_undated() -> None:
    month = meeting()  # July 2025, no day
    undated = meeting("m-2").model_copy(update={"date": None})
    chart = timeline_chart([month, undated], [deal()], [event(day=DateValue(year=2025, month=9, day=20))],
                           title="Timeline: Northland")
    assert chart is not None
    assert [(p.lane, p.precision) for p in chart.points] == [("meeting", "month"), ("deal", "day"),
                                                             ("event", "day")]
    assert chart.undated == 1 and "1 undated fact(s) not placed" in caption(chart)
    assert timeline_chart([undated], [], [], title="x") is None


def test_reader_briefing_next_delivery_on_their_day() -> None:
    monday_8 = dt.datetime(2025, 9, 15, 6, 0, tzinfo=dt.UTC)  # 08:00 in Berlin
    weekly_thu = ReaderPrefs(frequency="weekly", weekday=3)
    assert next_on_their_day(monday_8, "Europe/Berlin", weekly_thu) == dt.datetime(2025, 9, 18, 6, 0,
                                                                                   tzinfo=dt.UTC)
    saturday = dt.datetime(2025, 9, 13, 6, 0, tzinfo=dt.UTC)
    assert next_on_their_day(saturday, "UTC", ReaderPrefs(frequency="weekdays")) == saturday + dt.timedelta(2)
    assert next_on_their_day(saturday, "UTC", ReaderPrefs()) == saturday
