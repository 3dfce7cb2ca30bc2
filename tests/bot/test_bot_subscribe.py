"""/start -> time and zone buttons -> the scheduled briefing at the right local instant, once."""

from __future__ import annotations

import datetime as dt

from briefings.core import Core
from briefings.store import deliveries
from briefings.store.articles import ingest
from tests.bot.harness import ADMIN_ID, Bot, FakeClock, run_bot
from tests.support.builders import deal_article
from tests.support.fake_bot_api import FakeBotApi

USER = 100
UTC = dt.UTC


def test_bot_start_pick_time_and_zone_then_scheduled_briefing(api: FakeBotApi, core: Core,
                                                              clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(3)], clock.now)

    async def scenario(bot: Bot) -> None:
        (welcome,) = await bot.send(api.command(USER, USER, "/start"), predicate=lambda c: c.chat_id == USER)
        assert "Subscribed" in welcome.text and "Daily at <b>08:00</b> (UTC)" in welcome.text
        assert welcome.params["parse_mode"] == "HTML"

        # Each press edits the same message and is answered.
        (edited,) = await bot.send(api.press(welcome, "07:00"), method="editMessageText")
        assert int(edited.params["message_id"]) == welcome.params["_message_id"]
        assert "Daily at <b>07:00</b> (UTC)" in edited.text
        (zoned,) = await bot.send(api.press(edited, "Berlin"), method="editMessageText",
                                  predicate=lambda c: "Europe/Berlin" in c.text)
        assert int(zoned.params["message_id"]) == welcome.params["_message_id"]
        assert "Daily at <b>07:00</b> (Europe/Berlin)" in zoned.text
        answers = api.sent("answerCallbackQuery")
        assert len(answers) == 2 and all(a.params.get("callback_query_id") for a in answers)

        sub = core.subscriber(USER)
        assert sub is not None and sub.timezone == "Europe/Berlin" and sub.delivery_time == dt.time(7, 0)

        # 06:59 in Berlin (CEST, UTC+2): not yet.
        clock.set(dt.datetime(2025, 9, 15, 4, 59, tzinfo=UTC))
        await bot.tick()
        assert api.sent(chat_id=USER)[-1].params["_message_id"] == welcome.params["_message_id"]
        # 07:00 in Berlin: the briefing, once, however often the planner runs.
        clock.set(dt.datetime(2025, 9, 15, 5, 0, 20, tzinfo=UTC))
        await bot.tick()
        await bot.tick()
        clock.set(dt.datetime(2025, 9, 15, 9, 0, tzinfo=UTC))
        await bot.tick()
        briefings = [c for c in api.sent(chat_id=USER) if "Briefing for 15 Sep 2025" in c.text]
        assert len(briefings) == 1
        assert "Next briefing: Tue 16 Sep 2025 07:00 (Europe/Berlin)" in api.sent(chat_id=USER)[-1].text
        (record,) = deliveries.deliveries_for(core.store, dt.date(2025, 9, 15))
        assert record.status == "sent" and not record.late and record.message_ids

        # /start again is idempotent: it tells the next delivery and changes nothing.
        (again,) = await bot.send(api.command(USER, USER, "/start"), predicate=lambda c: c.chat_id == USER)
        assert "You are subscribed" in again.text and "Tue 16 Sep 2025 07:00" in again.text

        # The next day, at the same local time: nothing new is said in one line, not resent.
        clock.set(dt.datetime(2025, 9, 16, 5, 0, tzinfo=UTC))
        await bot.tick()
        last = api.sent(chat_id=USER)[-1]
        assert last.text.startswith("📰 Nothing new since Mon 15 Sep 2025 07:00.") and "\n" not in last.text
        # New articles since then make the day after a real briefing again.
        ingest(core.store, [deal_article(7)], dt.datetime(2025, 9, 16, 12, 0, tzinfo=UTC))
        clock.set(dt.datetime(2025, 9, 17, 5, 0, tzinfo=UTC))
        await bot.tick()
        (third,) = [c for c in api.sent(chat_id=USER) if "Briefing for 17 Sep 2025" in c.text]
        assert "Since Tue 16 Sep 2025 07:00 · 1 story" in third.text

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_briefing_follows_settings_at_once_and_survives_restart(api: FakeBotApi, core: Core,
                                                                    clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(3)], clock.now)

    async def first_run(bot: Bot) -> None:
        await bot.send(api.command(USER, USER, "/start"), predicate=lambda c: c.chat_id == USER)
        await bot.send(api.command(USER, USER, "/settings 10:30 Asia/Karachi"),
                       predicate=lambda c: "Saved" in c.text)
        clock.set(dt.datetime(2025, 9, 15, 5, 29, tzinfo=UTC))
        await bot.tick()
        assert not [c for c in api.sent(chat_id=USER) if "Briefing for" in c.text]
        clock.set(dt.datetime(2025, 9, 15, 5, 30, tzinfo=UTC))  # 10:30 in Karachi (UTC+5)
        await bot.tick()

    run_bot(api, core, first_run)
    assert len([c for c in api.sent(chat_id=USER) if "Briefing for 15 Sep 2025" in c.text]) == 1

    async def after_restart(bot: Bot) -> None:
        await bot.tick()

    run_bot(api, core, after_restart)  # a new Application over the same store: nothing sent twice
    assert len([c for c in api.sent(chat_id=USER) if "Briefing for 15 Sep 2025" in c.text]) == 1


def test_bot_missed_briefing_within_grace_is_late_and_older_is_skipped(api: FakeBotApi, core: Core,
                                                                       clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(3)], clock.now)

    async def scenario(bot: Bot) -> None:
        await bot.send(api.command(USER, USER, "/start"), predicate=lambda c: c.chat_id == USER)
        await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/start"), predicate=lambda c: c.chat_id == ADMIN_ID)
        await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/settings 05:00"),
                       predicate=lambda c: "Saved" in c.text)
        # Down from before 05:00 until 09:30 UTC: the 08:00 one is 90 minutes late (grace 120),
        # the 05:00 one is 4.5 hours late.
        clock.set(dt.datetime(2025, 9, 15, 9, 30, tzinfo=UTC))
        await bot.tick()

    run_bot(api, core, scenario)
    late = [c for c in api.sent(chat_id=USER) if "Briefing for 15 Sep 2025" in c.text]
    assert len(late) == 1 and "(late)" in late[0].text
    assert not [c for c in api.sent(chat_id=ADMIN_ID) if "Briefing for" in c.text]
    records = {d.chat_id: d for d in deliveries.deliveries_for(core.store, dt.date(2025, 9, 15))}
    assert records[USER].status == "sent" and records[USER].late
    assert records[ADMIN_ID].status == "skipped" and "missed by 4h 30m" in (records[ADMIN_ID].error or "")
