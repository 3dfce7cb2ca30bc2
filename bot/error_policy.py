"""What to do about a failed Bot API call: one pure function over python-telegram-bot's errors.

    TelegramError
     ├── RetryAfter           429: wait `retry_after`, retry; does not use up an attempt
     ├── ChatMigrated         the group became a supergroup: move to the new chat id, resend
     ├── Forbidden            403: blocked, kicked, deactivated: the subscriber goes inactive
     ├── InvalidToken         401/404: nothing will ever work: give up
     ├── Conflict             409: another getUpdates/webhook: give up (not a sending error)
     └── NetworkError
          ├── BadRequest      400: permanent; "can't parse entities" -> resend as plain text,
          │                   "chat not found" -> the chat is gone
          ├── TimedOut        read timeout: AMBIGUOUS (Telegram may have delivered it);
          │                   connect, write or pool timeout: the request never arrived: RETRY
          └── (itself)        5xx answers and connection failures: RETRY with backoff;
                              a connection lost after the request went out: AMBIGUOUS

Subclasses are tested first: `BadRequest` and `TimedOut` are `NetworkError`s, and treating them
as transient would retry permanent errors forever (or duplicate a message that did arrive).
"""

from __future__ import annotations

import datetime as dt
import random
import warnings
from enum import Enum

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning


class Action(Enum):
    WAIT_AND_RETRY = "wait"        # 429: wait `retry_after`, does not use up an attempt
    RETRY = "retry"                # 5xx, connection failures: back off and retry a bounded number of times
    AMBIGUOUS = "ambiguous"        # read timeout: Telegram may have delivered it; retry at most once
    GONE = "gone"                  # 403, chat not found: stop delivering to the chat (settings kept)
    MIGRATED = "migrated"          # the group became a supergroup: move to the new id and resend
    PLAIN_TEXT = "plain_text"      # the HTML was refused: resend the plain-text rendering
    GIVE_UP = "give_up"            # any other 400 or error: record it, do not retry


_PARSE_ERRORS = ("can't parse entities", "can't parse message", "unsupported start tag",
                 "can't find end", "unclosed start tag", "unexpected end tag")
_GONE_REQUESTS = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was kicked",
                  "have no rights to send", "not enough rights to send")
# The request never reached Telegram: safe to send again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout,
             httpx.WriteError, httpx.UnsupportedProtocol, httpx.ProxyError)
# The request went out and the answer was lost: Telegram may have delivered it.
_MAYBE_SENT = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def classify(error: BaseException) -> Action:
    """The action for one error, most specific class first."""
    if not isinstance(error, TelegramError):
        return Action.GIVE_UP
    if isinstance(error, RetryAfter):
        return Action.WAIT_AND_RETRY
    if isinstance(error, ChatMigrated):
        return Action.MIGRATED
    if isinstance(error, Forbidden):
        return Action.GONE
    if isinstance(error, BadRequest):
        text = error.message.lower()
        if any(marker in text for marker in _PARSE_ERRORS):
            return Action.PLAIN_TEXT
        if any(marker in text for marker in _GONE_REQUESTS):
            return Action.GONE
        return Action.GIVE_UP
    if isinstance(error, TimedOut):
        cause = error.__cause__
        if isinstance(cause, _NOT_SENT) or "pool timeout" in error.message.lower():
            return Action.RETRY
        return Action.AMBIGUOUS  # a read timeout, or one we cannot place: assume it may have arrived
    if isinstance(error, NetworkError):
        return Action.AMBIGUOUS if isinstance(error.__cause__, _MAYBE_SENT) else Action.RETRY
    return Action.GIVE_UP  # InvalidToken, Conflict, EndPointNotFound, anything newer


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait; works before and after python-telegram-bot makes it a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | dt.timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds before retry number `attempt` (1, 2, ...): doubling from `base` up to `cap`, jittered.

    The jitter (a uniform factor in [0.5, 1]) spreads the retries of many deliveries that failed
    together (a burst of 500s), so they do not come back as one burst.
    """
    ceiling = min(cap, base * 2.0 ** max(0, attempt - 1))
    return float(ceiling * rng.uniform(0.5, 1.0))


def describe(error: BaseException) -> str:
    """One line for logs and delivery records: the class and Telegram's own words, never a URL."""
    name = type(error).__name__
    if isinstance(error, TelegramError):
        return f"{name}: {error.message}"[:300]
    return name
