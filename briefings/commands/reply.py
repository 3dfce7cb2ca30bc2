"""What a command gets (`Request`) and gives back (`Reply`), independent of any chat platform."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, Field

from briefings.core import Caller, Core
from briefings.render import Format, pack


class Button(BaseModel):
    """An inline button; `data` comes back on a press (at most 64 bytes)."""

    text: str
    data: str


class Reply(BaseModel):
    """Rendered messages; `keyboard` goes under the last one; `edit` replaces the pressed message.

    `notice` answers a button press; `broadcast` lists the (chat, local date) slots `/post_now`
    claimed, whose briefings the shell must now send.
    """

    messages: list[str] = Field(default_factory=list)
    keyboard: list[list[Button]] = Field(default_factory=list)
    notice: str | None = None
    edit: bool = False
    broadcast: list[tuple[int, dt.date]] = Field(default_factory=list)
    photo: bytes | None = None  # a chart (PNG), sent before any messages, with `caption` under it
    caption: str | None = None


@dataclass(frozen=True)
class Request:
    """One command call: the core, who asked, and the format the answer is rendered in."""

    core: Core
    caller: Caller
    fmt: Format

    def say(self, text: str, title: str | None = None) -> Reply:
        """A short answer in one notice template (text escaped like everything else)."""
        return Reply(messages=self.core.renderer.message("notice", self.fmt, text=text, title=title))

    def blocks(self, blocks: list[str], keyboard: list[list[Button]] | None = None) -> Reply:
        return Reply(messages=pack(blocks, self.fmt), keyboard=keyboard or [])

    def block(self, name: str, **context: object) -> str:
        return self.core.renderer.block(name, self.fmt, **context)
