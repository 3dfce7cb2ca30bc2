"""Follows and alerts end to end through the fake Bot API: follow, ingest, exactly one alert."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from bot.alerts import ALERTS_JOB
from briefings.core import Core
from briefings.follows import MAX_FOLLOWS, Candidate, ReaderPrefs
from briefings.store import alert_ledger, queries
from briefings.store import follows as follow_store
from briefings.store.articles import ingest
from tests.bot.harness import Bot, FakeClock, run_bot
from tests.support.builders import deal_article
from tests.support.fake_bot_api import FakeBotApi
from tests.support.follow_articles import meeting_article, profile_article

USER = 100
OTHER = 101
GROUP = -500
MEMBER, GROUP_ADMIN = 300, 301


async def alert_tick(bot: Bot) -> None:
    (job,) = bot.app.job_queue.get_jobs_by_name(ALERTS_JOB)  # type: ignore[union-attr]
    await job.run(bot.app)


def alerts_to(api: FakeBotApi, chat_id: int) -> list[Any]:
    return [c for c in api.sent(chat_id=chat_id) if "New on what you follow" in c.visible]


def test_bot_follow_then_one_alert_per_fact(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [profile_article()], clock.now)

    async def scenario(bot: Bot) -> None:
        await bot.ask(USER, "/start")
        await bot.ask(OTHER, "/start")
        follow = await bot.ask(USER, "/follow Lena Okafor alert", "Following")
        assert "Following Lena Okafor (Foreign Minister, Nigeria)" in follow.visible
        await bot.ask(OTHER, "/follow Okafor", "Following")   # no alert asked for

        await alert_tick(bot)
        assert not alerts_to(api, USER)  # the profile article came before the follow

        clock.set(clock.now + dt.timedelta(minutes=1))
        ingest(core.store, [meeting_article()], clock.now)   # as `briefbot ingest` in another process
        await alert_tick(bot)
        (alert,) = alerts_to(api, USER)
        assert "Meeting: Lena Okafor and Tomas Varga · Budapest · 12 Sep 2025" in alert.visible
        assert "Lena Ledger" not in alert.visible and "Lagos Ledger" in alert.visible
        assert alert.keyboard[0][0]["callback_data"].startswith("fw:s:s-")
        assert not alerts_to(api, OTHER)

        # The same article again, then a second outlet on the same meeting: no second alert, even
        # after the coalescing window.
        clock.set(clock.now + dt.timedelta(minutes=11))
        ingest(core.store, [meeting_article()], clock.now)
        ingest(core.store, [meeting_article("okafor-varga-2", "Danube Daily")], clock.now)
        await alert_tick(bot)
        clock.set(clock.now + dt.timedelta(minutes=11))
        await alert_tick(bot)
        assert len(alerts_to(api, USER)) == 1
        assert alert_ledger.counts(core.store) == {"sent": 1}

        # The alert's button opens the story.
        (opened,) = await bot.send(api.press(alert, alert.keyboard[0][0]["text"]), method="editMessageText")
        assert "Okafor meets Varga" in opened.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_follow_bad_input_changes_nothing(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [profile_article()], clock.now)
    for i in range(MAX_FOLLOWS):
        follow_store.add_follow(core.store, USER, Candidate(kind="topic", key=f"word{i}", label=f"word{i}"),
                                alert=False, now=clock.now)

    async def scenario(bot: Bot) -> None:
        for text, expected in [("/follow <b>", "at least two letters"), ("/follow &", "at least two letters"),
                               ("/follow Zorblax Quint", "I know no person"),
                               ("/follow <b>Zorblax</b> & co", "I know no person"),
                               ("/follow Lena Okafor", f"already follow {MAX_FOLLOWS}"),
                               ("/unfollow Nobody Here", "You do not follow")]:
            answer = await bot.ask(OTHER if "Zorblax" in text or "&" in text or "<b>" in text else USER, text)
            assert expected in answer.visible, (text, answer.visible)
        assert len(follow_store.list_follows(core.store, USER)) == MAX_FOLLOWS
        assert follow_store.list_follows(core.store, OTHER) == []

    run_bot(api, core, scenario)


def test_bot_only_group_admins_change_group_follows(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [profile_article()], clock.now)
    api.make_chat_admin(GROUP, GROUP_ADMIN)

    async def scenario(bot: Bot) -> None:
        (refused,) = await bot.send(api.command(GROUP, MEMBER, "/follow Lena Okafor", chat_type="supergroup"),
                                    predicate=lambda c: c.chat_id == GROUP)
        assert "Only this group's admins" in refused.visible
        assert follow_store.list_follows(core.store, GROUP) == []
        command = api.command(GROUP, GROUP_ADMIN, "/follow Lena Okafor", chat_type="supergroup")
        (done,) = await bot.send(command, predicate=lambda c: c.chat_id == GROUP)
        assert "Following Lena Okafor" in done.visible
        # A member pressing the Unfollow button changes nothing either.
        mark = api.mark()
        api.push(api.press(done, "✕ Unfollow", user_id=MEMBER))
        await asyncio.to_thread(api.wait_for, "answerCallbackQuery", None, after=mark)
        assert len(follow_store.list_follows(core.store, GROUP)) == 1
        (listing,) = await bot.send(api.command(GROUP, MEMBER, "/following", chat_type="supergroup"),
                                    predicate=lambda c: c.chat_id == GROUP)
        assert "Lena Okafor" in listing.visible

    run_bot(api, core, scenario)


def test_bot_daily_briefing_lists_the_followed_story_first(api: FakeBotApi, core: Core,
                                                           clock: FakeClock) -> None:
    # Eleven stories; the smallest deal ranks last of them without follows.
    ingest(core.store, [*(deal_article(i) for i in range(10)), meeting_article(),
                        meeting_article("okafor-varga-2", "Danube Daily")], clock.now)

    async def scenario(bot: Bot) -> None:
        await bot.ask(USER, "/start")
        await bot.ask(OTHER, "/start")
        await bot.ask(USER, "/follow Alder Mining 0", "Following Alder Mining 0")
        clock.set(dt.datetime(2025, 9, 15, 8, 0, 30, tzinfo=dt.UTC))
        mark = api.mark()
        await bot.tick()
        sent = api.calls[mark:]
        mine = "\n".join(c.visible for c in sent if c.chat_id == USER and c.method == "sendMessage")
        theirs = "\n".join(c.visible for c in sent if c.chat_id == OTHER and c.method == "sendMessage")
        assert "📌 You follow\n\n1. Deal number 0\n" in mine
        assert "📌 Alder Mining 0" in mine and "📰 Other stories\n\n2. " in mine
        assert "You follow" not in theirs and "1. Deal number 0\n" not in theirs
        assert "1. " in theirs

        # Only what they follow, weekly on Mondays (15 Sep 2025 is a Monday).
        prefs = ReaderPrefs(only_follows=True, frequency="weekly", weekday=0)
        follow_store.save_prefs(core.store, USER, prefs)
        reader = core.subscriber(USER)
        assert reader is not None
        shaped = core.briefing(reader.model_copy(update={"last_briefing_at": None}))
        assert [s.follows for s in shaped.stories] == [["Alder Mining 0"]]

    run_bot(api, core, scenario)


def test_bot_follow_button_on_a_person_and_a_story(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [profile_article(), meeting_article()], clock.now)
    (story,) = [s for s in queries.list_stories(core.store).items if s.meetings]

    async def scenario(bot: Bot) -> None:
        who = await bot.ask(USER, "/who Okafor", "Lena Okafor")
        (followed,) = await bot.send(api.press(who, "➕ Follow"), method="editMessageText")
        assert "Following Lena Okafor (Foreign Minister, Nigeria)" in followed.visible

        view = await bot.ask(USER, f"/sources {story.id}", "Okafor meets Varga")
        (offer,) = await bot.send(api.press(view, "➕ Follow"), method="editMessageText")
        choices = [b["text"] for row in offer.keyboard for b in row]
        assert "👤 Tomas Varga (Trade Minister, Hungary)" in choices
        (done,) = await bot.send(api.press(offer, "👤 Tomas Varga (Trade Minister, Hungary)"),
                                 method="editMessageText")
        assert "Following Tomas Varga" in done.visible
        labels = {f.label for f in follow_store.list_follows(core.store, USER)}
        assert labels == {"Lena Okafor", "Tomas Varga"}

        unknown = await bot.ask(USER, "/who Nobody Known")
        assert not unknown.keyboard

    run_bot(api, core, scenario)


def test_bot_alerts_wait_out_429s_and_skip_blocked_readers(api: FakeBotApi, core: Core,
                                                          clock: FakeClock) -> None:
    ingest(core.store, [profile_article()], clock.now)

    async def scenario(bot: Bot) -> None:
        for chat in (USER, OTHER):
            await bot.ask(chat, "/start")
            await bot.ask(chat, "/follow Lena Okafor alert", "Following")
        api.block(OTHER)
        api.fail("sendMessage", 429, chat_id=USER, retry_after=3)
        clock.set(clock.now + dt.timedelta(minutes=1))
        ingest(core.store, [meeting_article()], clock.now)
        await alert_tick(bot)
        assert len(alerts_to(api, USER)) == 1 and 3 in bot.sleeps  # waited, then sent once
        reader = core.subscriber(OTHER)
        assert reader is not None and not reader.active  # blocked: no longer a subscriber
        assert alert_ledger.counts(core.store) == {"sent": 1, "failed": 1}
        await alert_tick(bot)
        assert len(alerts_to(api, USER)) == 1 and api.sent("sendMessage!403", chat_id=OTHER)

    run_bot(api, core, scenario)
