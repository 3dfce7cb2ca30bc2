"""HTML to article text (one paragraph a line) and the metadata a page declares about itself.

trafilatura extracts the main text when it is importable and finds some; otherwise a small
standard-library extractor keeps the text of block elements and drops scripts, styles and page
chrome (nav, header, footer, aside, forms).
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from html.parser import HTMLParser

from pydantic import BaseModel

logger = logging.getLogger(__name__)

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
                   "canvas", "nav", "header", "footer", "aside", "form", "button", "select", "textarea",
                   "head", "title", "video", "audio", "map", "dialog"})
_BLOCK = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
                    "article", "figure", "figcaption", "blockquote", "tr", "table", "pre", "hr", "dd",
                    "dt", "dl", "main", "address", "caption", "td", "th", "summary", "details"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})
_DATE_KEYS = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date",
              "article.published", "publish-date", "published_time", "cxenseparse:recs:publishtime")
_TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title")
_OUTLET_KEYS = ("og:site_name", "application-name", "publisher")
_URL_KEYS = ("og:url",)


class HtmlMeta(BaseModel):
    """What a page says about itself in its head."""

    title: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP and tag not in _VOID:
            self._skip.append(tag)
        elif tag in _BLOCK:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip and tag in _SKIP:
            # Close up to the matching open tag; a stray end tag closes nothing.
            if tag in self._skip:
                while self._skip and self._skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._current.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self._current).split())
        if line:
            self.blocks.append(line)
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()


def simple_html_text(markup: str) -> str:
    """The text of block elements, one a line, without scripts, styles or page chrome."""
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some malformed declarations
        logger.debug("html.parser stopped early")
    return "\n".join(parser.blocks)


def _sanitised(markup: str) -> str:
    """Scripts, frames, embedded objects, SVG and comments removed before any text is taken."""
    try:
        from lxml.etree import ParserError
        from lxml_html_clean import Cleaner
    except ImportError:
        return markup
    cleaner = Cleaner(scripts=True, javascript=True, comments=True, style=True, embedded=True, frames=True,
                      forms=False, annoying_tags=False, remove_unknown_tags=False, safe_attrs_only=True,
                      page_structure=False, meta=False,
                      kill_tags=["svg", "iframe", "noscript", "template", "object", "embed", "math"])
    try:
        cleaned: str = cleaner.clean_html(markup)
    except (ParserError, ValueError):  # nothing lxml can parse: the fallback parser copes
        return markup
    return cleaned


def html_to_text(markup: str) -> str:
    """The main text of a page, one paragraph a line ("" when there is none)."""
    markup = _sanitised(markup)
    extracted = _trafilatura_text(markup)
    if extracted and extracted.strip():
        return extracted.strip()
    return simple_html_text(markup)


def _trafilatura_text(markup: str) -> str | None:
    try:
        import trafilatura  # imported late: heavy, and optional at run time
    except ImportError:
        return None
    try:
        result = trafilatura.extract(markup, output_format="txt", include_comments=False,
                                     include_tables=False, favor_recall=True, deduplicate=False)
    except Exception as error:  # any failure of the third-party extractor falls back to ours
        logger.debug("trafilatura failed: %s", type(error).__name__)
        return None
    return result if isinstance(result, str) else None


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
