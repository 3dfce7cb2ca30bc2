"""Admin flows: an uploaded article, /post_now to every subscriber once, refusals, send failures."""

from __future__ import annotations

import datetime as dt

from briefings.core import Core
from briefings.store import deliveries
from briefings.store.articles import ingest
from tests.bot.harness import ADMIN_ID, Bot, FakeClock, run_bot
from tests.support.builders import deal_article
from tests.support.fake_bot_api import FakeBotApi

UTC = dt.UTC
EARLY, LATE, BLOCKED = 100, 200, 300

ARTICLE = (
    b"Northland and Southport agree harbour deal\n\n"
    b"NORTHVILLE: Northland and Southport signed a memorandum of understanding worth $300 million "
    b"on Monday to expand the harbour, officials said.\n\n"
    b"Critics posted <script>alert(1)</script> & <b>bold</b> claims about the <i deal, which officials "
    b"dismissed.\n"
)


def briefings_to(api: FakeBotApi, chat_id: int) -> list[str]:
    return [c.text for c in api.sent(chat_id=chat_id) if "Briefing for" in c.text]


def test_bot_admin_uploads_an_article(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        (report,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "harbour.txt", ARTICLE),
                                   predicate=lambda c: c.chat_id == ADMIN_ID)
        assert "Ingested: 1 new" in report.visible
        assert api.sent("getFile")
        (again,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "harbour.txt", ARTICLE),
                                  predicate=lambda c: c.chat_id == ADMIN_ID and c.text != report.text)
        assert "0 new · 0 replaced · 1 unchanged" in again.visible
        (found,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/search harbour"),
                                  predicate=lambda c: c.chat_id == ADMIN_ID and "Search" in c.text)
        assert "Nothing found" not in found.visible
        # The article's own markup is text, never HTML (the server checks every message).
        await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/brief"),
                       predicate=lambda c: c.chat_id == ADMIN_ID and "Briefing for" in c.text)

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    assert core.stats().articles == 1


def test_bot_uploads_refused_before_download(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        (refused,) = await bot.send(api.document(EARLY, EARLY, "harbour.txt", ARTICLE),
                                    predicate=lambda c: c.chat_id == EARLY)
        assert "Only the bot's admins can add articles." in refused.visible
        (too_big,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "big.txt", b"x", file_size=10_000_000),
                                    predicate=lambda c: c.chat_id == ADMIN_ID)
        assert "too big" in too_big.visible
        (wrong,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "photo.png", b"\x89PNG"),
                                  predicate=lambda c: c.chat_id == ADMIN_ID and c.text != too_big.text)
        assert "Send a .txt, .html or .json file." in wrong.visible

    bot = run_bot(api, core, scenario)
    assert not api.sent("getFile")
    assert not bot.errors
    assert core.stats().articles == 0


def test_bot_post_now_reaches_every_subscriber_once(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(3)], clock.now)

    async def scenario(bot: Bot) -> None:
        for chat in (EARLY, LATE):
            await bot.ask(chat, "/start")
        await bot.send(api.command(LATE, LATE, "/settings 20:00"), predicate=lambda c: "Saved" in c.text)

        clock.set(dt.datetime(2025, 9, 15, 8, 0, tzinfo=UTC))
        await bot.tick()  # EARLY's scheduled briefing
        assert len(briefings_to(api, EARLY)) == 1 and not briefings_to(api, LATE)

        # A non-admin is refused and nothing is sent.
        refused = await bot.ask(LATE, "/post_now")
        assert "for the bot's admins" in refused.visible
        assert not briefings_to(api, LATE)

        # The admin's preview goes to the admin only.
        await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/post_now me"),
                       predicate=lambda c: c.chat_id == ADMIN_ID and "Preview" in c.text)
        assert not briefings_to(api, LATE)

        clock.set(dt.datetime(2025, 9, 15, 9, 0, tzinfo=UTC))
        # The admin's notice is edited in place with the outcome.
        [done] = await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/post_now"), method="editMessageText",
                                predicate=lambda c: c.chat_id == ADMIN_ID and "Sent to 1" in c.visible)
        [notice] = [c for c in api.sent(chat_id=ADMIN_ID) if "Posting today's briefing" in c.visible]
        assert int(done.params["message_id"]) == notice.params["_message_id"]
        assert len(briefings_to(api, LATE)) == 1 and len(briefings_to(api, EARLY)) == 1
        (second,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/post_now"),
                                   predicate=lambda c: c.chat_id == ADMIN_ID and "already" in c.visible)
        assert "Every subscriber already has today's briefing." in second.visible

        # LATE's own time comes: the day is taken, nothing more is sent.
        clock.set(dt.datetime(2025, 9, 15, 20, 0, tzinfo=UTC))
        await bot.tick()
        assert len(briefings_to(api, LATE)) == 1 and len(briefings_to(api, EARLY)) == 1

        (stats,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/stats"),
                                  predicate=lambda c: c.chat_id == ADMIN_ID and "Stats" in c.text)
        assert "Subscribers: 2 active of 2" in stats.visible and "Articles: 3" in stats.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    records = {d.chat_id: d.status for d in deliveries.deliveries_for(core.store, dt.date(2025, 9, 15))}
    assert records == {EARLY: "sent", LATE: "sent"}


def test_bot_blocked_chat_goes_inactive_and_flood_wait_is_retried(api: FakeBotApi, core: Core,
                                                                  clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(2)], clock.now)

    async def scenario(bot: Bot) -> None:
        for chat in (EARLY, BLOCKED):
            await bot.ask(chat, "/start")
        api.fail("sendMessage", 403, chat_id=BLOCKED)
        api.fail("sendMessage", 429, chat_id=EARLY, retry_after=7)
        clock.set(dt.datetime(2025, 9, 15, 8, 0, tzinfo=UTC))
        await bot.tick()

    bot = run_bot(api, core, scenario)
    assert bot.sleeps == [7.0]
    assert len(briefings_to(api, EARLY)) == 1
    blocked = core.subscriber(BLOCKED)
    assert blocked is not None and not blocked.active and blocked.delivery_time == dt.time(8, 0)
    records = {d.chat_id: d for d in deliveries.deliveries_for(core.store, dt.date(2025, 9, 15))}
    assert records[EARLY].status == "sent"
    assert records[BLOCKED].status == "failed" and "Forbidden" in (records[BLOCKED].error or "")
    assert not bot.errors


def test_bot_blocked_by_the_user_stops_deliveries_and_start_revives(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        await bot.ask(EARLY, "/settings")  # not subscribed yet: just a view
        await bot.ask(EARLY, "/start")
        await bot.ask(EARLY, "/settings 06:15 Asia/Tokyo", contains="Saved")
        assert not await bot.quiet(api.membership(EARLY, EARLY, "kicked"))
        sub = core.subscriber(EARLY)
        assert sub is not None and not sub.active
        assert not core.deliverable()
        await bot.ask(EARLY, "/start", contains="Subscribed")
        sub = core.subscriber(EARLY)
        assert sub is not None and sub.active and sub.timezone == "Asia/Tokyo"

    bot = run_bot(api, core, scenario)
    assert not bot.errors
