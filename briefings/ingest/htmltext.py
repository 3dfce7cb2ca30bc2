"""HTML to article text (one paragraph a line) and the metadata a page declares about itself.

The page is sanitised (lxml_html_clean), then trafilatura extracts the main text; a page where it
finds none gives "" and the cleaner refuses it as empty. The head's metadata is read with the
standard library's tolerant parser.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from html.parser import HTMLParser

from lxml.etree import ParserError
from lxml_html_clean import Cleaner
from pydantic import BaseModel

logger = logging.getLogger(__name__)

_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date",
              "article.published", "publish-date", "published_time", "cxenseparse:recs:publishtime")
_TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title")
_OUTLET_KEYS = ("og:site_name", "application-name", "publisher")
_URL_KEYS = ("og:url",)
_BODY_RE = re.compile(r"<body[\s>]", re.IGNORECASE)


class HtmlMeta(BaseModel):
    """What a page says about itself in its head."""

    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None


def _sanitised(markup: str) -> str:
    """Scripts, frames, embedded objects, SVG and comments removed before any text is taken."""
    cleaner = Cleaner(scripts=True, javascript=True, comments=True, style=True, embedded=True, frames=True,
                      forms=False, annoying_tags=False, remove_unknown_tags=False, safe_attrs_only=True,
                      page_structure=False, meta=False,
                      kill_tags=["svg", "iframe", "noscript", "template", "object", "embed", "math"])
    try:
        cleaned: str = cleaner.clean_html(markup)
    except (ParserError, ValueError):  # nothing lxml can parse: trafilatura gets the markup as is
        return markup
    return cleaned


def html_to_text(markup: str) -> str:
    """The main text of a page, one paragraph a line ("" when trafilatura finds none)."""
    import trafilatura  # imported late: heavy, and only HTML needs it

    page = _sanitised(markup)
    if not _BODY_RE.search(page):  # a fragment (a feed entry's "<p>…</p>"): trafilatura wants a page
        page = f"<html><body>{page}</body></html>"
    try:
        result = trafilatura.extract(page, output_format="txt", include_comments=False,
                                     include_tables=False, favor_recall=True, deduplicate=False)
        if not (isinstance(result, str) and result.strip()):
            # Too little for its main-text heuristics (a short post): its baseline keeps every paragraph.
            result = trafilatura.baseline(page)[1]
    except Exception as error:  # a third-party parser's failure on hostile markup: no text, one refusal
        logger.info("trafilatura failed: %s", type(error).__name__)
        return ""
    return result.strip() if isinstance(result, str) else ""


class _MetaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.canonical: str | None = None
        self.ld_json: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v for k, v in attrs if v is not None}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"]
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href")
        elif tag == "time" and "datetime" in values:
            self.meta.setdefault("time", values["datetime"])
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in = "ld"
            self.ld_json.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title_parts.append(data)
        elif self._in == "ld" and self.ld_json:
            self.ld_json[-1] += data


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = meta.get(key)
        if value and value.strip():
            return " ".join(html_lib.unescape(value).split())
    return None


def _ld_field(blobs: list[str], field: str) -> str | None:
    for blob in blobs:
        match = re.search(rf'"{field}"\s*:\s*"((?:[^"\\]|\\.)*)"', blob)
        if match:
            try:
                value = json.loads(f'"{match.group(1)}"')
            except ValueError:
                continue
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def html_metadata(markup: str) -> HtmlMeta:
    """Title, publication date, canonical URL and site name declared in a page's head."""
    parser = _MetaParser()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):
        logger.debug("html.parser stopped early reading metadata")
    meta = parser.meta
    title = _first(meta, _TITLE_KEYS) or _ld_field(parser.ld_json, "headline")
    if title is None and parser.title_parts:
        title = " ".join("".join(parser.title_parts).split()) or None
    published = _first(meta, _DATE_KEYS) or _ld_field(parser.ld_json, "datePublished") or meta.get("time")
    url = _first(meta, _URL_KEYS) or parser.canonical
    outlet = _first(meta, _OUTLET_KEYS)
    if title and outlet:  # "Ports deal signed | The Ledger" -> "Ports deal signed"
        title = re.sub(rf"\s+[|–—-]\s+{re.escape(outlet)}\s*$", "", title, flags=re.IGNORECASE) or title
    return HtmlMeta(title=title, published=published, url=url, outlet=outlet)


def looks_like_html(text: str) -> bool:
    """A document that is markup, not prose with a stray angle bracket."""
    head = text.lstrip()[:1000].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(re.findall(r"</?(?:p|div|span|br|a|h[1-6]|body|article)\b", head)) >= 3
