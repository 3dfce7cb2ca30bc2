"""`bot.error_policy.classify`: every python-telegram-bot error to one action, subclasses first."""

from __future__ import annotations

import datetime as dt
import random
import warnings

import httpx
import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    PassportDecryptionError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from bot.error_policy import Action, backoff_delay, classify, describe, retry_after_seconds

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

REQUEST = httpx.Request("POST", "https://bot-api.example/botTOKEN/sendMessage")


with warnings.catch_warnings():  # built at collection time, outside the filter below
    warnings.simplefilter("ignore", PTBDeprecationWarning)
    FLOODS = [RetryAfter(3), RetryAfter(dt.timedelta(seconds=1.5))]


def caused(error: TelegramError, cause: BaseException) -> TelegramError:
    """The error as python-telegram-bot raises it: `raise TimedOut from httpx_error`."""
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(("error", "action"), [
    (FLOODS[0], Action.WAIT_AND_RETRY),
    (FLOODS[1], Action.WAIT_AND_RETRY),
    (ChatMigrated(-100123), Action.MIGRATED),
    (Forbidden("Forbidden: bot was blocked by the user"), Action.GONE),
    (Forbidden("Forbidden: user is deactivated"), Action.GONE),
    (Forbidden("Forbidden: bot was kicked from the group chat"), Action.GONE),
    (BadRequest("Bad Request: can't parse entities: unsupported start tag \"x\" at byte offset 3"),
     Action.PLAIN_TEXT),
    (BadRequest("Can't parse entities: can't find end of the entity starting at byte offset 10"),
     Action.PLAIN_TEXT),
    (BadRequest("Bad Request: chat not found"), Action.GONE),
    (BadRequest("Bad Request: PEER_ID_INVALID"), Action.GONE),
    (BadRequest("Bad Request: message is too long"), Action.GIVE_UP),
    (BadRequest("Bad Request: message text is empty"), Action.GIVE_UP),
    (caused(TimedOut(), httpx.ReadTimeout("read", request=REQUEST)), Action.AMBIGUOUS),
    (TimedOut(), Action.AMBIGUOUS),  # no cause we can place: it may have arrived
    (caused(TimedOut(), httpx.ConnectTimeout("connect", request=REQUEST)), Action.RETRY),
    (caused(TimedOut(), httpx.WriteTimeout("write", request=REQUEST)), Action.RETRY),
    (caused(TimedOut("Pool timeout: All connections in the connection pool are occupied."),
            httpx.PoolTimeout("pool")), Action.RETRY),
    (TimedOut("Pool timeout: All connections in the connection pool are occupied."), Action.RETRY),
    (NetworkError("Internal Server Error (500)"), Action.RETRY),
    (NetworkError("Bad Gateway"), Action.RETRY),
    (caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("refused")), Action.RETRY),
    (caused(NetworkError("httpx.ReadError: reset"), httpx.ReadError("reset")), Action.AMBIGUOUS),
    (caused(NetworkError("httpx.RemoteProtocolError: closed"), httpx.RemoteProtocolError("closed")),
     Action.AMBIGUOUS),
    (InvalidToken("Not Found"), Action.GIVE_UP),
    (Conflict("Conflict: terminated by other getUpdates request"), Action.GIVE_UP),
    (EndPointNotFound("Not Found"), Action.GIVE_UP),
    (PassportDecryptionError("bad"), Action.GIVE_UP),
    (TelegramError("something new"), Action.GIVE_UP),
    (ValueError("not a Telegram error"), Action.GIVE_UP),
])
def test_error_policy_classifies_every_branch(error: BaseException, action: Action) -> None:
    assert classify(error) is action


def test_error_policy_subclasses_before_network_error() -> None:
    """BadRequest and TimedOut are NetworkErrors: never retried as transient."""
    assert issubclass(BadRequest, NetworkError) and issubclass(TimedOut, NetworkError)
    assert classify(BadRequest("Bad Request: message is too long")) is not Action.RETRY
    assert classify(caused(TimedOut(), httpx.ReadTimeout("read", request=REQUEST))) is not Action.RETRY


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize(("value", "seconds"), [(7, 7.0), (dt.timedelta(seconds=2.5), 2.5), (0.05, 0.05)])
def test_error_policy_retry_after_seconds(value: int | float | dt.timedelta, seconds: float) -> None:
    assert retry_after_seconds(RetryAfter(value)) == pytest.approx(seconds)


def test_error_policy_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (7, 30.0), (40, 30.0)]:
        delays = [backoff_delay(attempt, 1.0, 30.0, rng) for _ in range(50)]
        assert all(ceiling * 0.5 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered, so a burst of failures does not come back as one


def test_error_policy_describe_is_one_short_line_without_urls() -> None:
    text = describe(caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("refused")))
    assert text == "NetworkError: httpx.ConnectError: refused"
    assert describe(ValueError("https://bot-api.example/botSECRET/x")) == "ValueError"
    assert len(describe(BadRequest("x" * 1000))) == 300
