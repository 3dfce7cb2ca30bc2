"""Issue 11 end to end through the fake Bot API: a briefing worth opening (no repeats, outlets not
file names, counts that agree, at most two messages, deep links that open), and commands that
answer what was asked (paging that fits, page words, currency-aware amounts, search, /who)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefings.core import Core
from briefings.models import Money
from briefings.store.articles import ingest
from tests.bot.harness import ADMIN_ID, Bot, FakeClock, run_bot
from tests.support.builders import deal_article
from tests.support.fake_bot_api import BOT_USERNAME, Call, FakeBotApi
from tests.support.loopback import serve, static_site

USER = 100
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Two invented articles with URLs, from two outlets, about the same harbour deal.
_PAGES = {
    "/harbour-1": ("The Harbour Times", "Northland and Southport sign $2.5 billion harbour pact",
                   "Northland and Southport signed a harbour agreement worth $2.5 billion in Porto on "
                   "Monday, officials said. Minister Ana Lima met Minister Jon Berg before the signing."),
    "/harbour-2": ("Coastal Courier", "Harbour pact signed in Porto",
                   "Northland and Southport on Monday signed a $2.5 billion harbour agreement in Porto, "
                   "the ministries said. The deal covers a new container terminal."),
}


def _page(outlet: str, title: str, text: str) -> bytes:
    return (f'<html><head><title>{title}</title><meta property="og:site_name" content="{outlet}">'
            '<meta property="article:published_time" content="2025-09-15T07:00:00Z"></head><body>'
            f"<article><h1>{title}</h1><p>{text}</p></article></body></html>").encode()


@pytest.fixture
def reader_core(core: Core) -> Iterator[Core]:
    """The seeds plus the two articles with URLs, ingested as an admin would."""
    open_core = Core(core.settings.model_copy(update={"allow_private_urls": True}), core.store,
                     clock=core.clock)
    with serve(static_site({path: _page(*page) for path, page in _PAGES.items()})) as base:
        report = open_core.ingest_sources([str(SEEDS), f"{base}/harbour-1", f"{base}/harbour-2"])
    assert len(report.added) == 5 and not report.failed, report
    yield open_core


_COUNT = re.compile(r"^(single source|(\d+) (?:outlets|sources)):\s*(.+?)(?: · \S+)?$", re.MULTILINE)


def _listed(names: str) -> int:
    """How many sources a rendered list names: each name once, "(3 articles)" three times."""
    total = 0
    for name in names.split(", "):
        match = re.search(r"\((\d+) articles\)$", name)
        total += int(match.group(1)) if match else 1
    return total


def _check_briefing(messages: list[Call], ids: list[str]) -> None:
    text = "\n".join(m.text for m in messages)
    visible = "\n".join(m.visible for m in messages)
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", text, flags=re.S)
    assert quotes and len(quotes) == len(set(quotes)), quotes  # no item twice
    for article_id in ids:
        assert article_id not in visible  # sources are outlets, never file names
    assert "The Harbour Times" in visible  # the outlet of a page with a URL, from its metadata
    for match in _COUNT.finditer(visible):
        claimed = 1 if match.group(1) == "single source" else int(match.group(2))
        assert claimed == _listed(match.group(3).split(" · ")[0]), match.group(0)  # counts agree
    assert not re.search(r"—\s*(</i>)?\s*$", text, flags=re.M)  # no dangling credit dash


def test_bot_briefing_of_seeds_and_two_url_articles(api: FakeBotApi, reader_core: Core) -> None:
    ids = [p.stem for p in SEEDS.glob("*.txt")]

    async def scenario(bot: Bot) -> None:
        await bot.ask(USER, "/start", "Subscribed")
        mark = api.mark()
        await bot.ask(USER, "/brief", "Briefing for")
        await bot.quiet(api.command(USER + 1, USER + 1, "/help"))  # everything for /brief has been sent
        messages = [c for c in api.calls[mark:] if c.method == "sendMessage" and c.chat_id == USER]
        assert 1 <= len(messages) <= 2  # short by default
        _check_briefing(messages, ids)
        # "More" and "Sources" are deep links that open the story or the fact when tapped.
        links = re.findall(rf'href="https://t\.me/{BOT_USERNAME}\?start=([sdme]-[0-9a-z]+)"',
                           "".join(m.text for m in messages))
        assert any(p.startswith("s-") for p in links) and any(p.startswith("d-") for p in links)
        story = next(p for p in links if p.startswith("s-"))
        mark = api.mark()
        await bot.ask(USER, f"/start {story}", "1. ")
        await bot.quiet(api.command(USER + 1, USER + 1, "/help"))
        opened = [c for c in api.calls[mark:] if c.method == "sendMessage" and c.chat_id == USER][-1]
        assert any(b["text"].startswith("📚") for row in opened.keyboard for b in row)
        fact = next(p for p in links if p.startswith("d-"))
        sources = await bot.ask(USER, f"/start {fact}", fact)
        assert not any(article_id in sources.visible for article_id in ids)
        # A Sources button turns the story message into that fact's sources, in place.
        press = next(b["text"] for row in opened.keyboard for b in row if b["text"].startswith("📚"))
        (edited,) = await bot.send(api.press(opened, press), method="editMessageText")
        assert int(edited.params["message_id"]) == opened.params["_message_id"]
        assert next(b["text"] for row in edited.keyboard for b in row) == "‹ Story"
        (back,) = await bot.send(api.press(edited, "‹ Story"), method="editMessageText")
        assert "📚" in str(back.keyboard)
        assert len(api.sent("answerCallbackQuery")) == 2

    bot = run_bot(api, reader_core, scenario)
    assert not bot.errors


def test_bot_search_and_who_answer_what_a_person_types(api: FakeBotApi, reader_core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        found = await bot.ask(USER, "/search signing harbour", "Search")
        assert "Harbour pact" in found.visible or "harbour" in found.visible.lower()
        assert "$2.5 billion" in found.visible  # whole sentences: "2.5" is not cut to "5"
        assert "2 results" in found.visible or "results" in found.visible
        for typed in ("Rubio", "Marco", "Rubo", "Ishaq"):
            who = await bot.ask(USER, f"/who {typed}", "")
            assert "I know nobody" not in who.visible, typed
        rubio = await bot.ask(USER, "/who Rubo", "Rubio")
        assert "Secretary of State" in rubio.visible and "Secretary, " not in rubio.visible  # one title

    bot = run_bot(api, reader_core, scenario)
    assert not bot.errors


def _long_deal(index: int) -> object:
    facts = deal_article(index)
    long_sentence = facts.deals[0].evidence[0].sentence.rstrip(".") + ", " + ", ".join(
        f"clause {n} of the accord on harbour logistics and rail links" for n in range(6)) + "."
    ev = facts.deals[0].evidence[0].model_copy(update={"sentence": long_sentence})
    return facts.model_copy(update={"deals": [facts.deals[0].model_copy(update={"evidence": [ev]})]})


def test_bot_paging_fits_one_message_and_page_words(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [_long_deal(i) for i in range(30)], clock.now)  # type: ignore[misc]

    async def scenario(bot: Bot) -> None:
        mark = api.mark()
        first = await bot.ask(USER, "/deals", "Deals")
        await bot.quiet(api.command(USER + 1, USER + 1, "/help"))
        assert len([c for c in api.calls[mark:] if c.method == "sendMessage" and c.chat_id == USER]) == 1
        assert len(first.text) <= 4096 and first.keyboard
        (second,) = await bot.send(api.press(first, "▶"), method="editMessageText")
        assert int(second.params["message_id"]) == first.params["_message_id"]
        assert len(second.text) <= 4096 and "page 2/" in second.visible
        paged = await bot.ask(USER, "/deals page 2", "Deals")
        assert "page 2/" in paged.visible and "page 2" not in paged.visible.split("\n")[0]
        for bad in ("page 0", "page abc"):
            refused = await bot.ask(USER, f"/deals {bad}", "")
            assert "not a page" in refused.visible and "Nothing found" not in refused.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_amount_filters_compare_across_currencies(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    amounts = [Money(value=5e9, currency="INR", text="₹500 crore"), Money(value=8.5e8, currency="USD"),
               Money(value=1.2e9, currency="EUR")]
    articles = []
    for index, money in enumerate(amounts):
        facts = deal_article(index)
        deal = facts.deals[0].model_copy(update={"amount": money})
        articles.append(facts.model_copy(update={"deals": [deal]}))
    ingest(core.store, articles, clock.now)

    async def scenario(bot: Bot) -> None:
        big = await bot.ask(USER, "/deals min:1bn", "Deals")
        assert "1 deal" in big.visible and "€1.2 billion" in big.visible and "crore" not in big.visible
        assert "reference rates of 30 Sep 2025" in big.visible
        mid = await bot.ask(USER, "/deals min:800m", "Deals")
        assert "2 deals" in mid.visible and "$850 million" in mid.visible and "crore" not in mid.visible
        inr = await bot.ask(USER, "/deals min:1bn currency:INR", "Deals")
        assert "1 deal" in inr.visible and "INR only" in inr.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_small_things(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        early = await bot.ask(USER, "/settings 07:30", "")
        assert "not subscribed yet" in early.visible and "/start" in early.visible
        assert core.subscriber(USER) is None
        gone = await bot.ask(ADMIN_ID, "/feeds remove https://nowhere.example/feed", "")
        assert "No feed" in gone.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_deep_link_needs_the_bot_name(core: Core) -> None:
    """Without the bot's name (the CLI), the briefing says the command instead of a link."""
    assert core.renderer.deep_link("s-1234abcd") is None
    core.renderer.bot_username = "some_bot"
    assert core.renderer.deep_link("s-1234abcd") == "https://t.me/some_bot?start=s-1234abcd"
    assert core.renderer.deep_link("s-1 2") is None
    dt.date.today()
