"""A raw document (text, HTML, a WordPress JSON dump) to a clean `Article` with classified paragraphs.

`Article.text` is the text as read (or as extracted from HTML) and is never rewritten, so every
paragraph, and every sentence found later, is a verbatim slice of it. Noise is classified, not
removed: furniture paragraphs are skipped by `Article.body()`.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import unicodedata

from briefings.errors import ArticleError
from briefings.ingest.credits import wire_outlet
from briefings.ingest.furniture import english_function_words, outlet_names
from briefings.ingest.htmltext import html_metadata, html_to_text, looks_like_html
from briefings.ingest.paragraphs import classify
from briefings.ingest.pubdate import html_published
from briefings.ingest.published import find_published
from briefings.ingest.raw import RawDocument
from briefings.ingest.wordpress import decode_wordpress
from briefings.models import Article, Paragraph

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                         "«": '"', "»": '"', "″": '"'})
_MIN_WORDS_FOR_LANGUAGE = 12
_MIN_STOPWORD_SHARE = 0.12  # English news runs at 0.3-0.4; French or Spanish text below 0.1
_MIN_LATIN_SHARE = 0.6
# One article's text at most: ~150,000 words, far past any news story, and ~10 s of extraction
# (bench/README.md, uploads); a longer "article" is a dump to split, refused in one line.
MAX_ARTICLE_CHARS = 1_000_000
# Second-level labels under which a country registers domains ("example.co.uk", "x.com.pk").
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "gob", "nic"})


def content_hash(text: str) -> str:
    """sha256 of the text with whitespace folded, quotes straightened and case folded."""
    normalised = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    normalised = " ".join(normalised.split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def outlet_from_url(url: str | None) -> str | None:
    """A known outlet's name for the URL's host, else its registrable domain."""
    if not url:
        return None
    match = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", url.strip(), flags=re.IGNORECASE)
    if match is None:
        return None
    host = match.group(1).lower().rstrip(".")
    names = outlet_names()
    labels = host.split(".")
    for index in range(len(labels) - 1):
        candidate = ".".join(labels[index:])
        if candidate in names:
            return names[candidate]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


# Unicode's control characters (category Cc: U+0000-001F and U+007F-009F) less \t \n \v \f \r;
# one regex instead of a category lookup per character (cleaning runs three checks an article).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _check_readable(text: str) -> None:
    if not text.strip():
        raise ArticleError("the document is empty")
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or controls > max(3, len(text) // 100):
        raise ArticleError("the document looks binary, not text")


def _check_english(paragraphs: list[Paragraph]) -> None:
    content = "\n".join(p.text for p in paragraphs if p.kind != "furniture")
    if not content.strip():
        raise ArticleError("nothing but page furniture (menus, bylines, promos) was found")
    _check_readable(content)  # on what is kept too, so that cleaning the body again agrees
    letters = list(filter(str.isalpha, content))
    if not letters:
        raise ArticleError("the document has no words")
    latin = len(letters) if content.isascii() else \
        sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, ""))
    if latin / len(letters) < _MIN_LATIN_SHARE:
        raise ArticleError("the document does not look like English text")
    words = re.findall(r"[a-z]+", content.lower())
    if len(words) >= _MIN_WORDS_FOR_LANGUAGE:
        share = sum(1 for w in words if w in english_function_words()) / len(words)
        if share < _MIN_STOPWORD_SHARE:
            raise ArticleError("the document does not look like English text")


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    folded = " ".join(html_lib.unescape(title).split())
    return folded or None


def _source_text(raw: RawDocument) -> tuple[str, RawDocument]:
    """The text to classify, and the document with any metadata found inside it filled in."""
    if raw.text is not None and raw.text.strip():
        post = decode_wordpress(raw.text)
        if post is not None:
            filled = raw.model_copy(update={
                "title": raw.title or post.title, "published": raw.published or post.date,
                "url": raw.url or post.link})
            return html_to_text(post.html), filled
        if not looks_like_html(raw.text):
            return raw.text, raw
        markup = raw.text
    elif raw.html is not None and raw.html.strip():
        markup = raw.html
    else:
        raise ArticleError("the document is empty")
    meta = html_metadata(markup)
    published = raw.published or html_published(markup, raw.url or meta.url) or meta.published
    filled = raw.model_copy(update={
        "title": raw.title or meta.title, "published": published,
        "url": raw.url or meta.url, "outlet": raw.outlet or meta.outlet})
    return html_to_text(markup), filled


def clean_document(raw: RawDocument) -> Article:
    """Classify the paragraphs of `raw` and find its title, dates and outlet.

    Raises ArticleError when nothing usable remains: an empty or binary document, one that is all
    page furniture, or one that does not look like English.
    """
    if raw.text:
        _check_readable(raw.text)
    text, raw = _source_text(raw)
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"too long for one article ({len(text):,} characters of text; the limit is "
                           f"{MAX_ARTICLE_CHARS:,}): split it into articles")
    _check_readable(text)
    layout = classify(text, _clean_title(raw.title))
    _check_english(layout.paragraphs)
    published = find_published(text, raw.url, raw.published)
    body = "\n".join(p.text for p in layout.paragraphs if p.kind != "furniture")
    return Article(
        id=raw.id,
        title=layout.title,
        text=text,
        url=raw.url,
        outlet=raw.outlet or outlet_from_url(raw.url) or wire_outlet(text),
        published=published.date,
        published_source=published.source,
        dateline=layout.dateline,
        paragraphs=layout.paragraphs,
        content_hash=content_hash(body),
    )
