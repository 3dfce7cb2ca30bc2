"""RSS/Atom feeds to one raw document per entry, parsed safely.

A feed that declares a DOCTYPE or an ENTITY is refused before any XML parser sees it: that rules
out entity expansion bombs and external entities. feedparser always receives bytes through a
stream, never a string it might take for a URL or a file name.
"""

from __future__ import annotations

import io
import re

from briefings.ingest.raw import RawDocument, ReadFailure, slugify, url_slug

_FEED_ROOT_RE = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_DECLARATION_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PROLOGUE_RE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*", re.DOTALL)


class UnsafeFeedError(ValueError):
    """The feed declares a DOCTYPE or an ENTITY, or is not 8-bit text."""


def looks_like_feed(data: bytes) -> bool:
    """True when the document's root element is `rss`, `feed` or `rdf:RDF`."""
    head = data[:4096]
    prologue = _PROLOGUE_RE.match(head)
    rest = head[prologue.end():] if prologue else head
    if _DECLARATION_RE.match(rest):  # a DOCTYPE before the root: sniff past it, refuse later
        rest = rest[rest.find(b">") + 1:].lstrip()
    return bool(_FEED_ROOT_RE.match(rest))


def check_feed_safe(data: bytes) -> None:
    """Raise UnsafeFeedError for DOCTYPE/ENTITY declarations or UTF-16/32 (NUL bytes) input."""
    if b"\x00" in data:
        raise UnsafeFeedError("the feed is not UTF-8 or Latin text")
    if _DECLARATION_RE.search(data):
        raise UnsafeFeedError("the feed declares a DOCTYPE or ENTITY, which is refused for safety")


def _entry_text(entry: dict[str, object]) -> tuple[str | None, str | None]:
    """(html, text) of an entry: its full content if present, else its summary."""
    contents = entry.get("content")
    if isinstance(contents, list):
        for content in contents:
            value = content.get("value") if isinstance(content, dict) else None
            if isinstance(value, str) and value.strip():
                kind = str(content.get("type", "text/html"))
                return (None, value) if kind == "text/plain" else (value, None)
    summary = entry.get("summary")
    if isinstance(summary, str) and summary.strip():
        detail = entry.get("summary_detail")
        kind = str(detail.get("type", "text/html")) if isinstance(detail, dict) else "text/html"
        return (None, summary) if kind == "text/plain" else (summary, None)
    return None, None


def _string(entry: dict[str, object], *keys: str) -> str | None:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def parse_feed(data: bytes, origin: str) -> list[RawDocument | ReadFailure]:
    """One RawDocument per usable entry and one ReadFailure per broken one (or for the feed)."""
    try:
        check_feed_safe(data)
    except UnsafeFeedError as error:
        return [ReadFailure(origin=origin, message=str(error))]
    import feedparser  # imported late: only feeds need it

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    entries = list(parsed.get("entries") or [])
    if not entries:
        reason = parsed.get("bozo_exception")
        detail = f": {str(reason).splitlines()[0][:120]}" if reason else ""
        return [ReadFailure(origin=origin, message=f"no readable entries in the feed{detail}")]
    outlet = _string(dict(parsed.get("feed") or {}), "title")
    out: list[RawDocument | ReadFailure] = []
    used: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        fields = dict(entry)
        html, text = _entry_text(fields)
        where = f"{origin}#entry-{number}"
        if html is None and text is None:
            out.append(ReadFailure(origin=where, message=f"feed entry {number} has no content or summary"))
            continue
        title = _string(fields, "title")
        link = _string(fields, "link")
        key = _string(fields, "id") or link or title or ""
        base = (url_slug(key) if re.match(r"https?://", key) else slugify(key)) or f"entry-{number}"
        ident = base if base not in used else f"{base}-{number}"
        used.add(ident)
        out.append(RawDocument(id=ident, text=text, html=html, title=title, url=link,
                               published=_string(fields, "published", "updated", "created"),
                               outlet=outlet, origin=where))
    return out
