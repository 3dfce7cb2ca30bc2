"""Issue 11 from the terminal: `--version`, help for every option, `run --help` naming the settings,
the bot's filter grammar in the CLI, `brief` as a subscriber's today with message ends marked, and
a console that echoes piped commands."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from briefings.cli import build_parser, main
from briefings.console import run_console
from briefings.core import Core
from briefings.models import Money
from briefings.settings import Settings
from briefings.store.articles import ingest
from briefings.store.db import Store
from tests.support.builders import deal_article


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Four deals in three currencies, stored now (so `brief` sees them as this week's news)."""
    url = f"sqlite:///{tmp_path / 'reader.sqlite3'}"
    store = Store(url)
    store.upgrade()
    money = [Money(value=5e9, currency="INR"), Money(value=8.5e8, currency="USD"),
             Money(value=1.2e9, currency="EUR"), Money(value=3e7, currency="USD")]
    articles = []
    for index, amount in enumerate(money):
        facts = deal_article(index)
        kind = "trade_agreement" if index == 2 else "mou"
        deal = facts.deals[0].model_copy(update={"amount": amount, "kind": kind})
        articles.append(facts.model_copy(update={"deals": [deal]}))
    ingest(store, articles, dt.datetime.now(dt.UTC))
    store.close()
    return url


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"briefbot \S+\n", capsys.readouterr().out)


def _actions(parser: argparse.ArgumentParser, name: str) -> list[tuple[str, argparse.Action]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found += _actions(sub, f"{name} {sub_name}")
        elif not isinstance(action, argparse._HelpAction):
            found.append((name, action))
    return found


def test_cli_every_option_has_help() -> None:
    actions = _actions(build_parser(), "briefbot")
    assert len(actions) > 40
    assert [(name, a.dest) for name, a in actions if not (a.help or "").strip()] == []


def test_cli_run_help_names_the_settings(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = capsys.readouterr().out
    for name in Settings.model_fields:
        assert f"BRIEFBOT_{name.upper()}" in out
    assert "BRIEFBOT_TOKEN" in out and "required" in out


def test_cli_deals_take_the_bot_filter_grammar(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "deals", "min:1bn", "--database", db)
    assert code == 0
    assert "EUR" in out or "€" in out
    assert "INR" not in out and "₹" not in out  # ₹500 crore is about $56 million
    assert "reference rates of 30 Sep 2025" in out
    code, out, _ = _run(capsys, "deals", "min:800m", "kind:mou", "--database", db)
    assert "$850 million" in out and out.count(" MoU ") == 1
    code, out, _ = _run(capsys, "deals", "kind:trade", "from:2025-09", "--database", db)
    assert "trade agreement" in out and "MoU" not in out
    code, _, err = _run(capsys, "deals", "kind:nonsense", "--database", db)
    assert code == 1 and "kind:" in err
    code, out, _ = _run(capsys, "timeline", "September 2025", "--database", db)
    assert code == 0


def test_cli_brief_is_todays_briefing_with_message_ends(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "brief", "--database", db)
    assert code == 0 and "Since " in out and "Everything on record" not in out
    assert "Deal number" in out
    code, out, _ = _run(capsys, "brief", "--html", "--database", db)
    ends = re.findall(r"^──── end of message (\d)/(\d) \((\d+)/4096 characters\) ────$", out, flags=re.M)
    assert 1 <= len(ends) <= 2 and ends[-1][0] == ends[-1][1] == str(len(ends))
    assert all(int(size) <= 4096 for _, _, size in ends)


def test_cli_brief_leaves_out_old_news(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    store = Store(url)
    store.upgrade()
    ingest(store, [deal_article(0)], dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    store.close()
    _, out, _ = _run(capsys, "brief", "--database", url)
    assert "Nothing new since" in out and "Deal number" not in out


def test_console_echoes_piped_commands(db: str) -> None:
    settings = Settings.model_validate({"database_url": db})
    store = Store(db)
    out = io.StringIO()
    try:
        run_console(Core(settings, store), ["/deals min:1bn\n", "/help\n"], out, prompt=False, echo=True)
    finally:
        store.close()
    text = out.getvalue()
    assert text.startswith("briefbot> /deals min:1bn\n")
    assert "briefbot> /help\n" in text
