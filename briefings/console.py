"""The offline console: the bot in a terminal, through the same command table, rendered as text.

Type commands as in Telegram (`/deals`, `/who Ana Lima`); buttons are listed under an answer as
`[1] ◀  [2] 1/4  [3] ▶` and pressed by typing their number. The console's user is the local
operator, so admin commands work (`/ingest PATH` also reads local files); nothing is ever sent to
Telegram from here (`/post_now` shows a preview).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from briefings.commands import Button, Reply, dispatch, run_callback
from briefings.core import Caller, Core

log = logging.getLogger(__name__)

PROMPT = "briefbot> "
CONSOLE_CHAT_ID = 0
BANNER = "briefbot console: type /help for commands, a number to press a button, /quit to leave."


def console_caller(chat_id: int = CONSOLE_CHAT_ID) -> Caller:
    return Caller(chat_id=chat_id, user_id=None, chat_type="console", chat_admin=True)


def format_reply(reply: Reply) -> tuple[str, list[Button]]:
    """The reply as terminal text, and its buttons in the order their numbers show."""
    buttons = [button for row in reply.keyboard for button in row]
    parts = list(reply.messages)
    if reply.notice:
        parts.append(f"({reply.notice})")
    if buttons:
        numbered = (f"[{i}] {b.text}" for i, b in enumerate(buttons, 1))
        parts.append("  ".join(numbered))
    return "\n\n".join(parts), buttons


def run_console(core: Core, lines: Iterable[str], out: TextIO, *, prompt: bool = True,
                caller: Caller | None = None, echo: bool = False) -> int:
    """Answer each line until /quit or the end of input; returns the exit code.

    `echo` prints each command after the prompt before its answer, so a transcript of piped input
    reads like a session.
    """
    who = caller or console_caller()
    buttons: list[Button] = []
    if prompt:
        print(BANNER, file=out)
    for raw in _prompted(lines, out, prompt):
        line = raw.strip()
        if not line:
            continue
        if echo:
            print(f"{PROMPT}{line}", file=out)
        if line in ("/quit", "/exit", "quit", "exit"):
            break
        if line.isdigit() and buttons:
            index = int(line)
            if not 1 <= index <= len(buttons):
                print(f"No button {index}: choose 1-{len(buttons)}.", file=out)
                continue
            reply = run_callback(core, who, buttons[index - 1].data, "text")
        else:
            answered = dispatch(core, who, line, "text")
            if answered is None:
                continue
            reply = answered
        text, new_buttons = format_reply(reply)
        if new_buttons or reply.messages:
            buttons = new_buttons
        print(text, file=out)
        print(file=out)
    return 0


def typed_lines(history: Path | None = None) -> Iterator[str]:
    """Lines from the terminal through `input()`, with readline's line editing and history (kept in
    `history` between sessions when given); ends at Ctrl-D."""
    try:
        import readline
    except ImportError:  # no readline on this platform: plain input still works
        readline = None  # type: ignore[assignment]
    if readline is not None and history is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
    try:
        while True:
            try:
                yield input(PROMPT)
            except EOFError:
                print()
                return
    finally:
        if readline is not None and history is not None:
            with contextlib.suppress(OSError):
                readline.set_history_length(1000)
                readline.write_history_file(history)


def _prompted(lines: Iterable[str], out: TextIO, prompt: bool) -> Iterable[str]:
    iterator = iter(lines)
    while True:
        if prompt:
            out.write(PROMPT)
            out.flush()
        try:
            line = next(iterator)
        except StopIteration:
            if prompt:
                out.write("\n")
            return
        yield line
