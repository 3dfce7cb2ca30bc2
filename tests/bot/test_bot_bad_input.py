"""Issue 10 through the bot: forged button data, a deeply nested upload, a read-only store. Each gets a
short answer naming no internals, and changes nothing else."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from briefings.core import UPLOAD_ARTICLES, UPLOAD_LIMIT, Core
from briefings.errors import SERVICE_TROUBLE
from briefings.settings import Settings
from briefings.store.articles import ingest
from briefings.store.db import Store
from tests.bot.harness import ADMIN_ID, Bot, FakeClock, run_bot
from tests.support.builders import deal_article
from tests.support.fake_bot_api import TOKEN, FakeBotApi

USER = 100
ARTICLE = (b"Northland and Southport agree harbour deal\n\n"
           b"NORTHVILLE: Northland and Southport signed a memorandum of understanding worth $300 million "
           b"on Monday to expand the harbour, officials said.\n")
FORGED = [
    "pg:deals:99999999999999999999:",          # 20 digits: OverflowError / DataError before
    "pg:deals:-1:", "pg:deals:0:", "pg:deals:1e9:", "pg:deals:٣:", "pg:deals:1x99999:",
    "pg:nothing:1:", "pg:deals", "set:t:99:99", "set:z:../../etc/passwd", "zz:whatever", "",
    "pg:deals:1:" + "x" * 60,                    # over Telegram's 64 bytes
]


def _forge(press: dict[str, Any], data: str) -> dict[str, Any]:
    update = copy.deepcopy(press)
    update["callback_query"]["data"] = data
    return update


def test_bot_bad_input_forged_callback_data_is_refused(api: FakeBotApi, core: Core, clock: FakeClock) -> None:
    ingest(core.store, [deal_article(i) for i in range(40)], clock.now)
    before = core.stats()

    async def scenario(bot: Bot) -> None:
        (first,) = await bot.send(api.command(USER, USER, "/deals"), predicate=lambda c: c.chat_id == USER)
        for data in FORGED:
            (answer,) = await bot.send(_forge(api.press(first, "▶"), data), method="answerCallbackQuery")
            notice = str(answer.params.get("text", ""))
            assert any(why in notice for why in ("no longer valid", "Unknown time zone", "not a time")), data
        # A real press still works afterwards.
        (second,) = await bot.send(api.press(first, "▶"), method="editMessageText")
        assert "page 2/" in second.text

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    assert core.stats() == before
    assert core.subscriber(USER) is None  # no settings button created a subscription


def test_bot_bad_input_nested_json_upload_is_one_line(api: FakeBotApi, core: Core) -> None:
    async def scenario(bot: Bot) -> None:
        nested = b"[" * 3000 + b"]" * 3000  # 6 KB
        (refused,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "nested.json", nested),
                                    predicate=lambda c: c.chat_id == ADMIN_ID)
        assert "nested too deeply" in refused.visible
        assert "went wrong" not in refused.visible and "trouble" not in refused.visible
        (report,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "harbour.txt", ARTICLE),
                                   predicate=lambda c: c.chat_id == ADMIN_ID and c.text != refused.text)
        assert "Ingested: 1 new" in report.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    assert core.stats().articles == 1


def test_bot_bad_input_large_uploads_are_refused_at_once(api: FakeBotApi, core: Core) -> None:
    """A 5 MB upload ran 10 minutes and ended in an error: over the limit it is refused before the
    download, and a file of more articles than one upload takes is refused before extraction."""
    many = json.dumps([{"id": f"a{i}", "text": f"Article {i}: the two ministers met on Monday."}
                       for i in range(UPLOAD_ARTICLES + 1)]).encode()

    async def scenario(bot: Bot) -> None:
        (big,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "big.txt", b"x", file_size=5_000_000),
                                predicate=lambda c: c.chat_id == ADMIN_ID)
        assert f"too big: the limit is {UPLOAD_LIMIT // 1_000_000} MB" in big.visible
        (bulk,) = await bot.send(api.document(ADMIN_ID, ADMIN_ID, "bulk.json", many),
                                 predicate=lambda c: c.chat_id == ADMIN_ID and c.text != big.text)
        assert f"holds {UPLOAD_ARTICLES + 1} articles" in bulk.visible and "briefbot ingest" in bulk.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors
    assert len(api.sent("getFile")) == 1  # only the second file was downloaded
    assert core.stats().articles == 0


@pytest.fixture
def read_only_core(tmp_path: Path, api: FakeBotApi, clock: FakeClock) -> Core:
    path = tmp_path / "ro.sqlite3"
    writable = Store(f"sqlite:///{path}")
    writable.upgrade()
    writable.close()
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    settings = Settings(token=TOKEN, admins=frozenset({ADMIN_ID}), database_url=url,
                        api_base_url=api.base_url, default_timezone="UTC", default_time=dt.time(8, 0))
    return Core(settings, Store(url), clock=clock)


def test_bot_bad_input_read_only_store_names_no_internals(api: FakeBotApi, read_only_core: Core,
                                                          tmp_path: Path) -> None:
    async def scenario(bot: Bot) -> None:
        (answer,) = await bot.send(api.command(USER, USER, "/start"), predicate=lambda c: c.chat_id == USER)
        assert SERVICE_TROUBLE in answer.visible
        for internal in (str(tmp_path), "sqlite", "read-only", "database"):
            assert internal not in answer.visible

    try:
        bot = run_bot(api, read_only_core, scenario)
    finally:
        read_only_core.store.close()
    assert not bot.errors


@pytest.mark.parametrize(("typed", "answer"), [
    ("/deals page 99999999999999999999", "page 4/4"),  # past the end: the last page, no overflow
    ("/deals page ٣", "is not a page"),               # a digit, but not an ASCII one
    ("/deals page " + "9" * 200, "is not a page"),
])
def test_bot_bad_input_typed_page_numbers_are_bounded(api: FakeBotApi, core: Core, clock: FakeClock,
                                                      typed: str, answer: str) -> None:
    ingest(core.store, [deal_article(i) for i in range(40)], clock.now)

    async def scenario(bot: Bot) -> None:
        reply = await bot.ask(USER, typed)
        assert answer in reply.visible

    bot = run_bot(api, core, scenario)
    assert not bot.errors


def test_bot_bad_input_unexpected_failure_names_no_internals(api: FakeBotApi, core: Core,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The global error handler's reply: the same short notice, whatever the exception said."""
    def broken() -> None:
        raise RuntimeError("disk I/O error at /var/lib/briefbot/briefbot.sqlite3")

    monkeypatch.setattr(core, "stats", broken)

    async def scenario(bot: Bot) -> None:
        reply = await bot.ask(ADMIN_ID, "/stats")
        assert reply.visible == SERVICE_TROUBLE

    bot = run_bot(api, core, scenario)
    assert [type(e) for e in bot.errors] == [RuntimeError]  # logged by the handler, not shown
