"""Issue 10: the running bot writes the heartbeat `status --health` reads: polling on each getUpdates,
webhook mode from getWebhookInfo unless Telegram reports it cannot deliver."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from telegram import WebhookInfo

from bot.app import build_application
from bot.heartbeat import webhook_delivering
from briefings.cli import main
from briefings.core import Core
from briefings.heartbeat import heartbeat_age, heartbeat_path
from tests.support.fake_bot_api import FakeBotApi


def test_bot_heartbeat_polling_beats_and_status_health_sees_it(
    api: FakeBotApi, core: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    path = heartbeat_path(core.settings)
    url = core.settings.database_url
    assert main(["status", "--health", "--database", url]) == 1  # no heartbeat before the bot polls
    capsys.readouterr()

    async def scenario() -> None:
        app = build_application(core.settings, core, heartbeat=path)
        await app.initialize()
        await app.start()
        try:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=dt.timedelta(seconds=1))
            for _ in range(200):  # bounded: 10 s at most
                if path.exists():
                    break
                await asyncio.sleep(0.05)
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
            await app.shutdown()

    asyncio.run(scenario())
    age = heartbeat_age(path)
    assert age is not None and age < 60
    assert main(["status", "--health", "--database", url]) == 0
    assert capsys.readouterr().out.strip() == "ok"


NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("pending", "error_minutes_ago", "delivering"), [
    (0, None, True),
    (0, 1, True),      # an old hiccup, nothing waiting
    (3, None, True),   # updates arriving, no error
    (3, 1, False),     # updates wait and the last attempt failed a minute ago: the proxy is down
    (3, 30, True),     # the error is old: no longer evidence
])
def test_bot_heartbeat_webhook_delivering(pending: int, error_minutes_ago: int | None,
                                          delivering: bool) -> None:
    error_date = None if error_minutes_ago is None else NOW - dt.timedelta(minutes=error_minutes_ago)
    info = WebhookInfo(url="https://bot.example/hook", has_custom_certificate=False,
                       pending_update_count=pending, last_error_date=error_date,
                       last_error_message="Connection refused" if error_date else None)
    assert webhook_delivering(info, NOW) is delivering


def test_bot_heartbeat_path_follows_the_database(tmp_path: Path) -> None:
    from briefings.settings import Settings

    assert heartbeat_path(Settings(database_url=f"sqlite:///{tmp_path}/x.db")) == tmp_path / "x.db.heartbeat"
    chosen = tmp_path / "hb"
    settings = Settings(database_url="postgresql+psycopg://u@h/db", heartbeat_file=chosen)
    assert heartbeat_path(settings) == chosen
