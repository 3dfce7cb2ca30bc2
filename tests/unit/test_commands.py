"""Command arguments and the command line grammar: what users type, parsed or refused clearly."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.commands import COMMANDS, find_command, split_command
from briefings.commands.args import (
    fact_id,
    parse_amount,
    parse_deal_query,
    parse_settings,
    parse_time,
    parse_timeline_query,
)
from briefings.errors import InputError

TODAY = dt.date(2025, 9, 15)


@pytest.mark.parametrize(("text", "bot", "expected"), [
    ("/deals", None, ("deals", "")),
    ("/deals Northland kind:mou", None, ("deals", "Northland kind:mou")),
    ("/deals@briefbot_test_bot Acme", "briefbot_test_bot", ("deals", "Acme")),
    ("/DEALS@BriefBot_Test_Bot", "briefbot_test_bot", ("deals", "")),
    ("/deals@other_bot", "briefbot_test_bot", None),
    ("/deals@other_bot", None, None),
    ("deals", None, None),
    ("/", None, None),
    ("/who  Ana\nLima ", None, ("who", "Ana\nLima")),
])
def test_commands_split_command(text: str, bot: str | None, expected: tuple[str, str] | None) -> None:
    assert split_command(text, bot) == expected


def test_commands_table_names_are_valid_telegram_commands() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    for command in COMMANDS:
        assert command.name.islower() and command.name.replace("_", "").isalnum() and len(command.name) <= 32
        assert 3 <= len(command.description) <= 256
    assert find_command("stop") is find_command("unsubscribe")
    assert {c.name for c in COMMANDS if c.admin} == {"ingest", "feeds", "post_now", "stats"}


@pytest.mark.parametrize(("text", "expected"), [
    ("07:30", dt.time(7, 30)), ("7:30", dt.time(7, 30)), ("0730", dt.time(7, 30)), ("7.30", dt.time(7, 30)),
    ("23:59", dt.time(23, 59)), ("00:00", dt.time(0, 0)),
])
def test_commands_parse_time(text: str, expected: dt.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:99", "24:00", "7", "7:5", "noon", "-1:00", "12:60"])
def test_commands_parse_time_refuses(text: str) -> None:
    with pytest.raises(InputError, match="is not a time"):
        parse_time(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("", (None, None)),
    ("07:30", (dt.time(7, 30), None)),
    ("europe/berlin", (None, "Europe/Berlin")),
    ("Asia/Karachi 06:00", (dt.time(6, 0), "Asia/Karachi")),
    ("UTC", (None, "UTC")),
])
def test_commands_parse_settings(text: str, expected: tuple[dt.time | None, str | None]) -> None:
    assert parse_settings(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("Mars/Olympus", "Unknown time zone"),
    ("07:00 08:00", "one time"),
    ("UTC Europe/Berlin", "one time zone"),
    ("25:99", "is not a time"),
])
def test_commands_parse_settings_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_settings(text)


@pytest.mark.parametrize(("text", "entity", "start", "end"), [
    ("", None, None, None),
    ("Pakistan", "Pakistan", None, None),
    ("July 2025", None, dt.date(2025, 7, 1), dt.date(2025, 7, 31)),
    ("Ana Lima July 2025", "Ana Lima", dt.date(2025, 7, 1), dt.date(2025, 7, 31)),
    ("2025-02", None, dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
    ("2024", None, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("25 Jul 2025", None, dt.date(2025, 7, 25), dt.date(2025, 7, 25)),
    ("from:2025-07-01 to:2025-09", None, dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    ("Ana Lima since:2025-07", "Ana Lima", dt.date(2025, 7, 1), None),
])
def test_commands_parse_timeline(text: str, entity: str | None, start: dt.date | None,
                                 end: dt.date | None) -> None:
    query = parse_timeline_query(text, TODAY)
    assert (query.entity, query.start, query.end) == (entity, start, end)


@pytest.mark.parametrize(("text", "message"), [
    ("next tuesday-ish", "cannot read 'next tuesday-ish' as a date"),
    ("last week", "as a date"),
    ("July 2025 2024", "Give one date"),
    ("from:2025-09 to:2025-01", "backwards"),
    ("from:someday", "not a date I can read"),
    ("2025-13", "not a date"),
])
def test_commands_parse_timeline_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_timeline_query(text, TODAY)


@pytest.mark.parametrize(("text", "expected"), [
    ("500m", 5e8), ("1.5bn", 1.5e9), ("2 billion", 2e9), ("30,000", 3e4), ("7k", 7e3),
])
def test_commands_parse_amount(text: str, expected: float) -> None:
    assert parse_amount(text) == pytest.approx(expected)


def test_commands_parse_deal_query() -> None:
    text = "Birch Ports kind:mou status:signed currency:usd min:100m from:2025-07 to:2025"
    query = parse_deal_query(text, TODAY)
    flt = query.filter
    assert (flt.party, flt.kind, flt.status, flt.currency) == ("Birch Ports", "mou", "signed", "USD")
    assert (flt.min_amount, flt.start, flt.end) == (1e8, dt.date(2025, 7, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(("text", "message"), [
    ("kind:bribe", "do not understand 'kind:bribe'"),
    ("min:lots", "is not an amount"),
    ("min:1bn max:1m", "backwards"),
    ("from:2025-09 to:2025-01", "backwards"),
])
def test_commands_parse_deal_query_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_deal_query(text, TODAY)


@pytest.mark.parametrize("text", ["d-1a2b3c4d", "S-27B99237", " m-0000 "])
def test_commands_fact_id(text: str) -> None:
    assert fact_id(text) == text.strip().lower()


@pytest.mark.parametrize("text", ["", "zzz", "d-", "<b>", "d-1a2b;drop"])
def test_commands_fact_id_refuses(text: str) -> None:
    with pytest.raises(InputError):
        fact_id(text)
