"""Rendering briefings: valid Telegram HTML, verbatim quotes, escaping, amounts and dates for people."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.models import DateValue, Evidence, Money, StoryMeeting
from briefings.render import TELEGRAM_LIMIT, Renderer, format_date, format_money, safe_url, telegram_length
from briefings.summarise import Briefing, summarise
from tests.support.builders import ARTICLES, deal, event, meeting, story
from tests.support.telegram_html import assert_telegram_html

NOW = dt.datetime(2025, 9, 10, 6, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 9, 10)
RENDERER = Renderer()


def briefing_of(stories: list, **extra: object) -> Briefing:
    return summarise(stories, today=TODAY, now=NOW, since=NOW - dt.timedelta(days=1),
                     timezone="Europe/Berlin", next_delivery=NOW + dt.timedelta(days=1), **extra)


def test_render_briefing_is_valid_telegram_html() -> None:
    upcoming = [event(day=DateValue(year=2025, month=10))]
    messages = RENDERER.briefing(briefing_of([story()], upcoming=upcoming), "html")
    assert messages
    for message in messages:
        assert_telegram_html(message)
    whole = "\n".join(messages)
    assert "Briefing for 10 Sep 2025" in whole
    assert "1 story from 3 outlets" in whole
    assert "Coming up" in whole and "October 2025" in whole
    assert "Next briefing: Thu 11 Sep 2025 08:00 (Europe/Berlin)" in whole


def test_render_every_quote_is_a_verbatim_span_of_its_article() -> None:
    messages = RENDERER.briefing(briefing_of([story()]), "html")
    found = re.findall(r"<blockquote>(.*?)</blockquote>\n<i>— (.*?)</i>", "\n".join(messages), flags=re.S)
    assert found
    outlet_articles = {"Daily Planet": ["a1"], "Gazette": ["a2"], "Courier": ["a3"]}
    for quoted, outlet in found:
        text = html.unescape(quoted).removesuffix("…")
        assert any(text in ARTICLES[a] for a in outlet_articles[html.unescape(outlet)]), (text, outlet)


def test_render_text_quotes_are_verbatim_too() -> None:
    text = "\n".join(RENDERER.briefing(briefing_of([story()]), "text"))
    quotes = [line.removeprefix("  > ").removesuffix("…")
              for line in text.splitlines() if line.startswith("  > ")]
    assert quotes
    assert all(any(q in article for article in ARTICLES.values()) for q in quotes)


def test_render_shows_disagreement_and_status_change() -> None:
    whole = "\n".join(RENDERER.briefing(briefing_of([story()]), "html"))
    assert "Sources differ on amount: $500 million (Daily Planet) vs $450 million (Gazette)" in whole
    assert "signed (was under negotiation)" in whole
    assert '<a href="https://planet.example/a1">Daily Planet</a>' in whole


def test_render_escapes_article_text() -> None:
    hostile = "<script>alert(1)</script> & <b>bold</b> <i unbalanced"
    sentence = ARTICLES["a3"].split(". ")[0] + "."
    ev = Evidence(article_id="a3", sentence=sentence, start=0, end=len(sentence), outlet="<Evil & Co>",
                  url="javascript:alert(1)")
    hostile_meeting = StoryMeeting(id="m-x", kind="call", participants=[hostile], place="A & B", sources=[ev])
    messages = RENDERER.briefing(briefing_of([story(headline=hostile, meetings=[hostile_meeting])]), "html")
    for message in messages:
        assert_telegram_html(message)
    whole = "\n".join(messages)
    assert "&lt;script&gt;" in whole and "<script>" not in whole
    assert "javascript:" not in whole
    assert "&lt;b&gt;soon&lt;/b&gt;" in whole          # the article's own markup is shown, not obeyed


def test_render_nothing_new_is_one_line() -> None:
    messages = RENDERER.briefing(briefing_of([]), "html")
    assert len(messages) == 1 and "\n" not in messages[0]
    assert messages[0].startswith("📰 Nothing new since")
    assert "Next briefing" in messages[0]
    assert_telegram_html(messages[0])


def test_render_long_briefing_splits_between_stories() -> None:
    long_sentence = ARTICLES["a1"].split(". ")[0] + "."
    stories = []
    for i in range(30):
        deals = [deal(f"d-{i:03d}{j}", parties=(f"Party {i}", f"Partner {j}")) for j in range(4)]
        stories.append(story(f"s-{i:08d}", headline=f"Story number {i} " + "x" * 80, deals=deals))
    messages = RENDERER.briefing(briefing_of(stories, max_stories=30), "html")
    assert len(messages) > 1
    for message in messages:
        assert telegram_length(message) <= TELEGRAM_LIMIT
        assert_telegram_html(message)
        # A story starts and ends in the same message: every headline is followed by its facts.
        assert message.count("<b>MoU</b>") == 4 * len(re.findall(r"<b>\d+\. Story number", message))
    assert long_sentence.split()[0] in "".join(messages)


@pytest.mark.parametrize(("value", "expected"), [
    (DateValue(year=2025), "2025"),
    (DateValue(year=2025, month=7), "July 2025"),
    (DateValue(year=2025, month=7, day=25), "25 Jul 2025"),
    (DateValue(year=2025, month=8, inferred=True), "August 2025 (inferred)"),
    (None, ""),
])
def test_render_dates_at_their_precision(value: DateValue | None, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize(("money", "expected"), [
    (Money(value=5e8, currency="USD"), "$500 million"),
    (Money(value=5e10, low=3e10, currency="EUR"), "€30–50 billion"),
])
def test_render_amounts_for_people(money: Money, expected: str) -> None:
    assert format_money(money) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
    ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", None),
    ("ftp://example.org/x", None),
    ("", None),
    (None, None),
])
def test_render_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_render_templates_dir_overrides_by_name(tmp_path: Path) -> None:
    (tmp_path / "briefing_empty.html").write_text("<b>Quiet day</b> for {{ b.date|day }}", encoding="utf-8")
    messages = Renderer(tmp_path).briefing(briefing_of([]), "html")
    assert messages == ["<b>Quiet day</b> for 10 Sep 2025"]
    # Templates it does not override still come from the package.
    assert Renderer(tmp_path).briefing(briefing_of([story()]), "html")[0].startswith("📰")


_words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headline=_words, participant=_words, place=_words, outlet=_words, sentence=_words.filter(str.strip))
def test_render_arbitrary_text_stays_valid_html(headline: str, participant: str, place: str, outlet: str,
                                                sentence: str) -> None:
    ev = Evidence(article_id="z", sentence=sentence, start=0, end=len(sentence), outlet=outlet or None)
    m = StoryMeeting(id="m-z", kind="visit", participants=[participant], place=place or None, sources=[ev])
    b = briefing_of([story(headline=headline or None, meetings=[m], deals=[], events=[])])
    for message in RENDERER.briefing(b, "html"):
        assert_telegram_html(message)
    assert RENDERER.briefing(b, "text")


def test_render_meeting_without_sources_has_no_quote() -> None:
    bare = meeting(sources=[])
    whole = "\n".join(RENDERER.briefing(briefing_of([story(meetings=[bare], deals=[], events=[])]), "html"))
    assert "<blockquote>" not in whole
