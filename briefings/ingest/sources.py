"""All ingestion I/O: files, folders, stdin, feed files and URLs, to raw documents.

Each source yields `RawDocument`s or, when it cannot be read, one `ReadFailure` with a one-line
message; the other sources carry on. Size, encoding and type limits are checked here, before
anything is parsed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, TextIO

from briefings.errors import FetchError
from briefings.ingest.feeds import looks_like_feed, parse_feed
from briefings.ingest.fetch import FetchPolicy, fetch_documents
from briefings.ingest.htmltext import html_metadata, looks_like_html
from briefings.ingest.jsontext import JsonTooDeep, load_json
from briefings.ingest.raw import RawDocument, ReadFailure

__all__ = ["FetchPolicy", "RawDocument", "ReadFailure", "read_paths"]

Kind = Literal["text", "html", "json", "feed"]
Read = RawDocument | ReadFailure

EXTENSIONS: dict[str, Kind] = {
    ".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html", ".json": "json",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
_JSON_FIELDS = ("text", "html", "title", "url", "published", "outlet")


def read_paths(paths: Sequence[str], stdin: TextIO | None = None, max_bytes: int = 5_000_000,
               policy: FetchPolicy | None = None) -> Iterator[RawDocument | ReadFailure]:
    """Documents from files, folders (recursive, sorted), "-" (stdin) and http(s) URLs.

    Args:
        paths: file or folder paths, "-" for standard input, or http(s) URLs.
        stdin: the stream "-" reads (default `sys.stdin`).
        max_bytes: the largest file or input accepted.
        policy: limits for URLs (default: `FetchPolicy(max_bytes=max_bytes)`).
    """
    for item in paths:
        if item == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, max_bytes)
        elif re.match(r"^[a-z][a-z0-9+.-]*://", item, flags=re.IGNORECASE):
            yield from _read_url(item, policy or FetchPolicy(max_bytes=max_bytes))
        else:
            path = Path(item)
            if path.is_dir():
                yield from _read_folder(path, max_bytes)
            elif path.is_file():
                yield from _read_file(path, EXTENSIONS.get(path.suffix.lower()), max_bytes)
            elif not path.exists():
                yield ReadFailure(origin=item, message="no such file or folder")
            else:
                yield ReadFailure(origin=item, message="not a regular file or folder")


def _read_url(url: str, policy: FetchPolicy) -> Iterator[Read]:
    try:
        yield from fetch_documents(url, policy)
    except FetchError as error:
        yield ReadFailure(origin=url, message=str(error).removeprefix(f"{url}: "))


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_folder(root: Path, max_bytes: int) -> Iterator[Read]:
    try:
        found = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p, root))
    except OSError as error:
        yield ReadFailure(origin=str(root), message=f"cannot list the folder: {error.strerror or error}")
        return
    for path in found:
        kind = EXTENSIONS.get(path.suffix.lower())
        if kind is not None:
            yield from _read_file(path, kind, max_bytes)


def _read_file(path: Path, kind: Kind | None, max_bytes: int) -> Iterator[Read]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield ReadFailure(origin=origin, message=f"too large ({size} bytes; the limit is {max_bytes})")
            return
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        yield ReadFailure(origin=origin, message=f"cannot read: {error.strerror or error}")
        return
    if len(data) > max_bytes:
        yield ReadFailure(origin=origin, message=f"too large (over {max_bytes} bytes)")
        return
    yield from _documents(data, origin, path.stem, kind)


def _read_stdin(stream: TextIO, max_bytes: int) -> Iterator[Read]:
    try:
        text = stream.read(max_bytes + 1)
    except (OSError, UnicodeDecodeError) as error:
        yield ReadFailure(origin="stdin", message=f"cannot read standard input: {error}")
        return
    data = text.encode("utf-8", errors="surrogateescape")
    if len(data) > max_bytes:
        yield ReadFailure(origin="stdin", message=f"too large (over {max_bytes} bytes)")
        return
    yield from _documents(data, "stdin", "stdin", None)


def _decode(data: bytes, origin: str) -> str | ReadFailure:
    if not data.strip():
        return ReadFailure(origin=origin, message="empty")
    if b"\x00" in data:
        return ReadFailure(origin=origin, message="binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return ReadFailure(origin=origin, message=f"not UTF-8 text (bad byte at offset {error.start})")


def _sniff(text: str) -> Kind:
    head = text.lstrip()[:1]
    if head in ("{", "["):
        try:
            load_json(text)
        except JsonTooDeep:
            return "json"  # JSON all the same: reading it gives the one-line refusal
        except ValueError:
            return "text"
        return "json"
    return "html" if looks_like_html(text) else "text"


def _documents(data: bytes, origin: str, stem: str, kind: Kind | None) -> Iterator[Read]:
    """The documents in one file's bytes, by its kind (sniffed when unknown or plain text)."""
    if kind == "feed" or (kind in (None, "text", "html") and looks_like_feed(data)):
        yield from parse_feed(data, origin)
        return
    text = _decode(data, origin)
    if isinstance(text, ReadFailure):
        yield text
        return
    if kind is None:
        kind = _sniff(text)
    if kind == "json":
        yield from _json_documents(text, origin, stem)
    elif kind == "html":
        meta = html_metadata(text)
        yield RawDocument(id=stem, html=text, title=meta.title, url=meta.url, published=meta.published,
                          outlet=meta.outlet, origin=origin)
    else:
        yield RawDocument(id=stem, text=text, origin=origin)


def _json_documents(text: str, origin: str, stem: str) -> Iterator[Read]:
    try:
        data = load_json(text)
    except JsonTooDeep as error:
        yield ReadFailure(origin=origin, message=str(error))
        return
    except ValueError as error:
        yield ReadFailure(origin=origin, message=f"invalid JSON: {str(error).splitlines()[0]}")
        return
    if isinstance(data, dict):
        yield _json_document(data, origin, stem)
    elif isinstance(data, list):
        if not data:
            yield ReadFailure(origin=origin, message="an empty JSON list")
        for number, item in enumerate(data, start=1):
            where = f"{origin}[{number - 1}]"
            if not isinstance(item, dict):
                yield ReadFailure(origin=where, message="a JSON list item that is not an object")
                continue
            ident = item.get("id")
            name = str(ident) if isinstance(ident, (str, int)) and str(ident).strip() else f"{stem}-{number}"
            yield _json_document(item, where, name)
    else:
        yield ReadFailure(origin=origin, message="JSON must be an object or a list of objects")


def _rendered(value: object) -> object:
    """WordPress REST fields hold their value under "rendered"."""
    if isinstance(value, dict) and "rendered" in value:
        return value["rendered"]
    return value


def _json_document(data: dict[str, object], origin: str, ident: str) -> Read:
    fields: dict[str, str | None] = {}
    aliases = {"html": ("html", "content"), "url": ("url", "link"), "published": ("published", "date")}
    for name in _JSON_FIELDS:
        value: object = None
        for key in aliases.get(name, (name,)):
            value = _rendered(data.get(key))
            if value is not None:
                break
        if value is not None and not isinstance(value, str):
            return ReadFailure(origin=origin, message=f"the JSON field `{name}` must be a string")
        fields[name] = value
    if not (fields["text"] or "").strip() and not (fields["html"] or "").strip():
        return ReadFailure(origin=origin, message="the JSON object has no `text` or `html`")
    return RawDocument(id=ident, origin=origin, **fields)
