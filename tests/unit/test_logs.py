"""Logs: one JSON line per event, and no token in any line, from any logger, at any level."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from briefings.core import Core
from briefings.logs import QUIET, JsonLines, RedactSecrets, log_handler, secret_forms
from briefings.settings import Settings
from briefings.store.articles import ingest
from briefings.store.db import Store
from tests.bot.harness import ADMIN_ID, Bot, FakeClock, run_bot
from tests.support.builders import deal_article
from tests.support.fake_bot_api import TOKEN, FakeBotApi

SECRET_PART = TOKEN.split(":", 1)[1]
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("httpx", logging.INFO, __file__, 1, message, args, exc_info)


def formatted(rec: logging.LogRecord) -> str:
    RedactSecrets(TOKEN).filter(rec)
    return JsonLines(TOKEN).format(rec)


def failing() -> BaseException:
    try:
        raise RuntimeError(f"POST https://bot-api.example/bot{TOKEN}/sendMessage failed")
    except RuntimeError as error:
        return error


@pytest.mark.parametrize("rec", [
    record("HTTP Request: POST https://bot-api.example/bot%s/getMe", TOKEN),
    record(f"HTTP Request: POST https://bot-api.example/bot{quote(TOKEN, safe='')}/getMe"),
    record("secret part alone: %s", SECRET_PART),
    record("send failed", exc=failing()),
    record("%s", {"url": f"https://bot-api.example/bot{TOKEN}/x"}),
])
def test_logs_redact_the_token_everywhere(rec: logging.LogRecord) -> None:
    line = formatted(rec)
    assert TOKEN not in line and SECRET_PART not in line and quote(TOKEN, safe="") not in line
    assert "<token>" in line


def test_logs_one_json_line_per_event_even_with_a_traceback() -> None:
    line = formatted(record("send failed chat=%s", 42, exc=failing()))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "info" and entry["logger"] == "httpx" and entry["msg"] == "send failed chat=42"
    assert "Traceback" in entry["exc"] and "RuntimeError" in entry["exc"]
    assert dt.datetime.fromisoformat(entry["ts"]).tzinfo is not None


def test_logs_stack_info_is_redacted() -> None:
    rec = record("where")
    rec.stack_info = f"Stack (most recent call last):\n  url=https://x/bot{TOKEN}/y"
    assert TOKEN not in formatted(rec)


def test_logs_secret_forms_cover_quoting_and_skip_empty() -> None:
    assert secret_forms(["", TOKEN]) == sorted({TOKEN, quote(TOKEN, safe=""), quote(TOKEN), SECRET_PART},
                                               key=len, reverse=True)


def test_logs_noisy_loggers_are_quiet() -> None:
    assert QUIET["httpx"] >= logging.WARNING and QUIET["telegram"] >= logging.WARNING


@pytest.fixture
def core(tmp_path: Path) -> Iterator[tuple[Core, FakeBotApi]]:
    api = FakeBotApi().start()
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    settings = Settings(token=TOKEN, admins=frozenset({ADMIN_ID}), database_url=url,
                        api_base_url=api.base_url)
    store = Store(url)
    store.upgrade()
    clock = FakeClock(dt.datetime(2025, 9, 15, 7, 59, tzinfo=dt.UTC))
    ingest(store, [deal_article(i) for i in range(2)], clock.now)
    try:
        yield Core(settings, store, clock=clock), api
    finally:
        store.close()
        api.stop()


@pytest.fixture
def captured(core: tuple[Core, FakeBotApi]) -> Iterator[io.StringIO]:
    """Every logger at DEBUG (the HTTP libraries log each request URL, token included) into the
    production handler."""
    stream = io.StringIO()
    handler = log_handler(core[0].settings, stream)
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in (*QUIET, "")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_logs_a_bot_session_never_writes_the_token(core: tuple[Core, FakeBotApi],
                                                   captured: io.StringIO) -> None:
    bot_core, api = core

    async def scenario(bot: Bot) -> None:
        await bot.ask(100, "/start")
        await bot.ask(ADMIN_ID, "/start")
        await bot.ask(ADMIN_ID, "/stats", contains="Stats")
        # A failing send whose error text carries the token reaches the error handler's traceback.
        api.fail("sendMessage", 400, chat_id=100, description=f"Bad Request: bot{TOKEN} refused")
        await bot.quiet(api.command(100, 100, "/help"))
        api.fail("sendMessage", 429, chat_id=ADMIN_ID, retry_after=1)
        api.block(100)
        bot_core.clock.set(dt.datetime(2025, 9, 15, 8, 0, 30, tzinfo=dt.UTC))  # type: ignore[attr-defined]
        await bot.tick()

    run_bot(api, bot_core, scenario)
    text = captured.getvalue()
    lines = text.splitlines()
    assert len(lines) > 20
    assert all(json.loads(line)["msg"] is not None for line in lines)  # one JSON object per line
    assert "HTTP Request: POST" in text  # the request lines were there, and were redacted
    assert "handler failed" in text and "Traceback" in text
    assert f"admin action command=stats user={ADMIN_ID}" in text  # who did it
    assert TOKEN not in text and SECRET_PART not in text and quote(TOKEN, safe="") not in text
