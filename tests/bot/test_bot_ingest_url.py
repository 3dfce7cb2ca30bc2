"""An admin sends /ingest URL: the page is fetched (loopback allowed here by settings), cleaned,
extracted and stored; a non-admin is refused; a refused address is a short reply."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from briefings.core import Core
from tests.bot.harness import ADMIN_ID, Bot, run_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.loopback import serve

PAGE = b"""<html><head><title>Northland and Southport sign harbour deal</title>
<meta property="article:published_time" content="2025-09-14T08:00:00Z"></head><body><article>
<h1>Northland and Southport sign harbour deal</h1>
<p>Kenyan President Aron Vale and Japanese Prime Minister Mira Costa met in Mombasa on Monday, and Kenya
and Japan signed a $300 million harbour agreement, officials said.</p>
<p>The agreement covers a new container terminal and a rail link to the port.</p>
</article></body></html>"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def page_url() -> Iterator[str]:
    with serve(_Page) as base:
        yield f"{base}/news/harbour-deal"


def test_bot_ingest_url_by_an_admin(api: FakeBotApi, core: Core, page_url: str) -> None:
    open_core = Core(core.settings.model_copy(update={"allow_private_urls": True}), core.store,
                     clock=core.clock)

    async def scenario(bot: Bot) -> None:
        (refused,) = await bot.send(api.command(7, 7, f"/ingest {page_url}"),
                                    predicate=lambda c: c.chat_id == 7)
        assert "admin" in refused.visible.lower()
        (report,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, f"/ingest {page_url}"),
                                   predicate=lambda c: c.chat_id == ADMIN_ID)
        assert "1 new" in report.visible
        (deals,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, "/deals"),
                                  predicate=lambda c: c.chat_id == ADMIN_ID and c.text != report.text)
        assert "$300 million" in deals.visible

    bot = run_bot(api, open_core, scenario)
    assert not bot.errors
    assert open_core.stats().articles == 1


def test_bot_ingest_url_refuses_private_addresses_by_default(api: FakeBotApi, core: Core,
                                                             page_url: str) -> None:
    async def scenario(bot: Bot) -> None:
        (report,) = await bot.send(api.command(ADMIN_ID, ADMIN_ID, f"/ingest {page_url}"),
                                   predicate=lambda c: c.chat_id == ADMIN_ID)
        assert "1 new" not in report.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    assert core.stats().articles == 0
