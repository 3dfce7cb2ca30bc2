"""Issue 10: every bad setting is one line naming its variable at start-up, never a traceback later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.__main__ import main as bot_main
from briefings.cli import main as cli_main
from briefings.settings import Settings, settings_problems

BAD = [
    ("BRIEFBOT_ADMINS", "abc", "BRIEFBOT_ADMINS: not a Telegram user id: 'abc'"),
    ("BRIEFBOT_ADMINS", "12, 3x", "BRIEFBOT_ADMINS: not a Telegram user id: '3x'"),
    ("BRIEFBOT_DEFAULT_TIME", "25:00", "BRIEFBOT_DEFAULT_TIME: not a time of day (HH:MM, 00:00 to 23:59)"),
    ("BRIEFBOT_RATE_PER_SECOND", "0", "BRIEFBOT_RATE_PER_SECOND: Input should be greater than 0"),
    ("BRIEFBOT_DEFAULT_TIMEZONE", "Mars/Olympus_Mons", "BRIEFBOT_DEFAULT_TIMEZONE: unknown time zone"),
    ("BRIEFBOT_DEFAULT_TIMEZONE", "../../etc/passwd", "BRIEFBOT_DEFAULT_TIMEZONE: unknown time zone"),
    ("BRIEFBOT_WEBHOOK_PORT", "70000", "BRIEFBOT_WEBHOOK_PORT: Input should be less than or equal to 65535"),
    ("BRIEFBOT_GRACE_MINUTES", "-5", "BRIEFBOT_GRACE_MINUTES: Input should be greater than or equal to 0"),
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ADMINS", "DEFAULT_TIME", "RATE_PER_SECOND", "DEFAULT_TIMEZONE", "WEBHOOK_PORT",
                 "GRACE_MINUTES", "TOKEN"):
        monkeypatch.delenv(f"BRIEFBOT_{name}", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file from the checkout


@pytest.mark.parametrize(("name", "value", "line"), BAD)
def test_settings_bad_value_is_one_line_in_the_cli_and_the_bot(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    name: str, value: str, line: str,
) -> None:
    monkeypatch.setenv(name, value)
    assert cli_main(["status", "--database", f"sqlite:///{tmp_path / 'db.sqlite3'}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"briefbot: {line}") and err.count("\n") == 1 and "Traceback" not in err
    monkeypatch.setenv("BRIEFBOT_TOKEN", "123:secret-token-value")
    assert bot_main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"briefbot: {line}") and err.count("\n") == 1
    assert not (tmp_path / "db.sqlite3").exists()  # nothing was opened


def test_settings_several_bad_values_give_one_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_ADMINS", "abc")
    monkeypatch.setenv("BRIEFBOT_RATE_PER_SECOND", "0")
    with pytest.raises(ValidationError) as caught:
        Settings()
    assert [line.split(":")[0] for line in settings_problems(caught.value)] == [
        "BRIEFBOT_ADMINS", "BRIEFBOT_RATE_PER_SECOND"]


def test_settings_secrets_are_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(token=["not-a-string-secret"], database_url=["postgresql://u:hunter2@h/db"])  # type: ignore[arg-type]
    text = "\n".join(settings_problems(caught.value))
    assert "BRIEFBOT_TOKEN" in text and "BRIEFBOT_DATABASE_URL" in text
    assert "not-a-string-secret" not in text and "hunter2" not in text


@pytest.mark.parametrize(("name", "value", "field", "expected"), [
    ("BRIEFBOT_ADMINS", " 12, 34 ;56", "admins", frozenset({12, 34, 56})),
    ("BRIEFBOT_DEFAULT_TIME", "7:30", "default_time", dt.time(7, 30)),
    ("BRIEFBOT_DEFAULT_TIME", "23:59", "default_time", dt.time(23, 59)),
    ("BRIEFBOT_DEFAULT_TIMEZONE", "Asia/Kolkata", "default_timezone", "Asia/Kolkata"),
    ("BRIEFBOT_RATE_PER_SECOND", "0.5", "rate_per_second", 0.5),
])
def test_settings_good_values(monkeypatch: pytest.MonkeyPatch, name: str, value: str, field: str,
                              expected: object) -> None:
    monkeypatch.setenv(name, value)
    assert getattr(Settings(), field) == expected
