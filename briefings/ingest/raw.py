"""What a source gave us before cleaning, and a read that failed (re-exported by `sources`)."""

from __future__ import annotations

import re

from pydantic import BaseModel


class RawDocument(BaseModel):
    """One document as read: its text or HTML, and whatever metadata came with it."""

    id: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    origin: str


class ReadFailure(BaseModel):
    """A source that could not be read; `message` is one clear line, never a traceback."""

    origin: str
    message: str


def slugify(value: str, limit: int = 80) -> str:
    """A file-name-safe id from a title, URL path or feed entry id ("" when nothing is left)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", value).strip("-").lower()
    return slug[:limit].rstrip("-")


def url_slug(url: str) -> str:
    """An id for a fetched URL: the last meaningful path segment, else the host."""
    without_query = re.split(r"[?#]", url, maxsplit=1)[0]
    match = re.match(r"^[a-z][a-z0-9+.-]*://([^/]*)(.*)$", without_query, flags=re.IGNORECASE)
    host, path = (match.group(1), match.group(2)) if match else ("", without_query)
    segments = [s for s in path.split("/") if s]
    for segment in reversed(segments):
        slug = slugify(re.sub(r"\.(?:html?|php|aspx?)$", "", segment, flags=re.IGNORECASE))
        if slug and slug not in {"index", "amp", "article", "story", "news"}:
            return slug
    return slugify(host) or "url"
