"""The inline keyboards under a story, a fact or a person: one place that builds them all.

Each fact of a story gets a "📚 Sources" button (`src:<fact id>`) that turns the message into that
fact's sources in place; a fact's sources view gets "‹ Story" back (`src:<story id>`); every view
ends with a "➕ Follow" button where following exists.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefings.commands.reply import Button, Request
from briefings.summarise import BriefItem

MAX_FACT_BUTTONS = 6
_LABEL = 28  # characters of a fact's button text, so two fit side by side on a phone


def fact_button_text(item: BriefItem) -> str:
    """"📚 MoU: Northland", "📚 Meeting: Ana Lima", "📚 25 Jul 2025: Talks…" (whole words)."""
    if item.deal is not None:
        kind = "MoU" if item.deal.kind == "mou" else item.deal.kind.replace("_", " ").capitalize()
        text = f"{kind}: {item.deal.parties[0]}" if item.deal.parties else kind
    elif item.meeting is not None:
        who = item.meeting.participants[0] if item.meeting.participants else ""
        text = f"{item.meeting.kind.capitalize()}: {who}".rstrip(": ")
    elif item.event is not None:
        text = item.event.what
    else:
        text = item.id
    if len(text) > _LABEL:
        cut = text.rfind(" ", 0, _LABEL - 1)
        text = text[: cut if cut > 0 else _LABEL - 1].rstrip(" ,;:—-") + "…"
    return f"📚 {text}"


def view_keyboard(request: Request, ident: str, facts: Sequence[BriefItem] = (),
                  back: str | None = None) -> list[list[Button]]:
    """Sources buttons for `facts` (two a row), then ‹ Story back and Follow for `ident`."""
    shown = facts[:MAX_FACT_BUTTONS]
    buttons = [Button(text=fact_button_text(item), data=f"src:{item.id}") for item in shown]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    last: list[Button] = [Button(text="‹ Story", data=f"src:{back}")] if back else []
    last += _follow(request, ident)
    return [*rows, last] if last else rows


def _follow(request: Request, ident: str) -> list[Button]:
    # Late: the follow commands import the command handlers, which use this module.
    from briefings.commands.follows import follow_button

    return follow_button(request, ident)
