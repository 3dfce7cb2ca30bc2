"""Fixtures for the bot tests: loopback only, the fake Bot API server, a store, a driven clock."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefings.core import Core
from briefings.settings import Settings
from briefings.store.db import Store
from tests.bot.harness import ADMIN_ID, FakeClock
from tests.support.fake_bot_api import TOKEN, FakeBotApi


def _loopback(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths and the like never leave the machine
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to a non-loopback address fails the test instead of leaving the machine."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create = socket.create_connection

    def connect(self: socket.socket, address: Any) -> None:
        if not _loopback(address):
            raise AssertionError(f"non-loopback connection attempted: {address!r}")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _loopback(address):
            raise AssertionError(f"non-loopback connection attempted: {address!r}")
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not _loopback(address):
            raise AssertionError(f"non-loopback connection attempted: {address!r}")
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2025, 9, 15, 4, 0, tzinfo=dt.UTC))


@pytest.fixture
def core(tmp_path: Path, api: FakeBotApi, clock: FakeClock) -> Iterator[Core]:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    settings = Settings(token=TOKEN, admins=frozenset({ADMIN_ID}), database_url=url,
                        api_base_url=api.base_url, default_timezone="UTC", default_time=dt.time(8, 0),
                        grace_minutes=120)
    store = Store(url)
    store.upgrade()
    try:
        yield Core(settings, store, clock=clock)
    finally:
        store.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # python-telegram-bot warns about its own 429 handling (retry_after becoming a timedelta).
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"))
