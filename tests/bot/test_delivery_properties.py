"""Property tests through the sending path: arbitrary article text and command arguments reach the
fake Bot API as valid Telegram HTML, each message under the limit, and nothing crashes.

Articles go the admin's way (an uploaded file: clean, extract with the real pipeline, store), then
a subscriber's briefing is claimed, composed and delivered by `bot.delivery.deliver`; command
replies go through `Sender.send_all`. The server checks every message it receives.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.delivery import Composer, Sender, deliver
from briefings.commands import COMMANDS, run_command
from briefings.core import Caller, Core
from briefings.store import subscribers
from tests.bot.harness import ADMIN_ID, FakeClock
from tests.support.fake_bot_api import FakeBotApi
from tests.support.telegram_html import TELEGRAM_LIMIT, telegram_html_errors

UTC = dt.UTC
WORDS = ["Northland", "Southport", "signed", "a", "memorandum", "of", "understanding", "worth",
         "$500 million", "Rs 50 crore", "on", "Monday", "met", "Minister", "Ana", "Lima", "in", "Porto",
         "agreement", "loan",
         "July 2025", "next week", "said.", "<b>", "</i>", "&amp;", "&", "<", ">", '"quoted"', "'single'",
         "<script>alert(1)</script>", "https://example.org/a?b=1&c=<2>", "📰", "🇵🇰", "ﬁnance", "\u200b",
         "Ω", "x" * 300, "-", "—", "(", ")", "#tag", "@user", "\\", "*bold*", "_it_", "`code`"]
TEMPLATES = ["Northland and Southport signed a memorandum of understanding worth $500 million on {w}.",
             "Minister Ana Lima met {w} in Porto on Monday to discuss port logistics.",
             "The {w} agreed a loan of Rs 50 crore for the harbour, officials said on Tuesday.",
             "Talks on a wider trade pact with {w} will continue in August 2025, the ministry said.",
             "{w} said the two countries would sign the agreement next week."]
_odd = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
_word = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS), _odd)
_sentence = st.one_of(
    st.tuples(st.sampled_from(TEMPLATES), st.lists(_word, min_size=1, max_size=4).map(" ".join)).map(
        lambda t: t[0].format(w=t[1])),
    st.lists(_word, min_size=1, max_size=30).map(lambda w: " ".join(w) + "."))
_paragraph = st.lists(_sentence, min_size=1, max_size=6).map(" ".join)
_article = st.tuples(st.lists(_word, min_size=1, max_size=10).map(" ".join),
                     st.lists(_paragraph, min_size=1, max_size=8)).map(
    lambda t: t[0] + "\n\n" + "\n\n".join(t[1]))
# Commands that fetch from the network are left out: they are tested against loopback servers.
_COMMANDS = [c.name for c in COMMANDS if c.name not in ("ingest", "feeds")] + ["stop", "nope"]
_args = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
_chats = itertools.count(50_000)


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as loop:
        yield loop


@pytest.fixture
def sender(api: FakeBotApi, core: Core, runner: asyncio.Runner) -> Iterator[Sender]:
    from bot.app import build_application

    application = build_application(core.settings, core, planner=False)
    runner.run(application.initialize())
    try:
        yield Sender(application.bot)
    finally:
        runner.run(application.shutdown())


def _check_server(api: FakeBotApi, mark: int) -> None:
    """Every message the server got since `mark`: under the limit, and valid HTML when sent as HTML."""
    sent = [c for c in api.calls[mark:] if c.method == "sendMessage"]
    assert sent
    for call in sent:
        assert 0 < len(call.text.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
        if call.params.get("parse_mode") == "HTML":
            assert not telegram_html_errors(call.text), call.text[:500]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(text=_article)
def test_delivery_properties_any_article_text_is_delivered_as_valid_html(
        api: FakeBotApi, core: Core, clock: FakeClock, sender: Sender, runner: asyncio.Runner,
        text: str) -> None:
    chat = next(_chats)
    clock.set(dt.datetime(2025, 9, 15, 8, 0, 30, tzinfo=UTC))
    core.ingest_upload(f"article-{chat}.txt", text.encode("utf-8"))  # failures are reported, not raised
    subscribers.upsert_subscriber(core.store, chat, user_id=chat, chat_type="private", timezone="UTC",
                                  delivery_time=dt.time(8, 0), now=clock.now - dt.timedelta(days=1))
    day = clock.now.date()
    assert core.claim(chat, day)
    [(claim, sub)] = core.held_claims([(chat, day)])
    mark = api.mark()
    outcome = runner.run(deliver(sender, core, claim, sub, Composer(core, core.now())))
    assert outcome == "sent"
    _check_server(api, mark)
    plain = core.delivery_messages(sub, at=core.now(), fmt="text")
    assert all(0 < len(m.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT for m in plain)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(_COMMANDS), args=_args, admin=st.booleans())
def test_delivery_properties_any_command_arguments_reach_telegram_as_valid_html(
        api: FakeBotApi, core: Core, sender: Sender, runner: asyncio.Runner, name: str, args: str,
        admin: bool) -> None:
    user = ADMIN_ID if admin else 4242
    caller = Caller(chat_id=user, user_id=user, chat_type="private")
    reply = run_command(core, caller, name, args, "html")
    assert reply.messages or reply.notice
    mark = api.mark()
    runner.run(sender.send_all(caller.chat_id, reply.messages, reply.keyboard))
    _check_server(api, mark)
