"""Logging for the entrypoints: one JSON line per event, and no secret in any of them.

Called once by an entrypoint (`python -m bot`, `briefbot run`), never at import. The Bot API puts
the token in every request URL, so it can reach a log line through an HTTP library's request
log, an exception message or a traceback: the HTTP and telegram loggers are kept at WARNING, and
`RedactSecrets` rewrites the message, its arguments, the traceback and the stack of every record
the handler writes; the formatter redacts its finished line once more.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import quote

from briefings.settings import Settings

REDACTED = "<token>"  # what a secret becomes (the token is the one that matters)
# Their request lines hold the token; the rate limiter logs every 429 as an error with a traceback
# although the delivery code waits it out and logs it itself.
QUIET = {"httpx": logging.WARNING, "httpcore": logging.WARNING, "telegram": logging.WARNING,
         "apscheduler": logging.WARNING, "telegram.ext.AIORateLimiter": logging.CRITICAL,
         "alembic": logging.WARNING}


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """Every form a secret may take in a line: as is, URL-quoted, and a token's part after its colon."""
    forms: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        forms.update({secret, quote(secret, safe=""), quote(secret)})
        _, colon, tail = secret.partition(":")
        if colon and len(tail) >= 8:
            forms.add(tail)
    return sorted(forms, key=len, reverse=True)  # longest first, so no form is left half-replaced


def redact(text: str, forms: Iterable[str]) -> str:
    for form in forms:
        if form in text:
            text = text.replace(form, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record so no secret survives in its message, arguments, traceback or stack."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.forms = secret_forms(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.forms:
            return True
        message = record.getMessage()
        cleaned = redact(message, self.forms)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Tracebacks are formatted once and cached here; the cached text is what gets written.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.forms)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.forms)
        return True


class JsonLines(logging.Formatter):
    """`{"ts": ..., "level": ..., "logger": ..., "msg": ..., "exc": ...}`: one line, whatever the message."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.forms = secret_forms(secrets)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "msg": record.getMessage()}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return redact(json.dumps(entry, ensure_ascii=False, default=str), self.forms)


def settings_secrets(settings: Settings) -> list[str]:
    return [s.get_secret_value() for s in (settings.token, settings.webhook_secret) if s is not None]


def log_handler(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing redacted JSON lines to `stream` (stderr)."""
    secrets = settings_secrets(settings)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines(*secrets))
    handler.addFilter(RedactSecrets(*secrets))
    return handler


def configure_logging(settings: Settings, *, stream: TextIO | None = None,
                      level: int = logging.INFO) -> logging.Handler:
    """Send every log record to `stream` (stderr) as redacted JSON lines; returns the handler."""
    handler = log_handler(settings, stream)
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name, quiet in QUIET.items():
        logging.getLogger(name).setLevel(quiet)
    return handler
