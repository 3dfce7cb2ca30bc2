"""`python -m bot` (and `briefbot run`): settings, logging once, the store, the core, polling."""

from __future__ import annotations

import logging
import sys

from briefings.errors import BriefbotError
from briefings.settings import Settings


class RedactToken(logging.Filter):
    """Belt and braces: no log line ever carries the token, whoever logs it."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, "<token>"), None
        if record.exc_info and not record.exc_text:
            # Tracebacks are formatted once and cached here, so the cached text is what gets printed.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, "<token>")
        return True


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    if settings.token is not None:
        handler.addFilter(RedactToken(settings.token.get_secret_value()))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # Their request lines hold the token (it is part of every Bot API URL).
    for name in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main() -> int:
    settings = Settings()
    configure_logging(settings)
    if settings.token is None:
        print("briefbot: BRIEFBOT_TOKEN is not set (get one from @BotFather); "
              "`briefbot console` works without it", file=sys.stderr)
        return 2
    from bot.app import ALLOWED_UPDATES, build_application
    from briefings.core import Core
    from briefings.store.db import Store

    try:
        store = Store(settings.database_url)
        store.upgrade()
    except BriefbotError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return 1
    try:
        application = build_application(settings, Core(settings, store))
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
