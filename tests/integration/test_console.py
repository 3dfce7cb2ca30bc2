"""The offline shells: `briefbot brief --seeds` and `briefbot console`, on a temporary SQLite store."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.cli import main
from briefings.commands import COMMANDS, run_callback, run_command
from briefings.console import console_caller, run_console
from briefings.core import Caller, Core
from briefings.settings import Settings
from briefings.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
NOW = dt.datetime(2025, 9, 15, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Core]:
    url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'store.sqlite3'}"
    store = Store(url)
    store.upgrade()
    core = Core(Settings(database_url=url, token=None, admins=frozenset()), store, clock=lambda: NOW)
    report = core.ingest_sources([str(SEEDS)])
    assert len(report.added) == 3 and not report.failed
    yield core
    store.close()


def console(core: Core, *lines: str) -> str:
    out = io.StringIO()
    assert run_console(core, list(lines), out, prompt=False) == 0
    return out.getvalue()


def test_console_brief_seeds_prints_a_briefing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", "--seeds", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BRIEFING FOR ")
    assert re.search(r"Covers the seed articles · \d+ stor(y|ies) from 3 sources", out), out[:300]
    assert "uploaded by an admin" in out and "001_" not in out  # an outlet or the uploader, never a file
    assert "$500 million" in out
    assert "<b>" not in out


def test_console_seeds_briefing_html_is_valid_telegram_html(core: Core) -> None:
    from tests.support.telegram_html import assert_telegram_html

    messages = core.briefing_messages(None, "html")
    assert messages
    for message in messages:
        assert_telegram_html(message)


def test_console_brief_quotes_are_verbatim_spans_of_the_seeds(core: Core) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    briefing = "\n".join(core.briefing_messages(None, "text"))
    quotes = [line.removeprefix("  > ").removesuffix("…") for line in briefing.splitlines()
              if line.startswith("  > ")]
    assert quotes
    for quote in quotes:
        assert any(quote in text for text in texts.values()), quote
    html_messages = "\n".join(core.briefing_messages(None, "html"))
    blockquotes = [html.unescape(q).removesuffix("…")
                   for q in re.findall(r"<blockquote>(.*?)</blockquote>", html_messages, re.S)]
    assert blockquotes
    for quote in blockquotes:
        assert any(quote in text for text in texts.values()), quote


def test_console_commands_answer_from_the_store(core: Core) -> None:
    out = console(core, "/deals", "/who Ishaq Dar", "/meetings Rubio", "/search minerals", "/help")
    assert "DEALS" in out and "$500 million" in out
    assert "Ishaq Dar" in out
    assert "MEETINGS · Rubio" in out
    assert "SEARCH · minerals" in out
    assert "/post_now" in out  # the console's operator sees the admin commands


@pytest.mark.parametrize(("line", "expected"), [
    ("/timeline next tuesday-ish", "I cannot read 'next tuesday-ish' as a date"),
    ("/settings 25:99", "'25:99' is not a time"),
    ("/settings Mars/Base", "Unknown time zone 'Mars/Base'"),
    ("/bogus", "Unknown command /bogus"),
    ("/sources zzz", "Give a fact id"),
    ("/who", "This command needs an argument"),
    ("/deals min:1bn max:1m", "the amount range is backwards"),
    ("/deals foo:bar", "I do not understand 'foo:bar'"),
    ("hello", "Send a command"),
])
def test_console_bad_input_gets_a_short_answer(core: Core, line: str, expected: str) -> None:
    out = console(core, line)
    assert expected in out
    assert "Traceback" not in out


def test_console_buttons_are_pressed_by_number(core: Core) -> None:
    caller = console_caller(chat_id=4242)
    out = io.StringIO()
    run_console(core, ["/start", "2", "6"], out, prompt=False, caller=caller)
    text = out.getvalue()
    assert "[1] 06:00" in text and "Time saved" in text and "All set" in text
    sub = core.subscriber(4242)
    assert sub is not None and sub.delivery_time == dt.time(7, 0) and sub.timezone == "Asia/Karachi"
    # The console's own chat is never a delivery target.
    assert all(s.chat_id != 4242 for s in core.deliverable())


def test_console_post_now_only_previews(core: Core) -> None:
    out = console(core, "/post_now")
    assert "Console: nothing was sent." in out


def test_console_run_without_a_token_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("BRIEFBOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert main(["run"]) == 2
    assert "BRIEFBOT_TOKEN is not set" in capsys.readouterr().err


def test_console_brief_without_seeds_folder_fails_cleanly(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", "--seeds", str(tmp_path / "missing")]) == 1
    assert "no seeds folder" in capsys.readouterr().err


_args = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from([c.name for c in COMMANDS] + ["stop", "nope"]), args=_args)
def test_console_any_arguments_give_valid_short_html(core: Core, name: str, args: str) -> None:
    """Whatever follows a command: no crash, every message valid Telegram HTML within the limit."""
    from tests.support.telegram_html import assert_telegram_html

    caller = Caller(chat_id=777, user_id=777, chat_type="private")
    reply = run_command(core, caller, name, args, "html")
    assert reply.messages or reply.notice
    for message in reply.messages:
        assert_telegram_html(message)
    assert not reply.broadcast


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.text(max_size=40))
def test_console_any_button_data_is_answered(core: Core, data: str) -> None:
    caller = Caller(chat_id=778, user_id=778, chat_type="private")
    reply = run_callback(core, caller, data, "html")
    assert reply.notice or reply.messages
