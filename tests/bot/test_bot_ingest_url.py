"""An admin sends /ingest URL: the page is fetched (loopback allowed here by settings), cleaned,
extracted and stored; a non-admin is refused; a refused address is a short reply."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest

from briefings.core import Core
from tests.bot.harness import ADMIN_ID, Bot, run_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.loopback import serve, static_site

PAGE = b"""<html><head><title>Northland and Southport sign harbour deal</title>
<meta property="article:published_time" content="2025-09-14T08:00:00Z"></head><body><article>
<h1>Northland and Southport sign harbour deal</h1>
<p>Kenyan President Aron Vale and Japanese Prime Minister Mira Costa met in Mombasa on Monday, and Kenya
and Japan signed a $300 million harbour agreement, officials said.</p>
<p>The agreement covers a new container terminal and a rail link to the port.</p>
</article></body></html>"""


SLOW_PAGE_S = 1.5


@pytest.fixture
def page_url() -> Iterator[str]:
    site = static_site({"/news/harbour-deal": PAGE, "/news/harbour-deal/slow": PAGE},
                       delays={"/news/harbour-deal/slow": SLOW_PAGE_S})  # a slow site
    with serve(site) as base:
        yield f"{base}/news/harbour-deal"


def test_bot_ingest_url_by_an_admin(api: FakeBotApi, core: Core, page_url: str) -> None:
    open_core = Core(core.settings.model_copy(update={"allow_private_urls": True}), core.store,
                     clock=core.clock)

    async def scenario(bot: Bot) -> None:
        (refused,) = await bot.send(api.command(7, 7, f"/ingest {page_url}"),
                                    predicate=lambda c: c.chat_id == 7)
        assert "admin" in refused.visible.lower()
        mark = api.mark()
        (report,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, f"/ingest {page_url}"),
                                   method="editMessageText",
                                   predicate=lambda c: c.chat_id == ADMIN_ID and "1 new" in c.visible)
        # "typing…", one progress message, then that same message edited as the steps go.
        calls = [c for c in api.calls[mark:] if c.chat_id == ADMIN_ID]
        assert calls[0].method == "sendChatAction" and calls[0].params["action"] == "typing"
        (progress,) = [c for c in calls if c.method == "sendMessage"]
        assert "Fetching" in progress.visible
        edits = [c for c in calls if c.method == "editMessageText"]
        steps = [("Extracting" in e.visible, "1 new" in e.visible) for e in edits]
        assert steps == [(True, False), (False, True)]
        assert {str(e.params["message_id"]) for e in edits} == {str(progress.params["_message_id"])}
        assert re.search(r"\d+ facts? added", report.visible), report.visible
        (deals,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/deals"),
                                  predicate=lambda c: c.chat_id == ADMIN_ID and "Deals" in c.visible)
        assert "$300 million" in deals.visible

    bot = run_bot(api, open_core, scenario)
    assert not bot.errors
    assert open_core.stats().articles == 1


def test_bot_ingest_url_refuses_private_addresses_by_default(api: FakeBotApi, core: Core,
                                                             page_url: str) -> None:
    async def scenario(bot: Bot) -> None:
        (report,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, f"/ingest {page_url}"),
                                   method="editMessageText",
                                   predicate=lambda c: c.chat_id == ADMIN_ID and "Ingested" in c.visible)
        assert "1 new" not in report.visible and "1 failed" in report.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    assert core.stats().articles == 0


def test_bot_ingest_url_never_blocks_other_chats(api: FakeBotApi, core: Core, page_url: str) -> None:
    """Issue 11: another user's /help is answered while an admin's slow page is still being fetched."""
    open_core = Core(core.settings.model_copy(update={"allow_private_urls": True}), core.store,
                     clock=core.clock)

    async def scenario(bot: Bot) -> None:
        mark = api.mark()
        api.push(api.command(ADMIN_ID, ADMIN_ID, f"/ingest {page_url}/slow"))
        await asyncio.to_thread(api.wait_for, "sendMessage", lambda c: "Fetching" in c.visible, after=mark)
        (answer,) = await bot.send(api.command(7, 7, "/help"), predicate=lambda c: c.chat_id == 7)
        (done,) = await asyncio.to_thread(api.wait_for, "editMessageText",
                                          lambda c: "Ingested" in c.visible, after=mark, timeout=20)
        # In order of the calls, not of the clock: /help was answered before the page had arrived.
        fetched = next(i for i, c in enumerate(api.calls) if "Extracting" in c.visible)
        assert api.calls.index(answer) < fetched < api.calls.index(done)

    bot = run_bot(api, open_core, scenario)
    assert not bot.errors
