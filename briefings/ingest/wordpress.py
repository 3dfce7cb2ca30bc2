"""A WordPress REST API post (`/wp/v2/posts/N`) saved as the article text, possibly cut short.

Scrapers sometimes store the raw JSON response instead of the page. Its fields are read with
`json` when the response is whole, and field by field when it was truncated mid-string.
"""

from __future__ import annotations

import html as html_lib
import json
import re

from pydantic import BaseModel

from briefings.ingest.jsontext import load_json


class WordPressPost(BaseModel):
    title: str | None = None
    date: str | None = None
    link: str | None = None
    html: str


_STRING = r'"((?:[^"\\]|\\.)*)'  # a JSON string body, maybe unterminated


def looks_like_wordpress(text: str) -> bool:
    head = text.lstrip()[:40]
    return head.startswith("{") and '"id"' in head and '"content":{"rendered":' in text.replace(" ", "")


def _decode_string(body: str) -> str | None:
    """A JSON string body (without quotes), with a cut-off escape at its end dropped."""
    body = re.sub(r"\\(?:u[0-9a-fA-F]{0,3})?$", "", body)
    try:
        value = json.loads(f'"{body}"')
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _field(text: str, pattern: str) -> str | None:
    match = re.search(pattern + _STRING, text)
    return _decode_string(match.group(1)) if match else None


def _rendered(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None


def decode_wordpress(text: str) -> WordPressPost | None:
    """The post's title, date, link and content HTML, or None when `text` is not such a response."""
    if not looks_like_wordpress(text):
        return None
    try:
        data = load_json(text)
    except ValueError:  # cut short, or nested too deeply: read field by field
        data = None
    if isinstance(data, dict):
        content = _rendered(data.get("content"))
        title = _rendered(data.get("title"))
        date = data.get("date") if isinstance(data.get("date"), str) else None
        link = data.get("link") if isinstance(data.get("link"), str) else None
    else:
        content = _field(text, r'"content"\s*:\s*\{\s*"rendered"\s*:\s*')
        title = _field(text, r'"title"\s*:\s*\{\s*"rendered"\s*:\s*')
        date = _field(text, r'"date"\s*:\s*')
        link = _field(text, r'"link"\s*:\s*')
    if content is None:
        return None
    clean_title = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", title)).split()) if title else None
    return WordPressPost(title=clean_title or None, date=date, link=link, html=content)
