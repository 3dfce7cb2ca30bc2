"""A strict checker for Telegram's HTML parse mode: the tags it accepts, escaped text, balanced tags.

Stricter than Telegram where that is cheap (a raw `>` in text is refused, the length is counted on
the raw HTML), so what passes here is accepted there.
"""

from __future__ import annotations

import html
import re

TELEGRAM_LIMIT = 4096

ALLOWED_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                          "blockquote", "tg-spoiler", "span", "tg-emoji"})
_TOKEN = re.compile(r"<[^<>]*>|&[^;\s<>&]*;?|[<>]|[^<>&]+")
_OPEN = re.compile(r'^<([a-z][a-z-]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>$')
_CLOSE = re.compile(r"^</([a-z][a-z-]*)\s*>$")
_ATTR = re.compile(r'\s+([a-z-]+)(?:="([^"<>]*)")?')
_ENTITY = re.compile(r"^&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});$")


def telegram_html_errors(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Everything wrong with `text` as one Telegram HTML message (empty list: it is valid)."""
    errors: list[str] = []
    if len(text.encode("utf-16-le")) // 2 > limit:
        errors.append(f"too long: {len(text)} > {limit}")
    stack: list[str] = []
    visible: list[str] = []
    for token in _TOKEN.findall(text):
        if token in ("<", ">"):
            errors.append(f"unescaped {token!r}")
        elif token.startswith("<"):
            errors.extend(_tag_errors(token, stack))
        elif token.startswith("&"):
            if not _ENTITY.match(token):
                errors.append(f"bad entity {token!r}")
            visible.append(html.unescape(token))
        else:
            visible.append(token)
    if stack:
        errors.append(f"unclosed tags {stack}")
    if not "".join(visible).strip():
        errors.append("empty message")
    return errors


def _tag_errors(token: str, stack: list[str]) -> list[str]:
    close = _CLOSE.match(token)
    if close:
        name = close.group(1)
        if not stack or stack[-1] != name:
            return [f"close {name!r} does not match open {stack[-1:]!r}"]
        stack.pop()
        return []
    opening = _OPEN.match(token)
    if not opening:
        return [f"malformed tag {token!r}"]
    name = opening.group(1)
    if name not in ALLOWED_TAGS:
        return [f"tag {name!r} not allowed"]
    attrs = dict(_ATTR.findall(opening.group(2)))
    errors = []
    if name == "a":
        href = attrs.get("href", "")
        if set(attrs) != {"href"} or not re.match(r"^(https?|tg)://", html.unescape(href)):
            errors.append(f"bad link {token!r}")
    elif name == "span":
        if attrs != {"class": "tg-spoiler"}:
            errors.append(f"bad span {token!r}")
    elif name in ("pre", "code", "blockquote", "tg-emoji"):
        pass
    elif attrs:
        errors.append(f"attributes not allowed on {name!r}")
    stack.append(name)
    return errors


def assert_telegram_html(text: str, limit: int = TELEGRAM_LIMIT) -> None:
    errors = telegram_html_errors(text, limit)
    assert not errors, f"invalid Telegram HTML: {errors}\n---\n{text[:2000]}"
