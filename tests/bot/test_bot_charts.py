"""/chart through the fake Bot API: a PNG by sendPhoto with its caption and a button to the facts."""

from __future__ import annotations

import datetime as dt

from briefings.core import Core
from briefings.store.articles import ingest
from tests.bot.harness import Bot, FakeClock, run_bot
from tests.bot.test_bot_follows import alert_tick
from tests.support.fake_bot_api import FakeBotApi
from tests.support.follow_articles import deal_article

USER = 100
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_bot_chart_deals_sends_a_png_with_its_caption(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [
        deal_article("fert-1", "Lagos Ledger", ("Nigeria", "Hungary"), 2e9, "PKR", dt.date(2025, 9, 10)),
        deal_article("fert-2", "Danube Daily", ("Pakistan", "Kenya Agro Board"), 3e6, "USD",
                     dt.date(2025, 8, 2))], clock.now)

    async def scenario(bot: Bot) -> None:
        (photo,) = await bot.send(api.command(USER, USER, "/chart deals"), method="sendPhoto")
        png = photo.files["photo"]
        assert png.startswith(PNG_SIGNATURE) and len(png) > 5000
        caption = str(photo.params["caption"])
        assert caption.startswith("Deal amounts: 2 deals by country, in USD, from 2 sources.")
        assert "reference rates of 2025-09-30: 1 PKR = 0.003545 USD" in caption
        assert photo.keyboard[0][0]["text"] == "📋 The facts"
        (facts,) = await bot.send(api.press(photo, "📋 The facts"), method="editMessageText")
        assert "2 deals" in facts.visible

        # The same chart again is the cached render: byte for byte the same picture.
        (again,) = await bot.send(api.command(USER, USER, "/chart deals"), method="sendPhoto")
        assert again.files["photo"] == png

        (by_party,) = await bot.send(api.command(USER, USER, "/chart deals by:party"), method="sendPhoto")
        assert "by party" in str(by_party.params["caption"])

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_chart_without_data_answers_in_text(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        empty = await bot.ask(USER, "/chart deals")
        assert "Nothing to chart" in empty.visible
        nobody = await bot.ask(USER, "/chart timeline <b>Nobody</b> & co")
        assert "Nothing to chart" in nobody.visible and "<b>Nobody</b> & co" in nobody.visible
        wrong = await bot.ask(USER, "/chart pie")
        assert "Which chart?" in wrong.visible
        assert not api.sent("sendPhoto")

    run_bot(api, core, scenario)


def test_bot_briefing_chart_comes_once_after_the_briefing(api: FakeBotApi, core: Core,
                                                         clock: FakeClock) -> None:
    ingest(core.store, [
        deal_article("fert-1", "Lagos Ledger", ("Nigeria", "Hungary"), 2e9, "PKR", dt.date(2025, 9, 12))],
        clock.now)

    async def scenario(bot: Bot) -> None:
        await bot.ask(USER, "/start")
        saved = await bot.ask(USER, "/settings chart on")
        assert "chart on" in saved.visible
        clock.set(dt.datetime(2025, 9, 15, 8, 0, 30, tzinfo=dt.UTC))
        await bot.tick()
        assert api.sent(chat_id=USER)[-1].text.count("Briefing") >= 1
        for _ in range(2):  # a second run sends no second chart
            await alert_tick(bot)
        (photo,) = api.sent("sendPhoto", chat_id=USER)
        assert photo.files["photo"].startswith(PNG_SIGNATURE)
        assert "1 deal by country" in str(photo.params["caption"])

    run_bot(api, core, scenario)
