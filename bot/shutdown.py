"""Stopping on SIGTERM (or SIGINT) without losing or doubling a briefing.

The signal sets the sender's `stopping` event: broadcasts take no new claim, give back the claims
they have not begun (deleted, as if never claimed: the next process sends them unflagged), and
finish the briefings whose first part is out. Then the process exits 0. A second signal changes
nothing: the same orderly stop is already under way.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

from bot.delivery import Sender

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def stop_on_signals(sender: Sender, then: Callable[[], object] = lambda: None) -> None:
    """From now on, a stop signal stops `sender`'s broadcasts and then calls `then` (in the loop)."""
    loop = asyncio.get_running_loop()

    def stop(signum: int) -> None:
        if not sender.stopping.is_set():
            log.info("stopping on %s: no new claims; giving back the ones not begun",
                     signal.Signals(signum).name)
            sender.stopping.set()
        then()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop, signum)
