"""The bot as a service: webhook refusals, the rate limiter from settings, the sender lock, policy."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.__main__ import main, webhook_options
from bot.delivery import DeliveryPolicy, plain_text
from bot.rate_limit import PacedRateLimiter, rate_limiter_for
from bot.sender_lock import SenderLock, SenderLockHeld, claim_sending, lock_path
from briefings.errors import InputError
from briefings.logs import QUIET
from briefings.settings import Settings
from briefings.store.db import Store
from tests.support.fake_bot_api import TOKEN, FakeBotApi

HAS_TORNADO = importlib.util.find_spec("tornado") is not None
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """A clean environment for `main`, and the logging setup it changes put back afterwards."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "DATABASE_URL", "API_BASE_URL"):
        monkeypatch.delenv(f"BRIEFBOT_{name}", raising=False)
    monkeypatch.setenv("BRIEFBOT_TOKEN", TOKEN)
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in QUIET}
    try:
        yield monkeypatch
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                root.removeHandler(handler)
        for handler in handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


def test_delivery_service_webhook_without_secret_refuses_to_start(env: pytest.MonkeyPatch, api: FakeBotApi,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("BRIEFBOT_API_BASE_URL", api.base_url)
    env.setenv("BRIEFBOT_WEBHOOK_URL", "https://bot.example/hook")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "refuses to start without BRIEFBOT_WEBHOOK_SECRET" in err
    assert not api.calls  # nothing was started, not even getMe
    assert not (Path.cwd() / "bot.sqlite3").exists()


@pytest.mark.parametrize(("url", "secret", "message"), [
    ("https://bot.example/hook", None, "without BRIEFBOT_WEBHOOK_SECRET"),
    ("https://bot.example/hook", "", "without BRIEFBOT_WEBHOOK_SECRET"),
    ("https://bot.example/hook", "has spaces in it", "A-Z"),
    ("https://bot.example/hook", "x" * 257, "1-256"),
    ("http://bot.example/hook", "s3cret_token-1", "https"),
])
def test_delivery_service_webhook_options_refusals(url: str, secret: str | None, message: str) -> None:
    settings = Settings(token=TOKEN, webhook_url=url,
                        webhook_secret=SecretStr(secret) if secret is not None else None)
    with pytest.raises(InputError, match=message):
        webhook_options(settings)


@pytest.mark.skipif(not HAS_TORNADO, reason="python-telegram-bot's webhooks extra (tornado) is not installed")
def test_delivery_service_webhook_options_from_settings() -> None:
    settings = Settings(token=TOKEN, webhook_url="https://bot.example/tg/hook", webhook_listen="0.0.0.0",
                        webhook_port=8443, webhook_secret=SecretStr("s3cret_token-1"))
    options = webhook_options(settings)
    assert (options.listen, options.port, options.url_path) == ("0.0.0.0", 8443, "tg/hook")
    assert options.secret_token == "s3cret_token-1" and options.webhook_url == "https://bot.example/tg/hook"


@pytest.mark.skipif(HAS_TORNADO, reason="tornado is installed")
def test_delivery_service_webhook_without_tornado_says_what_is_missing() -> None:
    settings = Settings(token=TOKEN, webhook_url="https://bot.example/hook",
                        webhook_secret=SecretStr("s3cret_token-1"))
    with pytest.raises(InputError, match="webhooks` extra"):
        webhook_options(settings)


def test_delivery_service_rate_limiter_follows_settings() -> None:
    limiter = rate_limiter_for(Settings(token=TOKEN, rate_per_second=30))
    base = limiter.overall._base_limiter
    assert base is not None and base.max_rate / base.time_period == pytest.approx(30)
    assert base.max_rate == pytest.approx(3)  # paced in tenths of a second, not a burst of 30
    fast = rate_limiter_for(Settings(token=TOKEN, rate_per_second=1000)).overall._base_limiter
    assert fast is not None and fast.max_rate / fast.time_period == pytest.approx(1000)
    assert DeliveryPolicy.from_settings(Settings(token=TOKEN, rate_per_second=30)).concurrency == 8
    assert DeliveryPolicy.from_settings(Settings(token=TOKEN, rate_per_second=1000)).concurrency == 32


def test_delivery_service_rate_limiter_paces_messages_per_chat_only() -> None:
    limiter = PacedRateLimiter(1000, per_chat=1)
    calls: list[str] = []

    async def callback(endpoint: str) -> bool:
        calls.append(endpoint)
        return True

    async def run() -> None:
        async def request(endpoint: str, chat_id: Any) -> None:
            data = {} if chat_id is None else {"chat_id": chat_id}
            await limiter.process_request(callback, (endpoint,), {}, endpoint, data, None)

        await request("sendMessage", 7)
        assert not limiter._chat_limiter(7).has_capacity()  # the next message to chat 7 must wait
        assert limiter._chat_limiter(8).has_capacity()      # another chat need not
        await request("getChatMember", 7)                    # not a message: not paced per chat
        await request("getMe", None)

    asyncio.run(run())
    assert calls == ["sendMessage", "getChatMember", "getMe"]


def test_delivery_service_sqlite_has_one_sender(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    try:
        first = claim_sending(store)
        assert first is not None and first.held
        with pytest.raises(SenderLockHeld, match="will not send"):
            claim_sending(store)
        first.release()
        again = claim_sending(store)
        assert again is not None
        again.release()
        path = lock_path(store)
        assert path is not None and path.name == "bot.sqlite3.sender.lock"
    finally:
        store.close()
    assert lock_path(Store("sqlite:///:memory:")) is None
    SenderLock(tmp_path / "x.lock").release()  # releasing a lock never taken is harmless


def test_delivery_service_plain_text_fallback_keeps_the_words() -> None:
    assert plain_text("<b>Deals</b> &amp; <i>more</i> &lt;3") == "Deals & more <3"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(not HAS_TORNADO, reason="python-telegram-bot's webhooks extra (tornado) is not installed")
def test_delivery_service_webhook_mode_checks_the_secret_token(api: FakeBotApi, tmp_path: Path) -> None:
    """`python -m bot` in webhook mode: registers the URL and secret, and refuses updates without it."""
    port = _free_port()
    env = {**os.environ, "BRIEFBOT_TOKEN": TOKEN, "BRIEFBOT_API_BASE_URL": api.base_url,
           "BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}", "PYTHONPATH": str(ROOT),
           "BRIEFBOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "BRIEFBOT_WEBHOOK_LISTEN": "127.0.0.1",
           "BRIEFBOT_WEBHOOK_PORT": str(port), "BRIEFBOT_WEBHOOK_SECRET": "s3cret_token-1"}
    log = (tmp_path / "bot.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path, env=env, stdout=log, stderr=log)
    try:
        [registered] = api.wait_for("setWebhook", timeout=30)
        assert registered.params["secret_token"] == "s3cret_token-1"
        assert registered.params["url"] == f"http://127.0.0.1:{port}/hook"
        update = api.command(77, 77, "/help")
        url = f"http://127.0.0.1:{port}/hook"
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            assert httpx.post(url, json=update, headers=headers, timeout=10).status_code == 403
        answer = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret_token-1"},
                            timeout=10)
        assert answer.status_code == 200
        api.wait_for("sendMessage", lambda c: c.chat_id == 77, timeout=20)
        assert len(api.sent(chat_id=77)) == 1  # the refused posts were never handled
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    assert TOKEN not in (tmp_path / "bot.log").read_text()
