"""The fake Bot API server itself: fields, faults, stalls, files; and the bot's logs never hold the token."""

from __future__ import annotations

import json
import logging
import socket

import httpx
import pytest

from bot.__main__ import RedactToken
from tests.support.fake_bot_api import TOKEN, FakeBotApi


def test_fake_bot_api_parses_form_json_and_multipart(api: FakeBotApi) -> None:
    url = f"{api.base_url}{TOKEN}"
    markup = json.dumps({"inline_keyboard": [[{"text": "▶", "callback_data": "pg:deals:2:"}]]})
    assert httpx.post(f"{url}/sendMessage", data={"chat_id": "5", "text": "<b>hi</b>",
                                                  "reply_markup": markup}).json()["ok"]
    assert httpx.post(f"{url}/sendMessage", json={"chat_id": 6, "text": "json"}).json()["ok"]
    assert httpx.post(f"{url}/sendDocument", data={"chat_id": "7"},
                      files={"document": ("a.txt", b"bytes")}).json()["ok"]
    form, body, upload = api.calls
    assert form.chat_id == 5 and form.button("▶")["callback_data"] == "pg:deals:2:"
    assert body.text == "json" and body.chat_id == 6
    assert upload.files == {"document": b"bytes"}


def test_fake_bot_api_faults(api: FakeBotApi) -> None:
    url = f"{api.base_url}{TOKEN}/sendMessage"
    api.fail("sendMessage", 429, retry_after=3, chat_id=1)
    api.fail("sendMessage", 500, times=2)
    flood = httpx.post(url, data={"chat_id": "1", "text": "x"})
    assert flood.status_code == 429 and flood.json()["parameters"] == {"retry_after": 3}
    assert httpx.post(url, data={"chat_id": "2", "text": "x"}).status_code == 500
    assert httpx.post(url, data={"chat_id": "2", "text": "x"}).status_code == 500
    assert httpx.post(url, data={"chat_id": "2", "text": "x"}).json()["ok"]
    assert httpx.post(f"{api.base_url}wrong-token/getMe").status_code == 401
    assert httpx.post(f"{url[:-len('sendMessage')]}noSuchMethod").status_code == 404


def test_fake_bot_api_stall_is_bounded_and_stop_does_not_hang() -> None:
    server = FakeBotApi().start()
    try:
        server.fail("getMe", 200, stall=30)
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{server.base_url}{TOKEN}/getMe", timeout=0.3)
    finally:
        server.stop()  # wakes the stalled handler; returns promptly


def test_fake_bot_api_serves_files(api: FakeBotApi) -> None:
    file_id = api.add_file(b"article text")
    result = httpx.post(f"{api.base_url}{TOKEN}/getFile", data={"file_id": file_id}).json()["result"]
    assert httpx.get(f"{api.base_file_url}{TOKEN}/{result['file_path']}").content == b"article text"


def test_fake_bot_api_only_loopback_connections_are_allowed() -> None:
    with pytest.raises(AssertionError, match="non-loopback"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)


def test_fake_bot_api_log_lines_never_hold_the_token(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("briefbot.test.redact")
    logger.addFilter(RedactToken(TOKEN))
    with caplog.at_level(logging.INFO, logger="briefbot.test.redact"):
        logger.info("POST https://bot-api.example/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed https://bot-api.example/bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("send failed")
    text = caplog.text
    assert TOKEN not in text and "<token>" in text
