"""Commands through the bot: paging with buttons, stale buttons, groups, bad input, the menus."""

from __future__ import annotations

import datetime as dt
import json

from briefings.core import Core
from briefings.store.articles import ingest, remove_article
from tests.bot.harness import ADMIN_ID, Bot, FakeClock, run_bot
from tests.support.builders import deal_article
from tests.support.fake_bot_api import BOT_USERNAME, FakeBotApi

USER = 100
GROUP = -500
MEMBER, GROUP_ADMIN = 300, 301


def test_bot_deals_pages_with_buttons_and_stale_buttons_get_fresh_results(api: FakeBotApi, core: Core,
                                                                          clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(40)], clock.now)

    async def scenario(bot: Bot) -> None:
        (first,) = await bot.send(api.command(USER, USER, "/deals"), predicate=lambda c: c.chat_id == USER)
        assert "40 deals · page 1/4" in first.text
        assert first.text.count("🤝 <b>MoU</b>") == 10
        assert [b["text"] for b in first.keyboard[0]] == ["◀", "1/4", "▶"]

        (second,) = await bot.send(api.press(first, "▶"), method="editMessageText")
        assert int(second.params["message_id"]) == first.params["_message_id"]
        assert "page 2/4" in second.text and [b["text"] for b in second.keyboard[0]] == ["◀", "2/4", "▶"]
        (wrapped,) = await bot.send(api.press(first, "◀"), method="editMessageText",
                                    predicate=lambda c: "page 4/4" in c.text)
        assert wrapped.text.count("🤝 <b>MoU</b>") == 10

        # 30 articles go away: the page-4 button of an old message now shows the last page left.
        for i in range(10, 40):
            remove_article(core.store, f"deal-{i:03d}", clock.now)
        (fresh,) = await bot.send(api.press(first, "◀"), method="editMessageText",
                                  predicate=lambda c: "10 deals" in c.text)
        assert "page" not in fresh.visible and not fresh.keyboard
        answers = api.sent("answerCallbackQuery")
        assert len(answers) == 3

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_filtered_deals_keep_their_filter(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(40)], clock.now)

    async def scenario(bot: Bot) -> None:
        (first,) = await bot.send(api.command(USER, USER, "/deals Northland"),
                                  predicate=lambda c: c.chat_id == USER)
        assert "Northland" in first.text and "10 deals" in first.text

    run_bot(api, core, scenario)


def test_bot_commands_in_groups(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(3)], clock.now)
    api.make_chat_admin(GROUP, GROUP_ADMIN)

    def group(user: int, text: str) -> dict[str, object]:
        return api.command(GROUP, user, text, chat_type="supergroup")

    async def scenario(bot: Bot) -> None:
        # Addressed to another bot: not ours to answer.
        assert not await bot.quiet(group(MEMBER, "/deals@some_other_bot"))
        in_group = lambda c: c.chat_id == GROUP  # noqa: E731
        (deals,) = await bot.send(group(MEMBER, f"/deals@{BOT_USERNAME}"), predicate=in_group)
        assert "3 deals" in deals.text

        # Only chat admins subscribe the group or change its settings.
        (refused,) = await bot.send(group(MEMBER, f"/start@{BOT_USERNAME}"), predicate=in_group)
        assert "Only this group's admins" in refused.visible
        assert core.subscriber(GROUP) is None
        assert api.sent("getChatMember")
        (welcome,) = await bot.send(group(GROUP_ADMIN, f"/start@{BOT_USERNAME}"),
                                    predicate=lambda c: c.chat_id == GROUP and "Subscribed" in c.text)
        (answer,) = await bot.send(api.press(welcome, "09:00", user_id=MEMBER), method="answerCallbackQuery")
        assert "Only this group's admins" in answer.params["text"]
        sub = core.subscriber(GROUP)
        assert sub is not None and sub.delivery_time == dt.time(8, 0)
        (refused,) = await bot.send(group(MEMBER, "/settings 09:00"),
                                    predicate=lambda c: c.chat_id == GROUP and "admins" in c.visible)
        await bot.send(api.press(welcome, "09:00", user_id=GROUP_ADMIN), method="editMessageText")
        sub = core.subscriber(GROUP)
        assert sub is not None and sub.delivery_time == dt.time(9, 0)
        # Reading commands need no admin rights.
        await bot.send(group(MEMBER, f"/brief@{BOT_USERNAME}"),
                       predicate=lambda c: c.chat_id == GROUP and "Briefing for" in c.text)

    bot = run_bot(api, core, scenario)
    assert not bot.errors


BAD_INPUT = [
    ("/timeline next tuesday-ish", "I cannot read 'next tuesday-ish' as a date"),
    ("/settings 25:99", "'25:99' is not a time"),
    ("/settings Mars/Olympus", "Unknown time zone"),
    ("/frobnicate", "Unknown command /frobnicate"),
    ("/who", "This command needs an argument"),
    ("/sources <b>", "Give a fact id"),
    ("/search <script>alert(1)</script>", "<script>alert(1)</script>"),
    ("/deals min:1bn max:1m", "the amount range is backwards"),
    ("/post_now", "This command is for the bot's admins."),
    ("/stats", "This command is for the bot's admins."),
    ("/ingest https://example.org/a", "This command is for the bot's admins."),
    ("/feeds add https://example.org/feed", "This command is for the bot's admins."),
    ("just chatting", "Send a command"),
]


def test_bot_bad_input_gets_a_short_reply_and_changes_nothing(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        for text, expected in BAD_INPUT:
            (reply,) = await bot.send(api.command(USER, USER, text), predicate=lambda c: c.chat_id == USER)
            assert expected in reply.visible, (text, reply.text)

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    assert core.subscriber(USER) is None
    assert core.list_feeds() == []
    assert not api.sent("sendMessage", chat_id=ADMIN_ID)


def test_bot_publishes_menus_from_the_command_table(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        await bot.send(api.command(USER, USER, "/help"), predicate=lambda c: c.chat_id == USER)

    run_bot(api, core, scenario)
    menus = api.sent("setMyCommands")
    by_scope = {json.dumps(c.params.get("scope"), sort_keys=True): c.params["commands"] for c in menus}
    default = by_scope[json.dumps({"type": "default"}, sort_keys=True)]
    admin = by_scope[json.dumps({"type": "chat", "chat_id": ADMIN_ID}, sort_keys=True)]
    assert {c["command"] for c in default} >= {"start", "brief", "deals", "settings", "help"}
    assert "post_now" not in {c["command"] for c in default}
    assert {"post_now", "stats", "ingest", "feeds"} <= {c["command"] for c in admin}
    help_text = api.sent(chat_id=USER)[-1].text
    assert all(f"/{c['command']}" in help_text for c in default)
    assert "/post_now" not in help_text


def test_bot_start_deep_links_open_a_fact_a_story_or_a_person(api: FakeBotApi, core: Core,
                                                              clock: FakeClock) -> None:
    from briefings.store import queries
    from briefings.store.views import DealFilter

    ingest(core.store, [deal_article(i) for i in range(2)], clock.now)
    deal = queries.list_deals(core.store, DealFilter()).items[0]
    story = queries.stories_updated_since(core.store, None)[0]

    async def scenario(bot: Bot) -> None:
        await bot.send(api.command(USER, USER, f"/start {deal.id}"),
                       predicate=lambda c: c.chat_id == USER and deal.sources[0].sentence in c.visible)
        await bot.send(api.command(USER, USER, f"/start {story.id}"),
                       predicate=lambda c: c.chat_id == USER and "1. " in c.visible)
        await bot.send(api.command(USER, USER, "/start p-Nobody_Known"),
                       predicate=lambda c: c.chat_id == USER and "nobody called 'Nobody Known'" in c.visible)
        await bot.send(api.command(USER, USER, "/start d-ffffffff"),
                       predicate=lambda c: c.chat_id == USER and "No fact with id d-ffffffff" in c.visible)

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    # Opening a tapped link subscribes no one (a forwarded briefing's reader only wanted the story).
    assert core.subscriber(USER) is None
