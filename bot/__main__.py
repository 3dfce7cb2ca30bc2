"""`python -m bot` (and `briefbot run`): settings, logging once, the store, the core, then one of

- polling (the default), or a webhook when `BRIEFBOT_WEBHOOK_URL` is set (and a secret is: without
  `BRIEFBOT_WEBHOOK_SECRET` the bot refuses to start);
- `--worker`: no updates, only the planner: sends the briefings that are due, every minute (or
  once with `--once`). Several workers and one bot can share one PostgreSQL database.

On SQLite only one process sends (a lock file next to the database); a second one says so and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import ValidationError

from briefings.errors import BriefbotError, InputError
from briefings.logs import RedactSecrets, configure_logging
from briefings.settings import Settings, settings_problems

if TYPE_CHECKING:
    from briefings.core import Core

__all__ = ["RedactToken", "WebhookOptions", "main", "skip_missing_sniffio", "webhook_options"]

RedactToken = RedactSecrets  # the name the first tests used
log = logging.getLogger("bot")

_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class WebhookOptions:
    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str


def webhook_options(settings: Settings) -> WebhookOptions:
    """`run_webhook` arguments from settings; `InputError` without a usable secret token."""
    if not settings.webhook_url:
        raise InputError("BRIEFBOT_WEBHOOK_URL is not set")
    url = urlsplit(settings.webhook_url)
    if url.scheme != "https" and url.hostname not in ("127.0.0.1", "localhost"):
        raise InputError("BRIEFBOT_WEBHOOK_URL must be an https URL")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise InputError("webhook mode refuses to start without BRIEFBOT_WEBHOOK_SECRET: Telegram sends it "
                         "with every update, and without it anyone could post updates to the bot")
    if len(secret) > 256 or not set(secret) <= _SECRET_CHARS:
        raise InputError("BRIEFBOT_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
    if importlib.util.find_spec("tornado") is None:
        raise InputError("webhook mode needs python-telegram-bot's `webhooks` extra (tornado), which is "
                         "not installed; unset BRIEFBOT_WEBHOOK_URL to poll instead")
    return WebhookOptions(listen=settings.webhook_listen, port=settings.webhook_port,
                          url_path=url.path.lstrip("/"), webhook_url=settings.webhook_url,
                          secret_token=secret)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Run the briefbot Telegram bot.")
    parser.add_argument("--worker", action="store_true",
                        help="send due briefings only (no updates); several may share one PostgreSQL")
    parser.add_argument("--once", action="store_true", help="with --worker: one planner run, then exit")
    parser.add_argument("--interval", type=float, default=60, help="seconds between planner runs")
    return parser


async def run_worker(core: Core, *, once: bool, interval: float) -> int:
    """The planner loop without updates: claim and send what is due, and poll the feeds that are
    due, every `interval` seconds. The database going away costs a backoff and one log line per
    attempt, not the process; SIGTERM gives back what is not begun, finishes the rest, exits 0."""
    from bot.alerts import run_alerts
    from bot.app import build_application
    from bot.broadcast import ComposeFailed, run_due
    from bot.delivery import DeliveryPolicy, Sender
    from bot.error_policy import backoff_delay
    from bot.heartbeat import safe_beat
    from bot.rate_limit import rate_limiter_for
    from bot.shutdown import stop_on_signals
    from briefings.errors import StoreError
    from briefings.heartbeat import heartbeat_path

    settings = core.settings
    heartbeat = heartbeat_path(settings)
    application = build_application(settings, core, rate_limiter=rate_limiter_for(settings), planner=False)
    async with application:
        # Deep links in the briefings it sends need the bot's name (getMe ran in initialize).
        core.renderer.bot_username = application.bot.username
        sender = Sender(application.bot, policy=DeliveryPolicy.from_settings(settings))
        stop_on_signals(sender)
        outages = 0
        while not sender.stopping.is_set():
            pause = interval
            try:
                tally = await run_due(sender, core)
                log.info("worker run sent=%d", tally["sent"])
                # Alerts too: their ledger claims are exclusive, so workers and the bot share them.
                await run_alerts(sender, core)
                safe_beat(heartbeat, "worker")  # `status --health` in a worker's container
                if settings.feeds_poll_minutes > 0 and not sender.stopping.is_set():
                    # Feeds are claimed one by one: workers share them.
                    report = await asyncio.to_thread(core.poll_feeds)
                    log.info("worker feeds added=%d failed=%d", len(report.added), len(report.failed))
                outages = 0
            except ComposeFailed as error:
                log.error("worker run stopped: %s", error)
                if once:
                    return 1
            except StoreError as error:
                outages += 1
                pause = backoff_delay(outages, 1.0, 30.0, sender.rng)
                log.warning("database unavailable (worker attempt %d), next try in %.1f s: %s", outages,
                            pause, error)
                if not once or outages < 10:
                    await _sleep_unless(sender.stopping, pause)
                    continue
                return 1
            if once:
                break
            await _sleep_unless(sender.stopping, pause)
        if sender.stopping.is_set():
            log.info("worker stopped cleanly")
    return 0


async def _sleep_unless(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


def skip_missing_sniffio() -> None:
    """httpcore runs `import sniffio` on every request; when it is not installed (httpx 0.28 no
    longer pulls it in), each failed import searches sys.path again: ~15% of a broadcast's CPU.
    Recording the absence once (`None` in `sys.modules`) makes the import fail at once."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def warm_up(core: Core) -> None:
    """Load the extraction pipeline and its lexicons now, then take everything built at start-up out
    of the garbage collector's scans: full collections over it paused replies by ~100 ms."""
    import gc

    from briefings.models import Article, Paragraph

    text = "The two ministers met in the capital on Monday."
    core.extractor().extract(Article(id="warm-up", text=text,
                                     paragraphs=[Paragraph(kind="body", start=0, end=len(text), text=text)]))
    gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(argv or []))
    try:
        settings = Settings()
    except ValidationError as error:  # one line per bad setting, then stop: never a traceback
        for line in settings_problems(error):
            print(f"briefbot: {line}", file=sys.stderr)
        return 2
    configure_logging(settings)
    skip_missing_sniffio()
    if settings.token is None:
        print("briefbot: BRIEFBOT_TOKEN is not set (get one from @BotFather); "
              "`briefbot console` works without it", file=sys.stderr)
        return 2
    webhook = None
    if settings.webhook_url and not args.worker:
        try:
            webhook = webhook_options(settings)
        except InputError as error:
            print(f"briefbot: {error}", file=sys.stderr)
            return 2
    from telegram.error import InvalidToken, NetworkError

    from bot.app import ALLOWED_UPDATES, build_application
    from bot.heartbeat import install_webhook_heartbeat
    from bot.rate_limit import rate_limiter_for
    from bot.sender_lock import claim_sending
    from briefings.core import Core
    from briefings.heartbeat import heartbeat_path
    from briefings.logs import redact, secret_forms, settings_secrets
    from briefings.store.db import Store

    try:
        store = Store(settings.database_url)
        store.upgrade()
        store.check_writable()  # a read-only store: one line now, not a failing job every minute
        lock = claim_sending(store)
    except BriefbotError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return 1
    try:
        core = Core(settings, store)
        core.exclusive_sender = store.dialect == "sqlite"
        warm_up(core)
        log.info("started mode=%s worker=%s database=%s", "worker" if args.worker else
                 "webhook" if webhook else "polling", core.worker_id, store.dialect)
        if args.worker:
            return asyncio.run(run_worker(core, once=args.once, interval=args.interval))
        application = build_application(settings, core, rate_limiter=rate_limiter_for(settings),
                                        planner_interval=args.interval, handle_signals=True,
                                        heartbeat=None if webhook else heartbeat_path(settings))
        if webhook is not None:
            install_webhook_heartbeat(application, heartbeat_path(settings))
        if webhook is not None:
            application.run_webhook(listen=webhook.listen, port=webhook.port, url_path=webhook.url_path,
                                    webhook_url=webhook.webhook_url, secret_token=webhook.secret_token,
                                    allowed_updates=ALLOWED_UPDATES, stop_signals=None)
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES, stop_signals=None)
    except (NetworkError, InvalidToken) as error:
        # Start-up could not reach Telegram (or the token was refused): one line, no traceback.
        log.error("telegram unreachable at start-up: %s", type(error).__name__)
        detail = redact(str(error), secret_forms(settings_secrets(settings)))
        print(f"briefbot: cannot start: the Telegram Bot API refused or did not answer ({detail})",
              file=sys.stderr)
        return 1
    finally:
        if lock is not None:
            lock.release()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
